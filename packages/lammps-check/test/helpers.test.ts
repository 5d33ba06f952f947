/**
 * The pieces that need no LAMMPS: the configurations, the float64 reference evaluation and the
 * parsers of LAMMPS's output formats.
 */
import { describe, expect, it } from 'vitest';
import {
  cutoffMargin,
  fccConfiguration,
  lammpsDataFile,
  ljEnergyAndForces,
  minimumImage,
  parseDump,
  parseLoopTimes,
  parsePrinted,
  wrap,
  type LjConfiguration,
} from '../dist/index.js';
import { CONFIGURATIONS } from './helpers.js';

function temperature(config: LjConfiguration): number {
  let twiceKinetic = 0;
  for (let i = 0; i < config.n; i++) {
    const m = config.species[config.type[i]].mass;
    for (let k = 0; k < 3; k++) twiceKinetic += m * config.velocity[3 * i + k] ** 2;
  }
  return twiceKinetic / (3 * config.n - 3);
}

describe('configurations', () => {
  for (const [name, config] of Object.entries(CONFIGURATIONS)) {
    it(`${name}: 500 atoms at density 0.8442 in a float32 box of at least 2·rc, inside [0, box)`, () => {
      expect(config.n).toBe(500);
      expect(config.box).toBe(Math.fround(config.box));
      expect(config.box).toBeGreaterThanOrEqual(2 * config.cutoff);
      expect(config.n / config.box ** 3).toBeCloseTo(0.8442, 6);
      for (const x of config.position) {
        expect(x).toBe(Math.fround(x));
        expect(x >= 0 && x < config.box).toBe(true);
      }
      for (const v of config.velocity) expect(v).toBe(Math.fround(v));
    });

    it(`${name}: temperature 1.44 (3N − 3 degrees of freedom), momentum ~0, no pair near the cutoff`, () => {
      expect(temperature(config)).toBeCloseTo(1.44, 5);
      const p = [0, 0, 0];
      for (let i = 0; i < config.n; i++)
        for (let k = 0; k < 3; k++) p[k] += config.species[config.type[i]].mass * config.velocity[3 * i + k];
      for (const c of p) expect(Math.abs(c)).toBeLessThan(1e-4);
      expect(cutoffMargin(config.position, config.box, config.cutoff)).toBeGreaterThanOrEqual(2e-5);
    });
  }

  it('the mixture really mixes: both species present in comparable numbers', () => {
    const counts = [0, 0];
    for (const t of CONFIGURATIONS.mixture.type) counts[t]++;
    expect(Math.min(...counts)).toBeGreaterThan(200);
  });
});

describe('float64 reference', () => {
  it('a perfect fcc lattice feels no force (symmetry), and its energy per atom is the tabulated lattice sum', () => {
    const lattice = fccConfiguration({ cells: 4, density: 0.8442, cutoff: 2.5, displacement: 0, temperature: 1, seed: 1 });
    const { potential, force } = ljEnergyAndForces(lattice);
    // Zero up to the float32 rounding of the sites (about 3e-6 here; a displaced one feels 10-100).
    for (const f of force) expect(Math.abs(f)).toBeLessThan(1e-4);
    // LAMMPS bench/in.lj starts from this lattice: E_pair = −6.7733681 per atom (its log.lammps, step 0).
    expect(potential / lattice.n).toBeCloseTo(-6.7733681, 5);
  });

  it('forces are −∇U (central differences of the energy)', () => {
    const config = CONFIGURATIONS.mixture;
    const { force } = ljEnergyAndForces(config);
    const h = 1e-6;
    for (const c of [0, 7, 301, 1499]) {
      const plus = Float64Array.from(config.position);
      const minus = Float64Array.from(config.position);
      plus[c] += h;
      minus[c] -= h;
      const derivative = (ljEnergyAndForces(config, plus).potential - ljEnergyAndForces(config, minus).potential) / (2 * h);
      expect(force[c]).toBeCloseTo(-derivative, 4);
    }
  });

  it('minimum image and wrap', () => {
    expect(minimumImage(7, 8)).toBe(-1);
    expect(minimumImage(-7, 8)).toBe(1);
    expect(minimumImage(3, 8)).toBe(3);
    expect(wrap(-0.5, 8)).toBe(7.5);
    expect(wrap(8, 8)).toBe(0);
    expect(wrap(17, 8)).toBe(1);
  });
});

describe('LAMMPS formats', () => {
  it('data file: every number written so that it reads back as the same double', () => {
    const text = lammpsDataFile({
      box: Math.fround(8.4),
      position: [Math.fround(0.1), 1, 2],
      velocity: [Math.fround(-0.3), 0, 0],
      typeMasses: [2],
    });
    const atomLine = text.split('\n').find((l) => l.startsWith('1 1 '))!;
    expect(Number(atomLine.split(' ')[2])).toBe(Math.fround(0.1));
    expect(text).toContain(`0 ${Math.fround(8.4)} xlo xhi`);
    expect(text).toMatch(/Masses\n\n1 2\n/);
    expect(text).toMatch(/Velocities\n\n1 -0\.30000001192092896 0 0\n/);
  });

  it('custom dump, printed values and loop times', () => {
    const dump = parseDump(
      [
        'ITEM: TIMESTEP',
        '0',
        'ITEM: NUMBER OF ATOMS',
        '2',
        'ITEM: BOX BOUNDS pp pp pp',
        '0 8',
        '0 8',
        '0 8',
        'ITEM: ATOMS id fx',
        '2 -1.5',
        '1 0.25',
        '',
      ].join('\n'),
    );
    expect([...dump.columns.get('id')!]).toEqual([2, 1]);
    expect([...dump.columns.get('fx')!]).toEqual([-1.5, 0.25]);
    expect(dump.box).toEqual([
      [0, 8],
      [0, 8],
      [0, 8],
    ]);
    expect(parsePrinted('print "x"\nBR pe0 -3150.7482035851076\n').get('pe0')).toBe(-3150.7482035851076);
    expect(parseLoopTimes('Loop time of 1.20458 on 1 procs for 100 steps with 32000 atoms\n')).toEqual([
      { seconds: 1.20458, procs: 1, steps: 100, atoms: 32000 },
    ]);
  });
});
