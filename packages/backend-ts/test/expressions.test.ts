import { describe, expect, it } from 'vitest';
import {
  bondForce,
  checkState,
  defineSystem,
  externalForce,
  field,
  firstNonFinite,
  pairForce,
  periodic,
  ParticleState,
  type Integrator,
  type Rule,
} from '@brokenrecord/core';
import { createContext, firstBitDifference } from './helpers.js';
import { backendAccelerations, closestToCutoff, referenceAccelerations, relativeDifference } from './expression-helpers.js';
import { awayFromCutoff, chain, cloud, everything, everythingState, LJ_MIXED, stepped } from './scenes.js';

interface Case {
  name: string;
  rules: (integrator: Integrator) => Rule[];
  state: () => ParticleState;
  /** Cutoff and box to keep finite differences away from the cutoff's kink. */
  cutoff?: number;
  box?: number;
  time?: number;
}

const cases: Case[] = [
  {
    name: 'pairForce with cutoff and mixing rules (cell grid)',
    rules: () => [pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5 })],
    state: () => awayFromCutoff(60, 7, 1, 2.5, false),
    cutoff: 2.5,
  },
  {
    name: 'pairForce with cutoff and shift in a periodic box of ≥ 3 cells (grid with image shifts)',
    rules: () => [
      pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, shift: true }),
      periodic({ min: [0, 0, 0], max: [8, 8, 8] }),
    ],
    state: () => awayFromCutoff(90, 8, 2, 2.5, true),
    cutoff: 2.5,
    box: 8,
  },
  {
    name: 'pairForce in a periodic box too small for 3 cells (nearest image per pair)',
    rules: () => [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5 }), periodic({ min: [-1, -1, -1], max: [5, 5, 5] })],
    state: () => {
      const s = awayFromCutoff(50, 6, 3, 2.5, true);
      for (let i = 0; i < s.count; i++) {
        s.px[i] -= 1;
        s.py[i] -= 1;
        s.pz[i] -= 1;
      }
      return s;
    },
    cutoff: 2.5,
    box: 6,
  },
  {
    name: 'pairForce without cutoff (all pairs, odd powers of r)',
    rules: () => [pairForce({ energy: 'k*q1*q2/r', perParticle: ['q'], parameters: { k: 1.5 } })],
    state: () => cloud(40, 6, 4),
  },
  {
    name: 'pairForce mixing odd powers, exp and a softened 1/r (partly rewritten over r²)',
    rules: () => [pairForce({ energy: '0.5*exp(-1.5*r)*(1 + r^2) - m1*m2/sqrt(r^2 + 0.04) + 0.1*r^3', cutoff: 3 })],
    state: () => awayFromCutoff(40, 6, 9, 3, false),
    cutoff: 3,
  },
  {
    name: 'externalForce reading t, m and an attribute',
    rules: () => [
      externalForce({
        energy: '0.5*k*m*(x^2 + 2*y^2 + z^2) + a*q*x*sin(w*t) + exp(-z^2)',
        perParticle: ['q'],
        parameters: { k: 2, a: 0.7, w: 1.3 },
      }),
    ],
    state: () => cloud(30, 5, 5),
    time: 3,
  },
  {
    name: 'bondForce with per-bond parameters and particle columns',
    rules: () => [
      bondForce({
        energy: '0.5*k*(r - r0)^2 + c*q1*q2/r',
        bonds: chain(12),
        perBond: { k: Array.from({ length: 11 }, (_, b) => 10 + b), r0: Array.from({ length: 11 }, (_, b) => 0.8 + 0.05 * b) },
        perParticle: ['q'],
        parameters: { c: 0.3 },
      }),
    ],
    state: () => cloud(12, 4, 6, 0.7),
  },
  {
    name: "pairForce with exclude: 'bonds' beside a bondForce, in a periodic box",
    rules: () => [
      pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.2, exclude: 'bonds' }),
      bondForce({ energy: '20*(r - 1)^2', bonds: [...chain(10), [20, 30], [31, 44]] }),
      periodic({ min: [0, 0, 0], max: [7, 7, 7] }),
    ],
    state: () => awayFromCutoff(50, 7, 7, 2.2, true),
    cutoff: 2.2,
    box: 7,
  },
];

