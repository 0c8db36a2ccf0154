// Typed errors. Every error a user can cause names what was wrong and where (file, line,
// field) and what was expected; kernels never return a silently wrong number.

/** Base class of every error glassbox throws on purpose. */
export class GlassboxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A file could not be parsed: names the file, the line (1-based) or field, and what was expected. */
export class ParseError extends GlassboxError {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  constructor(file: string, where: { line?: number; field?: string }, message: string) {
    const loc = where.line !== undefined ? `${file}:${where.line}` : file;
    super(`${loc}${where.field ? ` [${where.field}]` : ''}: ${message}`);
    this.file = file;
    this.line = where.line;
    this.field = where.field;
  }
}

/** An argument or option is invalid (names the option and what was expected). */
export class InputError extends GlassboxError {}

/** A numerical method failed (singular matrix, no convergence); carries the figures. */
export class NumericalError extends GlassboxError {}

/**
 * An allocation would exceed a memory limit (one wasm block, the 4 GiB wasm memory, an archive
 * member larger than its header needs). Names the size, the limit and what to reduce.
 */
export class AllocationError extends GlassboxError {
  constructor(readonly bytes: number, readonly limit: number, message: string) {
    super(message);
  }
}

/** A wasm kernel aborted (an internal assertion); the message is the kernel's. */
export class KernelError extends GlassboxError {}
