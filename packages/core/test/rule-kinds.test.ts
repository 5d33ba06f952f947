import { describe, expect, it } from 'vitest';
import {
  bondForce,
  checkState,
  compileKernelPlan,
  computeDiagnostics,
  ConservationContractError,
  defineSystem,
  drag,
  evaluate,
  externalForce,
  field,
  forEachPairWithin,
  pairForce,
  pairwiseGravity,
  ParticleState,
  periodic,
  bounds,
  systemFromJSON,
  systemToJSON,
  uniformGravity,
  ValidationError,
  lennardJones,
  type KernelPlan,
} from '../src/index.js';

const LJ = '4*eps*((sig/r)^12 - (sig/r)^6)';

/** A seeded generator so failures reproduce. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('expression rule factories', () => {
  it("pairForce derives fScale = U'(r)/r symbolically (Lennard-Jones against the closed form)", () => {
    const plan = compileKernelPlan(
      defineSystem({ rules: [pairForce({ energy: LJ, parameters: { eps: 1.5, sig: 0.9 }, cutoff: 2.5 })] }),
      0.01,
    );
    const [term] = plan.pairs;
    for (const r of [0.85, 1, 1.12, 1.7, 2.4]) {
      const s6 = (0.9 / r) ** 6;
      const dUdr = (4 * 1.5 * (-12 * s6 * s6 + 6 * s6)) / r;
      expect(evaluate(term.fScale, { r })).toBeCloseTo(dUdr / r, 10);
      expect(evaluate(term.energy, { r })).toBeCloseTo(4 * 1.5 * (s6 * s6 - s6), 12);
    }
    expect(term.cutoff).toBe(2.5);
    expect(plan.maxCutoff).toBe(2.5);
  });

  it('shift: true moves the energy to 0 at the cutoff, per pair (per-particle sigma), and leaves the force alone', () => {
    const energy = `${LJ}; sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)`;
    const plain = compileKernelPlan(defineSystem({ rules: [pairForce({ energy, perParticle: ['sigma', 'epsilon'], cutoff: 2.5 })] }), 1)
      .pairs[0];
    const shifted = compileKernelPlan(
      defineSystem({ rules: [pairForce({ energy, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, shift: true })] }),
      1,
    ).pairs[0];
    const env = { sigma1: 1, sigma2: 1.2, epsilon1: 0.5, epsilon2: 2 };
    expect(Math.abs(evaluate(shifted.energy, { ...env, r: 2.5 }))).toBeLessThan(1e-15);
    expect(evaluate(plain.energy, { ...env, r: 2.5 })).not.toBe(0);
    for (const r of [1, 1.3, 2]) expect(evaluate(shifted.fScale, { ...env, r })).toBeCloseTo(evaluate(plain.fScale, { ...env, r }), 12);
    expect(shifted.columns).toEqual(['sigma', 'epsilon']);
  });

  it('externalForce derives F = −∇U; its conservation depends on whether U reads t', () => {
    const trap = externalForce({ energy: '0.5*k*(x^2 + 2*y^2 + 3*z^2)', parameters: { k: 2 } });
    const [term] = compileKernelPlan(defineSystem({ rules: [trap] }), 1).external;
    const at = { x: 0.3, y: -0.7, z: 1.1, t: 0, m: 1, radius: 0 };
    expect(term.force.map((f) => evaluate(f, at))).toEqual([-2 * 0.3, -2 * 2 * -0.7, -2 * 3 * 1.1].map((v) => expect.closeTo(v, 12)));
    expect(term.usesTime).toBe(false);
    expect(trap.conserves).toEqual(['energy']);
    const moving = externalForce({ energy: '0.5*(x - sin(t))^2' });
    expect(moving.conserves).toEqual([]);
    expect(compileKernelPlan(defineSystem({ rules: [moving] }), 1).external[0].usesTime).toBe(true);
    expect(() => defineSystem({ rules: [trap], conserves: ['momentum'] })).toThrow(ConservationContractError);
    expect(() => defineSystem({ rules: [moving], conserves: ['energy'] })).toThrow(ConservationContractError);
  });

  it('field keeps its accelerations (parameters substituted) and says whether they read velocities', () => {
    const magnetic = field({
      acceleration: ['q*(vy*Bz - vz*By)/m', 'q*(vz*Bx - vx*Bz)/m', 'q*(vx*By - vy*Bx)/m'],
      parameters: { Bx: 0, By: 0, Bz: 2 },
      perParticle: ['q'],
    });
    const [term] = compileKernelPlan(defineSystem({ rules: [magnetic] }), 1).fields;
    const at = { x: 0, y: 0, z: 0, vx: 1, vy: 3, vz: 5, t: 0, m: 2, radius: 0, q: -1 };
    expect(term.acceleration.map((a) => evaluate(a, at))).toEqual(
      [(-1 * 3 * 2) / 2, (-1 * -1 * 2) / 2, 0].map((v) => expect.closeTo(v, 12)),
    );
    expect(term.usesVelocity).toBe(true);
    expect(magnetic.conserves).toEqual([]);
  });

  it('rejects unknown identifiers with a caret under the column, and malformed options', () => {
    let error: unknown;
    try {
      pairForce({ energy: '4*eps*(sigmaa/r)^12', parameters: { eps: 1 } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const lines = (error as Error).message.split('\n');
    const source = lines.findIndex((l) => l.includes('4*eps*(sigmaa/r)^12'));
    expect(lines[source + 1].indexOf('^') - lines[source].indexOf('4*eps')).toBe('4*eps*('.length);
    expect(() => pairForce({ energy: 'r', shift: true })).toThrow(/needs a cutoff/);
    expect(() => pairForce({ energy: 'k/r', parameters: { r: 1 } as never })).toThrow(ValidationError);
    expect(() => pairForce({ energy: 'q1/r', perParticle: ['q'], parameters: { q1: 2 } })).toThrow(/also one of/);
    expect(() => pairForce({ energy: 'x/r' })).toThrow(ValidationError); // x is not a pair variable
    expect(() => externalForce({ energy: 'r' })).toThrow(ValidationError); // r is not an external variable
    expect(() => field({ acceleration: ['1', '2'] as never })).toThrow(/three expressions/);
    expect(() => bondForce({ energy: '0.5*k*(r-1)^2', bonds: [[0, 0]] })).toThrow(/itself/);
    expect(() => bondForce({ energy: '0.5*k*(r-r0)^2', bonds: [[0, 1]], perBond: { k: [1, 2], r0: [1] } })).toThrow(ValidationError);
    expect(() => pairForce({ energy: 'r', bogus: 1 } as never)).toThrow(/unknown option/);
  });

  it('periodic: wrap-incompatible systems are ValidationErrors', () => {
    const box = periodic({ min: [0, 0, 0], max: [6, 6, 8] });
    expect(() => defineSystem({ rules: [box, pairForce({ energy: LJ, parameters: { eps: 1, sig: 1 }, cutoff: 3.01 })] })).toThrow(
      /half the periodic box/,
    );
    expect(defineSystem({ rules: [box, pairForce({ energy: LJ, parameters: { eps: 1, sig: 1 }, cutoff: 3 })] }).kinds.has('periodic')).toBe(
      true,
    );
    expect(() => defineSystem({ rules: [box, pairForce({ energy: '1/r' })] })).toThrow(/needs a cutoff/);
    expect(() => defineSystem({ rules: [box, pairwiseGravity({ softening: 0.1 })] })).toThrow(/periodic/);
    expect(() => defineSystem({ rules: [box, bounds({ min: [0, 0, 0], max: [1, 1, 1] })] })).toThrow(/periodic/);
    expect(() => defineSystem({ rules: [box, box] })).toThrow(/at most one/);
    expect(box.conserves).toEqual(['energy', 'momentum']);
    expect(() => defineSystem({ rules: [box], conserves: ['angularMomentum'] })).toThrow(ConservationContractError);
    const plan: KernelPlan = compileKernelPlan(defineSystem({ rules: [periodic({ min: [-0.1, 0, 0], max: [0.2, 1, 1] })] }), 1);
    expect(plan.periodic!.min[0]).toBe(Math.fround(-0.1));
    expect(plan.periodic!.length[0]).toBe(Math.fround(Math.fround(0.2) - Math.fround(-0.1)));
  });

  it('expression rules survive the snapshot JSON form of a system', () => {
    const system = defineSystem({
      integrator: 'verlet',
      rules: [
        pairForce({ energy: LJ, parameters: { eps: 1, sig: 1 }, cutoff: 2.5, shift: true, exclude: 'bonds' }),
        bondForce({ energy: '0.5*k*(r - r0)^2', bonds: [[0, 1]], perBond: { r0: [1.1] }, parameters: { k: 50 } }),
        externalForce({ energy: 'm*g*y', parameters: { g: 9.8 } }),
        field({ acceleration: ['0', '0', '-c*vz'], parameters: { c: 0.1 } }),
        periodic({ min: [0, 0, 0], max: [10, 10, 10] }),
        drag({ k: 0.1 }),
      ],
    });
    const again = systemFromJSON(JSON.parse(JSON.stringify(systemToJSON(system))));
    expect(JSON.stringify(systemToJSON(again))).toBe(JSON.stringify(systemToJSON(system)));
    expect(JSON.stringify(compileKernelPlan(again, 0.1))).toBe(JSON.stringify(compileKernelPlan(system, 0.1)));
  });
});

describe('state requirements and reference energies', () => {
  it('a rule reading an attribute the state lacks is a ValidationError before any backend runs', () => {
    const system = defineSystem({ rules: [pairForce({ energy: 'q1*q2/r', perParticle: ['q'] })] });
    expect(() =>
      checkState(
        ParticleState.from({
          position: [
            [0, 0, 0],
            [1, 0, 0],
          ],
          mass: 1,
        }),
        system,
      ),
    ).toThrow(/no attribute 'q'/);
    const ok = ParticleState.from({
      position: [
        [0, 0, 0],
        [2, 0, 0],
      ],
      mass: 1,
      attributes: { q: [1, -3] },
    });
    expect(computeDiagnostics(checkState(ok, system), system).potential).toBeCloseTo(-1.5, 6);
  });

  it('bondForce installs its bonds into a state without that table, and keeps a table the state has', () => {
    const rule = bondForce({
      energy: '0.5*k*(r - 1)^2',
      bonds: [
        [0, 1],
        [1, 2],
      ],
      parameters: { k: 2 },
    });
    const system = defineSystem({ rules: [rule] });
    const state = ParticleState.from({
      position: [
        [0, 0, 0],
        [2, 0, 0],
        [2, 3, 0],
      ],
      mass: 1,
    });
    checkState(state, system);
    expect([...state.bonds('bonds')!.i]).toEqual([0, 1]);
    expect(computeDiagnostics(state, system).potential).toBeCloseTo(0.5 * 2 * 1 + 0.5 * 2 * 4, 6);
    state.remove([0]); // drops bond 0-1, renumbers 1-2 to 0-1
    checkState(state, system);
    expect(state.bonds('bonds')!.count).toBe(1);
    expect(computeDiagnostics(state, system).potential).toBeCloseTo(0.5 * 2 * 4, 6);
    const noBonds = defineSystem({ rules: [bondForce({ energy: 'r' })] });
    expect(() => checkState(ParticleState.from({ position: [[0, 0, 0]], mass: 1 }), noBonds)).toThrow(/no bond table/);
  });

  it('the cell-grid pair search equals brute force with the nearest image, and the reference pair energy uses it', () => {
    const rand = random(7);
    const n = 400;
    const L = 9;
    const position = Array.from({ length: n }, () => [rand() * L, rand() * L, rand() * L]);
    const state = ParticleState.from({ position, mass: 1 });
    const rule = periodic({ min: [0, 0, 0], max: [L, L, L] });
    const box = compileKernelPlan(defineSystem({ rules: [rule] }), 1).periodic!;
    const found = new Set<string>();
    forEachPairWithin(state, 2.5, box, (i, j) => found.add(`${i},${j}`));
    const expected = new Set<string>();
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = [0, 1, 2].map((k) => {
          const c = [state.px, state.py, state.pz][k];
          const x = c[j] - c[i];
          return x - L * Math.round(x / L);
        });
        if (d[0] ** 2 + d[1] ** 2 + d[2] ** 2 < 2.5 ** 2) expected.add(`${i},${j}`);
      }
    }
    expect(found.size).toBe(expected.size);
    for (const key of expected) expect(found.has(key)).toBe(true);
    const system = defineSystem({ rules: [rule, pairForce({ energy: '1/r^2', cutoff: 2.5 })] });
    let brute = 0;
    forEachPairWithin(state, 2.5, box, (_i, _j, _x, _y, _z, r2) => (brute += 1 / r2));
    expect(computeDiagnostics(state, system).potential).toBeCloseTo(brute, 8);
  });

  it('potential energy sums the presets and every expression rule', () => {
    const state = ParticleState.from({
      position: [
        [0, 1, 0],
        [3, 1, 0],
      ],
      mass: [2, 1],
    });
    const system = defineSystem({
      rules: [uniformGravity({ g: [0, -1, 0] }), externalForce({ energy: 'm*x' }), pairForce({ energy: 'r^2' })],
    });
    expect(computeDiagnostics(state, system).potential).toBeCloseTo(2 * 1 + 1 * 1 + (0 + 3) + 9, 10);
  });
});

describe('presets written as math', () => {
  it('lennardJones is a pairForce whose plan equals the hand-written expression', () => {
    const preset = lennardJones({ epsilon: 2, sigma: 1.1, shift: true });
    expect(preset.kind).toBe('pairForce');
    expect(preset.options.cutoff).toBeCloseTo(2.75, 12);
    const hand = pairForce({ energy: LJ, parameters: { eps: 2, sig: 1.1 }, cutoff: 2.75, shift: true });
    const a = compileKernelPlan(defineSystem({ rules: [preset] }), 1).pairs[0];
    const b = compileKernelPlan(defineSystem({ rules: [hand] }), 1).pairs[0];
    for (const r of [0.9, 1.2, 2.7]) {
      expect(evaluate(a.fScale, { r })).toBeCloseTo(evaluate(b.fScale, { r }), 10);
      expect(evaluate(a.energy, { r })).toBeCloseTo(evaluate(b.energy, { r }), 12);
    }
    expect(() => lennardJones({ epsilon: Number.NaN })).toThrow(ValidationError);
  });
});
