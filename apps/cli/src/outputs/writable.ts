import { access, constants, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

/**
 * Fails before the run starts when an output could not be written at its end, so a mistyped
 * directory never costs a long simulation.
 */
export async function checkWritableDirectory(path: string): Promise<void> {
  const dir = dirname(resolve(path));
  try {
    if (!(await stat(dir)).isDirectory()) throw new UserError(`cannot write ${path}: ${dir} is not a directory`);
    await access(dir, constants.W_OK);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(
      `cannot write ${path}: directory ${dir} ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not writable'}`,
    );
  }
}