describe("expression rules: forces are −∇U of core's reference potential", () => {
  for (const c of cases) {
    for (const codegen of ['js', 'interpreter'] as const) {
      it(`${c.name} (${codegen})`, async () => {
        const system = defineSystem({ integrator: 'euler', rules: c.rules('euler') });
        const state = c.state();
        // Central differences of a truncated potential are wrong near the cutoff: keep pairs away from it.
        if (c.cutoff) expect(closestToCutoff(state, c.cutoff, c.box ? [c.box, c.box, c.box] : null)).toBeGreaterThan(2e-4);
        const expected = referenceAccelerations(system, state, c.time ?? 0, 1e-4);
        const got = await backendAccelerations(system, state, { codegen }, c.time ?? 0);
        expect(relativeDifference(got, expected)).toBeLessThan(1e-4);
        // Not a trivial case: the forces are far from zero.
        expect(Math.max(...expected.ax.map(Math.abs))).toBeGreaterThan(1e-2);
      });
    }
  }

  it('a field adds its accelerations, reading x, v, t, m and attributes', async () => {
    const B = 1.7;
    const system = defineSystem({
      integrator: 'euler',
      rules: [
        field({ acceleration: ['q*(vy*B)/m', '-q*(vx*B)/m', '0'], perParticle: ['q'], parameters: { B } }),
        field({ acceleration: ['-x', 'cos(t)', 'step(z - 2)'] }),
      ],
    });
    const state = cloud(20, 4, 8, 0.5, 2);
    const t = 3;
    const got = await backendAccelerations(system, state, {}, t); // dt = 1: step 3 starts at t = 3
    const q = state.attribute('q');
    for (let i = 0; i < state.count; i++) {
      const m = state.mass[i];
      const ax = (q[i] * (state.vy[i] * B)) / m - state.px[i];
      const ay = -(q[i] * (state.vx[i] * B)) / m + Math.cos(t);
      const az = state.pz[i] - 2 >= 0 ? 1 : 0;
      // v₁ = f32(v₀ + a): a is known to a float32 ulp of the larger of v₀ and a.
      const ulp = (x: number) => 2 ** -23 * Math.max(Math.abs(x), 1);
      expect(Math.abs(got.ax[i] - ax)).toBeLessThan(2 * ulp(state.vx[i] + ax));
      expect(Math.abs(got.ay[i] - ay)).toBeLessThan(2 * ulp(state.vy[i] + ay));
      expect(Math.abs(got.az[i] - az)).toBeLessThan(2 * ulp(state.vz[i] + az));
    }
  });
});

describe('generated and interpreted kernels', () => {
  for (const integrator of ['euler', 'verlet'] as Integrator[]) {
    for (const withBox of [false, true]) {
      it(`${integrator}${withBox ? ', periodic' : ''}: every kind at once, generated and interpreted agree bitwise`, async () => {
        const system = defineSystem({ integrator, rules: everything(integrator, withBox) });
        const start = everythingState();
        const js = await stepped(system, start, 40, { dt: 0.002, codegen: 'js' });
        const interpreted = await stepped(system, start, 40, { dt: 0.002, codegen: 'interpreter' });
        expect(firstBitDifference(js, interpreted)).toBeNull();
        expect(firstNonFinite(js)).toBe(-1);
        expect(firstBitDifference(js, start)).not.toBeNull();
      });
    }
  }

  it('the generated source holds only the trees: no user text, no user name unmangled', async () => {
    const system = defineSystem({
      integrator: 'euler',
      rules: [
        pairForce({
          energy: '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)',
          perParticle: ['sigma', 'epsilon'],
          cutoff: 2.5,
        }),
      ],
    });
    const state = cloud(10, 4, 12);
    const ctx = await createContext(system, state, { dt: 0.01 });
    const source = ctx.generatedSource!;
    expect(ctx.codegen).toBe('js');
    expect(source).toContain('v_sigma1');
    expect(source).not.toMatch(/[^_]sigma1/);
    expect(source).not.toMatch(/\beps\b|\bsig\b/);
    expect(source).not.toContain('^');
    // LJ is even in r: the loop uses r² only (no square root, one division).
    expect(source).not.toContain('Math.sqrt(r2)');
  });
});

