/**
 * The Lennard-Jones comparison as LAMMPS computes it: potential energy and per-atom forces of the
 * configuration (a `run 0`), then `steps` NVE velocity-Verlet steps and the final positions and
 * velocities, all in one LAMMPS process.
 */
import type { LjConfiguration } from './configuration.js';
import { dumpVectors, exact, lammpsDataFile, parseDump, parsePrinted, runLammps } from './lammps.js';

export interface LammpsLjResult {
  potential0: number;
  kinetic0: number;
  /** Per-atom forces at the start, interleaved, by atom index. */
  force0: Float64Array;
  /** Positions and velocities as LAMMPS read them from the data file. */
  position0: Float64Array;
  velocity0: Float64Array;
  potential1: number;
  kinetic1: number;
  /** After the run: wrapped positions, unwrapped positions (x + image·box), velocities. */
  position1: Float64Array;
  unwrapped1: Float64Array;
  velocity1: Float64Array;
  /** The whole LAMMPS log. */
  log: string;
}

/**
 * The input script. `pair_modify shift no` (LAMMPS's default, written out) is plain truncation;
 * with several atom types every pair mixes as `pair_modify mix arithmetic`. Neighbour lists are
 * checked every step, so no pair inside the cutoff is ever missed and the trajectory is exact
 * velocity Verlet, not an approximation of it.
 */
export function ljInputScript(config: LjConfiguration, steps: number, dt: number): string {
  const typeLines = config.species.map((s, t) => `pair_coeff ${t + 1} ${t + 1} ${exact(s.epsilon)} ${exact(s.sigma)}`);
  return [
    'units lj',
    'atom_style atomic',
    'boundary p p p',
    // Keep atoms in their original order in memory (no spatial sort); dumps are sorted by id anyway.
    'atom_modify map array sort 0 0.0',
    'read_data data.lmp',
    `pair_style lj/cut ${exact(config.cutoff)}`,
    ...typeLines,
    'pair_modify shift no mix arithmetic',
    'neighbor 0.3 bin',
    'neigh_modify every 1 delay 0 check yes',
    'thermo_style custom step pe ke etotal',
    'thermo_modify norm no',
    `thermo ${Math.max(steps, 1)}`,
    'run 0',
    'print "BR pe0 $(pe:%.17g)"',
    'print "BR ke0 $(ke:%.17g)"',
    'write_dump all custom forces0.dump id fx fy fz modify sort id format float %.17g',
    'write_dump all custom initial.dump id x y z vx vy vz modify sort id format float %.17g',
    'fix integrate all nve',
    `timestep ${exact(dt)}`,
    `run ${steps}`,
    'print "BR pe1 $(pe:%.17g)"',
    'print "BR ke1 $(ke:%.17g)"',
    'write_dump all custom final.dump id x y z ix iy iz vx vy vz modify sort id format float %.17g',
    '',
  ].join('\n');
}

export async function lammpsLj(config: LjConfiguration, steps: number, dt: number): Promise<LammpsLjResult> {
  const data = lammpsDataFile({
    box: config.box,
    position: config.position,
    velocity: config.velocity,
    type: config.type,
    typeMasses: config.species.map((s) => s.mass),
  });
  const { log, files } = await runLammps(ljInputScript(config, steps, dt), { 'data.lmp': data }, [
    'forces0.dump',
    'initial.dump',
    'final.dump',
  ]);
  const printed = parsePrinted(log);
  const value = (name: string) => {
    const v = printed.get(name);
    if (v === undefined || !Number.isFinite(v)) throw new Error(`LAMMPS log has no value for ${name}`);
    return v;
  };
  const forces = parseDump(files.get('forces0.dump')!);
  const initial = parseDump(files.get('initial.dump')!);
  const final = parseDump(files.get('final.dump')!);
  const position1 = dumpVectors(final, ['x', 'y', 'z']);
  const image = dumpVectors(final, ['ix', 'iy', 'iz']);
  const unwrapped1 = position1.map((x, k) => x + image[k] * config.box);
  return {
    potential0: value('pe0'),
    kinetic0: value('ke0'),
    force0: dumpVectors(forces, ['fx', 'fy', 'fz']),
    position0: dumpVectors(initial, ['x', 'y', 'z']),
    velocity0: dumpVectors(initial, ['vx', 'vy', 'vz']),
    potential1: value('pe1'),
    kinetic1: value('ke1'),
    position1,
    unwrapped1,
    velocity1: dumpVectors(final, ['vx', 'vy', 'vz']),
    log,
  };
}
