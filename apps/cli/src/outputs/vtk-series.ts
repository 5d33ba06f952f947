import { writeFile } from 'node:fs/promises';
import { toVTK, type ParticleState } from '@brokenrecord/core';
import type { FrameInfo, Output } from './output.js';

/**
 * Legacy VTK, one file per frame as ParaView expects of a series: `name.vtk` becomes
 * `name_000000.vtk`, `name_000100.vtk`, … numbered by step (not frame index), so a resumed run
 * continues the same series instead of overwriting its first files.
 */
export function vtkSeries(path: string): Output {
  const stem = path.replace(/\.vtk$/i, '');
  const written: string[] = [];
  return {
    path,
    wantsFrames: true,
    async frame(state: ParticleState, info: FrameInfo) {
      const file = `${stem}_${String(info.step).padStart(6, '0')}.vtk`;
      await writeFile(file, toVTK(state, info));
      written.push(file);
    },
    async finish() {},
    async close() {},
    summary: () =>
      written.length === 0
        ? `${path}: no frames`
        : `${stem}_*.vtk: ${written.length} file${written.length === 1 ? '' : 's'} (VTK), ${written[0]} … ${written[written.length - 1]}`,
  };
}
