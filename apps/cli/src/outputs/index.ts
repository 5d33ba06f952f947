import { extname } from 'node:path';
import { UserError } from '../errors.js';
import type { Output } from './output.js';
import { snapshotFile } from './snapshot-file.js';
import { trajectoryFile } from './trajectory-file.js';
import { vtkSeries } from './vtk-series.js';
import { checkWritableDirectory } from './writable.js';

export type { FrameInfo, Output } from './output.js';

export const OUTPUT_EXTENSIONS = ['.csv', '.xyz', '.vtk', '.brsnap'] as const;

/** The output for a `--out` path, chosen by its extension; its directory is checked now. */
export async function createOutput(path: string): Promise<Output> {
  const ext = extname(path).toLowerCase();
  if (!(OUTPUT_EXTENSIONS as readonly string[]).includes(ext)) {
    throw new UserError(`--out ${path}: unknown format '${ext || '(no extension)'}' (known: ${OUTPUT_EXTENSIONS.join(', ')})`);
  }
  await checkWritableDirectory(path);
  switch (ext) {
    case '.csv':
      return trajectoryFile(path, 'csv');
    case '.xyz':
      return trajectoryFile(path, 'xyz');
    case '.vtk':
      return vtkSeries(path);
    default:
      return snapshotFile(path);
  }
}
