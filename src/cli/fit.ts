// glassbox fit (placeholder until its issue lands)
import { GlassboxError } from '../errors.js';

export async function run(_argv: string[]): Promise<number> {
  throw new GlassboxError('the "fit" command is not implemented yet');
}
