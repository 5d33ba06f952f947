/**
 * Reference: LAMMPS itself (`lmp`, pair_style lj/cut), one process, on B4's very initial state
 * (written to a data file with round-trip precision). Its own "Loop time of X on 1 procs for N
 * steps with M atoms" line is the time of a run: set-up, reading the data file and building the
 * first neighbour list stay outside, as they do for every other row.
 *
 * One LAMMPS process runs a warm-up and then the timed runs, each from the initial state (`clear`
 * and read the data file again). Neighbour lists: `neighbor 0.3 bin` with `neigh_modify every 1
 * delay 0 check yes`, i.e. rebuilt whenever an atom has moved half the skin, so no pair inside the
 * cutoff is ever missed (bench/in.lj itself rebuilds every 20 steps unchecked).
 */
import { dumpVectors, lammpsDataFile, parseDump, parseLoopTimes, parsePrinted, probeLammps, runLammps } from '@brokenrecord/lammps-check';
import { finalStateOf, type Energies } from '../check.js';
import { summarize } from '../measure.js';
import { errorMessage, type Runner } from '../runner.js';
import type { Workload } from '../workload.js';

function lammpsInput(workload: Workload, runs: number): string {
  const physics = workload.physics;
  if (physics.kernel !== 'lennardJones') throw new Error(`no LAMMPS input for ${physics.kernel}`);
  const block = (r: number, last: boolean) => [
    'clear',
    'units lj',
    'atom_style atomic',
    'boundary p p p',
    'read_data data.lmp',
    `pair_style lj/cut ${physics.cutoff}`,
    `pair_coeff 1 1 ${physics.epsilon} ${physics.sigma}`,
    'pair_modify shift no',
    'neighbor 0.3 bin',
    'neigh_modify every 1 delay 0 check yes',
    'thermo_style custom step pe ke etotal',
    'thermo_modify norm no',
    `thermo ${workload.steps}`,
    `timestep ${workload.dt}`,
    'fix integrate all nve',
    'run 0 post no',
    `print "BR pe0_${r} $(pe:%.17g)"`,
    `print "BR e0_${r} $(etotal:%.17g)"`,
    `run ${workload.steps}`,
    `print "BR e1_${r} $(etotal:%.17g)"`,
    ...(last ? ['write_dump all custom final.dump id x y z modify sort id format float %.17g'] : []),
  ];
  const lines: string[] = [];
  for (let r = 0; r < runs; r++) lines.push(...block(r, r === runs - 1));
  return `${lines.join('\n')}\n`;
}

export const lammpsRunner: Runner = {
  id: 'lammps',
  label: 'LAMMPS lj/cut, 1 process',
  kind: 'reference',
  appliesTo: (workload) => workload.physics.kernel === 'lennardJones',
  async measure(workload, plan) {
    const probe = await probeLammps();
    if (!probe.available) return { status: 'skipped', reason: probe.reason };
    const physics = workload.physics;
    if (physics.kernel !== 'lennardJones') return { status: 'n/a', reason: 'LAMMPS runs the Lennard-Jones workload only' };
    try {
      const state = workload.createState();
      const position = new Float64Array(3 * state.count);
      const velocity = new Float64Array(3 * state.count);
      for (let i = 0; i < state.count; i++) {
        position.set([state.px[i], state.py[i], state.pz[i]], 3 * i);
        velocity.set([state.vx[i], state.vy[i], state.vz[i]], 3 * i);
      }
      const masses = new Set(state.mass);
      if (masses.size !== 1) return { status: 'n/a', reason: 'the LAMMPS row writes one atom type: every mass must be equal' };
      const data = lammpsDataFile({ box: physics.box, position, velocity, typeMasses: [...masses] });
      const runs = plan.warmups + plan.repeats;
      const { log, files } = await runLammps(lammpsInput(workload, runs), { 'data.lmp': data }, ['final.dump']);
      const loops = parseLoopTimes(log).filter((l) => l.steps === workload.steps);
      if (loops.length !== runs) throw new Error(`expected ${runs} "Loop time" lines for ${workload.steps} steps, found ${loops.length}`);
      if (loops.some((l) => l.procs !== 1 || l.atoms !== state.count))
        throw new Error(`LAMMPS ran ${loops[0].procs} procs with ${loops[0].atoms} atoms`);
      const stats = summarize(loops.slice(plan.warmups).map((l) => l.seconds));
      const printed = parsePrinted(log);
      const last = runs - 1;
      const energy: Energies = {
        potential0: printed.get(`pe0_${last}`) ?? NaN,
        total0: printed.get(`e0_${last}`) ?? NaN,
        total1: printed.get(`e1_${last}`) ?? NaN,
      };
      const x = dumpVectors(parseDump(files.get('final.dump')!), ['x', 'y', 'z']);
      const final = finalStateOf(state.count, (i) => [x[3 * i], x[3 * i + 1], x[3 * i + 2]]);
      final.energy = energy;
      const builds = /Neighbor list builds = (\d+)/.exec(log.slice(log.lastIndexOf('Loop time of')))?.[1];
      const rate = workload.steps / stats.median;
      return {
        status: 'ok',
        stats,
        final,
        detail: `LAMMPS ${probe.version}: ${rate.toFixed(1)} steps/s from its Loop time${builds ? `, ${builds} neighbour-list builds per run` : ''}`,
      };
    } catch (error) {
      return { status: 'failed', reason: errorMessage(error) };
    }
  },
};
