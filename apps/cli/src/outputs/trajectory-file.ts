import { open, type FileHandle } from 'node:fs/promises';
import { toCSV, toXYZ, type ParticleState } from '@brokenrecord/core';
import type { FrameInfo, Output } from './output.js';

export type TextFormat = 'csv' | 'xyz';

/**
 * A trajectory in one text file, frames appended as the run goes: CSV with one header line and a
 * step column, or extended XYZ with a count and comment line per frame (OVITO and VMD read both
 * as a time series).
 */
export async function trajectoryFile(path: string, format: TextFormat): Promise<Output> {
  const handle: FileHandle = await open(path, 'w');
  let frames = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    path,
    wantsFrames: true,
    async frame(state: ParticleState, info: FrameInfo) {
      const text = format === 'csv' ? toCSV(state, info, frames === 0) : toXYZ(state, info);
      await handle.write(text);
      frames++;
    },
    finish: close,
    close,
    summary: () => `${path}: ${frames} frame${frames === 1 ? '' : 's'} (${format.toUpperCase()})`,
  };
}
