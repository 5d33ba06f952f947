/**
 * The granular comparison as LAMMPS computes it: `atom_style sphere`, `pair_style gran/hooke` with
 * its normal spring–dashpot only (Kt = 0, gamma_t = 0, xmu = 0: no tangential force, hence no
 * torque, so `fix nve/sphere` integrates the translations by plain velocity Verlet), positions and
 * velocities dumped every `every` steps.
 */
import type { GranularConfiguration, GranularTrajectory } from './granular-configuration.js';
import { exact, runLammps } from './lammps.js';

/** A LAMMPS data file (`atom_style sphere`: id type diameter density x y z) of exactly these spheres. */
export function granularDataFile(config: GranularConfiguration, margin = 20): string {
  const { n, position, velocity, radius, mass } = config;
  const lo = Math.min(...position) - margin;
  const hi = Math.max(...position) + margin;
  const lines = [
    'LAMMPS data file: BrokenRecord granular comparison',
    '',
    `${n} atoms`,
    '1 atom types',
    '',
    ...['x', 'y', 'z'].map((a) => `${exact(lo)} ${exact(hi)} ${a}lo ${a}hi`),
    '',
    'Atoms # sphere',
    '',
  ];
  for (let i = 0; i < n; i++) {
    // LAMMPS sets rmass = (4π/3)·r³·density: the density that gives back our mass to double rounding.
    const density = mass[i] / ((4 * Math.PI * radius[i] ** 3) / 3);
    lines.push(
      `${i + 1} 1 ${exact(2 * radius[i])} ${exact(density)} ${exact(position[3 * i])} ${exact(position[3 * i + 1])} ${exact(position[3 * i + 2])}`,
    );
  }
  lines.push('', 'Velocities', '');
  for (let i = 0; i < n; i++)
    lines.push(`${i + 1} ${exact(velocity[3 * i])} ${exact(velocity[3 * i + 1])} ${exact(velocity[3 * i + 2])} 0 0 0`);
  lines.push('');
  return lines.join('\n');
}

export function granularInputScript(config: GranularConfiguration, steps: number, dt: number, every: number): string {
  return [
    'units si',
    'atom_style sphere',
    'boundary f f f',
    'atom_modify map array sort 0 0.0',
    // Granular pair styles read the ghost atoms' velocities.
    'comm_modify vel yes',
    'read_data data.lmp',
    // Kn Kt gamma_n gamma_t xmu dampflag: the normal spring–dashpot alone.
    `pair_style gran/hooke ${exact(config.stiffness)} 0.0 ${exact(config.damping)} 0.0 0.0 0`,
    'pair_coeff * *',
    'neighbor 0.3 bin',
    'neigh_modify every 1 delay 0 check yes',
    'fix integrate all nve/sphere',
    `timestep ${exact(dt)}`,
    `dump traj all custom ${every} traj.dump id x y z vx vy vz`,
    'dump_modify traj sort id format float %.17g',
    'thermo_style custom step ke',
    `thermo ${steps}`,
    `run ${steps}`,
    '',
  ].join('\n');
}

/** Splits a multi-frame custom dump into frames of interleaved positions and velocities, by atom id. */
export function parseTrajectoryDump(text: string, n: number): GranularTrajectory['frames'] {
  const frames: GranularTrajectory['frames'] = [];
  const lines = text.split('\n');
  for (let at = 0; at < lines.length; at++) {
    if (!lines[at].startsWith('ITEM: ATOMS')) continue;
    const names = lines[at].slice('ITEM: ATOMS'.length).trim().split(/\s+/);
    const col = (name: string) => names.indexOf(name);
    const position = new Float64Array(3 * n);
    const velocity = new Float64Array(3 * n);
    for (let r = 0; r < n; r++) {
      const f = lines[at + 1 + r].trim().split(/\s+/).map(Number);
      const i = f[col('id')] - 1;
      for (let k = 0; k < 3; k++) {
        position[3 * i + k] = f[col(['x', 'y', 'z'][k])];
        velocity[3 * i + k] = f[col(['vx', 'vy', 'vz'][k])];
      }
    }
    frames.push({ position, velocity });
  }
  return frames;
}

export async function lammpsGranular(config: GranularConfiguration, steps: number, dt: number, every: number): Promise<GranularTrajectory> {
  const { files } = await runLammps(granularInputScript(config, steps, dt, every), { 'data.lmp': granularDataFile(config) }, ['traj.dump']);
  return { every, frames: parseTrajectoryDump(files.get('traj.dump')!, config.n) };
}