describe('expression rules across step calls', () => {
  for (const integrator of ['euler', 'verlet'] as Integrator[]) {
    it(`${integrator}: step(n) equals n calls of step(1), also for terms reading t (the cache keeps the time)`, async () => {
      const system = defineSystem({ integrator, rules: everything(integrator, true) });
      const start = everythingState();
      const once = await stepped(system, start, 12, { dt: 0.003 });
      const single = await stepped(system, start, 12, { dt: 0.003 }, Array(12).fill(1));
      const mixed = await stepped(system, start, 12, { dt: 0.003 }, [5, 0, 7]);
      expect(firstBitDifference(single, once)).toBeNull();
      expect(firstBitDifference(mixed, once)).toBeNull();
    });
  }

  it('time: step s of a call runs at t = (from + s)·dt', async () => {
    // a = t along x, nothing else: euler gives v_n = Σ_{k<n} (from + k)·dt·dt exactly in float64, then rounds.
    const system = defineSystem({ integrator: 'euler', rules: [externalForce({ energy: '-x*t' })] });
    const state = ParticleState.from({ position: [[0, 0, 0]], mass: 1 });
    checkState(state, system);
    const ctx = await createContext(system, state, { dt: 0.5 });
    ctx.step(1, 10); // t = 5
    expect(state.vx[0]).toBe(2.5);
    ctx.step(1, 2); // t = 1
    expect(state.vx[0]).toBe(3);
  });

  it('verlet: a different start step, an edited attribute or new bonds all recompute the cached forces', async () => {
    const rules = [
      pairForce({ energy: 'q1*q2*exp(-r)', perParticle: ['q'], cutoff: 2.5 }),
      externalForce({ energy: 'x*t' }),
      bondForce({ energy: '10*(r - 1)^2', bonds: chain(5) }),
    ];
    const system = defineSystem({ integrator: 'verlet', rules });
    const start = cloud(40, 6, 13);
    checkState(start, system);
    const script = async (edit: (s: ParticleState) => void, from: number) => {
      const s = start.clone({ shared: false });
      const ctx = await createContext(system, s, { dt: 0.01 });
      ctx.step(3, 0);
      edit(s);
      ctx.step(3, from);
      await ctx.dispose();
      return s;
    };
    const fresh = async (edit: (s: ParticleState) => void, from: number) => {
      const s = start.clone({ shared: false });
      const ctx = await createContext(system, s, { dt: 0.01 });
      ctx.step(3, 0);
      await ctx.dispose();
      edit(s);
      const again = await createContext(system, s, { dt: 0.01 });
      again.step(3, from);
      return s;
    };
    const edits: [string, (s: ParticleState) => void, number][] = [
      ['another start step', () => {}, 7],
      ['an attribute edited in place', (s) => (s.attribute('q')[4] = 3), 3],
      [
        'new bonds',
        (s) =>
          s.setBonds('bonds', [
            [0, 2],
            [5, 9],
          ]),
        3,
      ],
    ];
    for (const [what, edit, from] of edits) {
      const cached = await script(edit, from);
      const expected = await fresh(edit, from);
      expect(firstBitDifference(cached, expected), what).toBeNull();
    }
  });

  it('bonds follow remove(): renumbered, and a removed particle takes its bonds along', async () => {
    const system = defineSystem({ integrator: 'euler', rules: [bondForce({ energy: '10*(r - 1)^2', bonds: chain(8) })] });
    const state = cloud(8, 4, 14, 0.6);
    checkState(state, system);
    const ctx = await createContext(system, state, { dt: 0.01 });
    ctx.step(2, 0);
    state.remove([3]);
    expect(state.bonds('bonds')!.count).toBe(5);
    ctx.step(2, 2);
    const expected = state.clone({ shared: false });
    // The same two steps from a fresh context (which cannot hold anything stale).
    const mirror = cloud(8, 4, 14, 0.6);
    checkState(mirror, system);
    const a = await createContext(system, mirror, { dt: 0.01 });
    a.step(2, 0);
    mirror.remove([3]);
    const b = await createContext(system, mirror, { dt: 0.01 });
    b.step(2, 2);
    expect(firstBitDifference(expected, mirror)).toBeNull();
  });

  for (const cutoff of [3, null]) {
    it(`exclude: 'bonds' skips pairs of any bond table of the state, even without a bondForce (${cutoff ? 'cell grid' : 'all pairs'})`, async () => {
      const system = defineSystem({ integrator: 'euler', rules: [pairForce({ energy: '1/r', cutoff, exclude: 'bonds' })] });
      const state = ParticleState.from({
        position: [
          [0, 0, 0],
          [1, 0, 0],
          [0, 1.5, 0],
        ],
        mass: 1,
      });
      state.setBonds('other', [[0, 1]]);
      for (const codegen of ['js', 'interpreter'] as const) {
        const a = await backendAccelerations(system, state, { codegen });
        // Particle 1 only feels 2 (and 0 only 2): no force along the bond 0–1.
        const r12 = Math.hypot(1, 1.5);
        expect(a.ax[1]).toBeCloseTo(1 / r12 ** 3, 6);
        expect(a.ax[0]).toBe(0);
        expect(a.ay[0]).toBeCloseTo(-1 / 1.5 ** 2, 6);
      }
    });
  }
});
