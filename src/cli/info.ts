// glassbox info (placeholder until its issue lands)
import { GlassboxError } from '../errors.js';

export async function run(_argv: string[]): Promise<number> {
  throw new GlassboxError('the "info" command is not implemented yet');
}
