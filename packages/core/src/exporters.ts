import type { ParticleState } from './state.js';

/**
 * Text exports of one frame. Trajectories are these frames concatenated (XYZ and CSV are
 * append-friendly; VTK is one file per frame, as ParaView expects a numbered series).
 */
export interface FrameInfo {
  step?: number;
  time?: number;
}

const num = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** CSV with a header; `withHeader: false` to append further frames to the same file. */
export function toCSV(state: ParticleState, frame: FrameInfo = {}, withHeader = true): string {
  const lines = withHeader ? ['step,time,id,x,y,z,vx,vy,vz,mass,radius'] : [];
  const { px, py, pz, vx, vy, vz, mass, radius } = state;
  const step = frame.step ?? 0;
  const time = frame.time ?? 0;
  for (let i = 0; i < state.count; i++) {
    lines.push(`${step},${time},${i},${px[i]},${py[i]},${pz[i]},${vx[i]},${vy[i]},${vz[i]},${mass[i]},${radius[i]}`);
  }
  return lines.join('\n') + '\n';
}

/** Extended XYZ (OVITO, VMD): count line, comment line with the column layout, one line per particle. */
export function toXYZ(state: ParticleState, frame: FrameInfo = {}): string {
  const comment =
    `Properties=species:S:1:pos:R:3:velo:R:3:mass:R:1:radius:R:1 ` + `step=${frame.step ?? 0} Time=${frame.time ?? 0}`;
  const lines = [String(state.count), comment];
  const { px, py, pz, vx, vy, vz, mass, radius } = state;
  for (let i = 0; i < state.count; i++) {
    lines.push(`P ${px[i]} ${py[i]} ${pz[i]} ${vx[i]} ${vy[i]} ${vz[i]} ${mass[i]} ${radius[i]}`);
  }
  return lines.join('\n') + '\n';
}

/** Legacy VTK ASCII polydata (ParaView): points, one vertex cell each, velocity/mass/radius as point data. */
export function toVTK(state: ParticleState, frame: FrameInfo = {}): string {
  const n = state.count;
  const { px, py, pz, vx, vy, vz, mass, radius } = state;
  const out: string[] = [
    '# vtk DataFile Version 3.0',
    `BrokenRecord step ${frame.step ?? 0} time ${frame.time ?? 0}`,
    'ASCII',
    'DATASET POLYDATA',
    `POINTS ${n} float`,
  ];
  for (let i = 0; i < n; i++) out.push(`${num(px[i])} ${num(py[i])} ${num(pz[i])}`);
  out.push(`VERTICES ${n} ${2 * n}`);
  for (let i = 0; i < n; i++) out.push(`1 ${i}`);
  out.push(`POINT_DATA ${n}`, 'VECTORS velocity float');
  for (let i = 0; i < n; i++) out.push(`${num(vx[i])} ${num(vy[i])} ${num(vz[i])}`);
  out.push('SCALARS mass float 1', 'LOOKUP_TABLE default');
  for (let i = 0; i < n; i++) out.push(num(mass[i]));
  out.push('SCALARS radius float 1', 'LOOKUP_TABLE default');
  for (let i = 0; i < n; i++) out.push(num(radius[i]));
  return out.join('\n') + '\n';
}
