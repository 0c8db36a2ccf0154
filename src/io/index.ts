// PLACEHOLDER on the `desc` branch only: the real readers live on the io branch (the lead merges
// them). The features CLI imports `readSystems` from here.
import { GlassboxError } from '../errors.js';
import type { System } from '../system.js';

export async function readSystems(path: string, _opts: { box?: number[]; dim?: 2 | 3 } = {}): Promise<System[]> {
  throw new GlassboxError(`reading ${path}: not implemented (placeholder src/io/index.ts)`);
}
