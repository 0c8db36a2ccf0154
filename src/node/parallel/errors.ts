// Errors across a worker boundary. A structured clone of an Error keeps only name/message/stack
// and loses its class, so a worker sends a plain record and the parent rebuilds the same
// GlassboxError subclass by name (with its own fields, e.g. ParseError's file/line/field):
// `instanceof InputError` and the message are the same as if the task had run inline.

import { GlassboxError, InputError, KernelError, NumericalError, ParseError } from '../../errors.js';

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** true when the thrown value was a GlassboxError (an unknown subclass becomes a GlassboxError). */
  glassbox: boolean;
  /** Own primitive fields (ParseError: file, line, field). */
  props: Record<string, string | number | boolean | null>;
}

const GLASSBOX_CLASSES: Record<string, new (...a: any[]) => Error> = { GlassboxError, ParseError, InputError, NumericalError, KernelError };
const BUILTIN_CLASSES: Record<string, new (...a: any[]) => Error> = {
  Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError,
  RuntimeError: WebAssembly.RuntimeError, CompileError: WebAssembly.CompileError, LinkError: WebAssembly.LinkError,
};

/** A plain, cloneable record of any thrown value. */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), glassbox: false, props: {} };
  const props: SerializedError['props'] = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'name' || k === 'message' || k === 'stack') continue;
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') props[k] = v;
  }
  return { name: e.name, message: e.message, stack: e.stack, glassbox: e instanceof GlassboxError, props };
}

/**
 * The error again, as an instance of the same class (looked up by name among glassbox's and the
 * built-in error classes; an unknown GlassboxError subclass becomes a GlassboxError, anything else
 * an Error) with the same message and fields. The stack is the worker's (where it was thrown).
 */
export function deserializeError(s: SerializedError): Error {
  const cls = GLASSBOX_CLASSES[s.name] ?? (s.glassbox ? GlassboxError : BUILTIN_CLASSES[s.name] ?? Error);
  // a genuine Error object with the subclass's prototype, without re-running its constructor
  // (ParseError's would prefix the location a second time)
  const e = Reflect.construct(Error, [s.message], cls) as Error;
  Object.defineProperty(e, 'name', { value: s.name, writable: true, configurable: true, enumerable: s.glassbox });
  Object.assign(e, s.props);
  if (s.stack !== undefined) Object.defineProperty(e, 'stack', { value: s.stack, writable: true, configurable: true });
  return e;
}
