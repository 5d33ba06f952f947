import type { ParticleState } from './state.js';
import { checkGenuineState } from './state-check.js';

/**
 * Text exports of one frame. Trajectories are these frames concatenated (XYZ and CSV are
 * append-friendly; VTK is one file per frame, as ParaView expects a numbered series). A state's
 * attribute columns follow the eight columns in each format, in declaration order, named as
 * declared; a state without attributes exports exactly as it did before attributes existed.
 */
export interface FrameInfo {
  step?: number;
  time?: number;
}

const num = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

const attributeColumns = (state: ParticleState) => state.attributeNames.map((name) => state.attribute(name));

/**
 * CSV with a header (one column per attribute after `radius`, headed by its name); `withHeader:
 * false` to append further frames to the same file.
 */
export function toCSV(state: ParticleState, frame: FrameInfo = {}, withHeader = true): string {
  checkGenuineState(state);
  const header = ['step,time,id,x,y,z,vx,vy,vz,mass,radius', ...state.attributeNames].join(',');
  const lines = withHeader ? [header] : [];
  const { px, py, pz, vx, vy, vz, mass, radius } = state;
  const attributes = attributeColumns(state);
  const step = frame.step ?? 0;
  const time = frame.time ?? 0;
  for (let i = 0; i < state.count; i++) {
    let line = `${step},${time},${i},${px[i]},${py[i]},${pz[i]},${vx[i]},${vy[i]},${vz[i]},${mass[i]},${radius[i]}`;
    for (const col of attributes) line += `,${col[i]}`;
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/**
 * Extended XYZ (OVITO, VMD): count line, comment line with the column layout, one line per
 * particle. Attributes are further `name:R:1` properties after `radius`.
 */
export function toXYZ(state: ParticleState, frame: FrameInfo = {}): string {
  checkGenuineState(state);
  const properties = ['species:S:1:pos:R:3:velo:R:3:mass:R:1:radius:R:1', ...state.attributeNames.map((name) => `${name}:R:1`)].join(':');
  const comment = `Properties=${properties} ` + `step=${frame.step ?? 0} Time=${frame.time ?? 0}`;
  const lines = [String(state.count), comment];
  const { px, py, pz, vx, vy, vz, mass, radius } = state;
  const attributes = attributeColumns(state);
  for (let i = 0; i < state.count; i++) {
    let line = `P ${px[i]} ${py[i]} ${pz[i]} ${vx[i]} ${vy[i]} ${vz[i]} ${mass[i]} ${radius[i]}`;
    for (const col of attributes) line += ` ${col[i]}`;
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/**
 * Legacy VTK ASCII polydata (ParaView): points, one vertex cell each, velocity/mass/radius as point
 * data, then each attribute as `SCALARS <name> float 1`.
 */
export function toVTK(state: ParticleState, frame: FrameInfo = {}): string {
  checkGenuineState(state);
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
  for (const name of state.attributeNames) {
    const col = state.attribute(name);
    out.push(`SCALARS ${name} float 1`, 'LOOKUP_TABLE default');
    for (let i = 0; i < n; i++) out.push(num(col[i]));
  }
  return out.join('\n') + '\n';
}
