import {
  bondForce,
  checkState,
  collisions,
  computeDiagnostics,
  createSimulation,
  defineSystem,
  externalForce,
  drag,
  field,
  pairForce,
  pairwiseGravity,
  ParticleState,
  periodic,
  registerBackend,
  bounds,
  uniformGravity,
  type Rule,
  type SystemDefinition,
} from '@brokenrecord/core';
import { tsBackend } from '@brokenrecord/backend-ts';
import { describe, expect, it } from 'vitest';
import { webgpuBackend, webgpuShaderCache, type WebGpuContext } from '../dist/index.js';
import { accelerationError, jitteredLattice, Random, referenceAccelerations } from './expression-reference.js';
import { measureMath } from './math-accuracy.js';

registerBackend(webgpuBackend);
registerBackend(tsBackend);
const probe = await webgpuBackend.probe();
// A machine that was given a Vulkan driver must run these: no adapter there is a failure.
const mustRun = !!process.env.VK_ICD_FILENAMES;

const LJ = '4*eps*((sig/r)^12 - (sig/r)^6); sig = 0.5*(sigma1 + sigma2); eps = sqrt(epsilon1*epsilon2)';
const mixed = { attributes: { sigma: [0.9, 1.1] as [number, number], epsilon: [0.5, 1.5] as [number, number] } };

/** Accelerations the GPU applies in one Euler step from rest: v₁ = a·dt. */
async function oneStepAccelerations(system: SystemDefinition, state: ParticleState, options: { dt?: number; startStep?: number } = {}) {
  const dt = options.dt ?? 1e-3;
  const sim = await createSimulation({ system, state: state.clone(), dt, backend: 'webgpu', startStep: options.startStep });
  try {
    await sim.step(1);
    const s = await sim.read();
    return [s.vx, s.vy, s.vz].map((v) => Float64Array.from(v, (x) => x / Math.fround(dt)));
  } finally {
    sim.dispose();
  }
}

/** GPU potential energy against core's float64 reference, relative to Σ|terms| bounded by the potential itself. */
async function expectPotential(system: SystemDefinition, state: ParticleState, relative: number, time = 0) {
  checkState(state, system); // installs the rules' bonds into the reference state too
  const sim = await createSimulation({ system, state: state.clone(), dt: 1e-3, backend: 'webgpu' });
  try {
    const gpu = await sim.diagnostics();
    const reference = computeDiagnostics(state, system, time);
    expect(reference.potential, 'test setup: a potential to compare').not.toBe(0);
    expect(
      Math.abs(gpu.potential - reference.potential) / Math.abs(reference.potential),
      `GPU ${gpu.potential} vs ${reference.potential}`,
    ).toBeLessThan(relative);
    return gpu;
  } finally {
    sim.dispose();
  }
}

async function expectForces(system: SystemDefinition, state: ParticleState, relative: number) {
  checkState(state, system);
  const gpu = await oneStepAccelerations(system, state);
  const reference = referenceAccelerations(system, state, 0);
  const error = accelerationError(gpu, reference);
  expect(error.relative, error.at).toBeLessThan(relative);
}

describe.skipIf(!probe.available && !mustRun)('webgpu: rules written as expressions', () => {
  it('the probe found an adapter', () => {
    expect(probe.available, probe.reason).toBe(true);
  });

  describe('pairForce with a cutoff (GPU grid)', () => {
    const state = jitteredLattice(1, 300, 1.12, 0.08, mixed);
    for (const shift of [false, true]) {
      const system = defineSystem({ rules: [pairForce({ energy: LJ, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, shift })] });
      it(`Lennard-Jones with per-particle σ, ε (shift: ${shift}): energy and forces`, async () => {
        await expectPotential(system, state, 1e-5);
        await expectForces(system, state, 2e-6);
      });
    }

    it('two cutoffs in one system: each pair term sees only its own range', async () => {
      const system = defineSystem({
        rules: [
          pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 1.5 }),
          pairForce({ energy: 'k*m1*m2/r', parameters: { k: 0.3 }, cutoff: 3.2 }),
        ],
      });
      await expectPotential(system, state, 1e-5);
      await expectForces(system, state, 2e-6);
    });
  });

  describe('periodic boundaries', () => {
    // Particles on the faces of the box: most neighbours are across a boundary.
    const inBox = (seed: number, n: number, L: number) => {
      const random = new Random(seed);
      const s = jitteredLattice(seed, n, L / Math.ceil(Math.cbrt(n)), 0.1);
      for (let i = 0; i < s.count; i++) {
        s.px[i] = Math.fround(s.px[i] - L / 2 + random.uniform(-0.01, 0.01));
        s.py[i] = Math.fround(s.py[i] - L / 2);
        s.pz[i] = Math.fround(s.pz[i] - L / 2);
      }
      return s;
    };
    // Cells are at least cutoff/2 wide and the scan reaches two cells each way: box 6 has 4 cells
    // per axis (each visited once), 6.5 has 5 (all, through the wrap), 11 has 8 (5 of them, wrapped).
    for (const L of [6, 6.5, 11]) {
      it(`box ${L} with cutoff 2.5: nearest image and wrapped cells match brute force (energy, forces)`, async () => {
        const n = L === 6 ? 150 : 1000;
        const state = inBox(L, n, L);
        const system = defineSystem({
          rules: [
            pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, shift: true }),
            periodic({ min: [-L / 2, -L / 2, -L / 2], max: [L / 2, L / 2, L / 2] }),
          ],
        });
        await expectPotential(system, state, 1e-5);
        await expectForces(system, state, 2e-6);
      });
    }

    it('positions are wrapped after the drift: x − L·floor((x − lo)/L)', async () => {
      const lo = [-1, 0, 2] as const;
      const hi = [3, 5, 2.5] as const;
      const state = ParticleState.from({
        position: [
          [2.9, 4.9, 2.45],
          [-0.95, 0.1, 2.01],
          [1, 2.5, 2.2],
        ],
        velocity: [
          [2, 3, 1],
          [-1, -2, -0.5],
          [30, -40, 6],
        ],
        mass: 1,
      });
      const system = defineSystem({ rules: [periodic({ min: [...lo], max: [...hi] }), externalForce({ energy: '0*x' })] });
      const dt = 0.1;
      const sim = await createSimulation({ system, state: state.clone(), dt, backend: 'webgpu' });
      try {
        await sim.step(1);
        const s = await sim.read();
        for (let i = 0; i < 3; i++) {
          for (const [k, p, v] of [
            [0, 'px', 'vx'],
            [1, 'py', 'vy'],
            [2, 'pz', 'vz'],
          ] as const) {
            const L = Math.fround(Math.fround(hi[k]) - Math.fround(lo[k]));
            const moved = Math.fround(state[p][i] + Math.fround(state[v][i] * Math.fround(dt)));
            const wrapped = moved - L * Math.floor((moved - Math.fround(lo[k])) / L);
            expect(s[p][i], `particle ${i} ${p}`).toBeCloseTo(wrapped, 5);
            expect(s[p][i]).toBeGreaterThanOrEqual(Math.fround(lo[k]));
            expect(s[p][i]).toBeLessThan(Math.fround(lo[k]) + L);
          }
        }
      } finally {
        sim.dispose();
      }
    });

    it('collisions see the nearest image: spheres touching across the boundary bounce', async () => {
      const state = ParticleState.from({
        position: [
          [0.05, 1, 1],
          [1.97, 1, 1],
        ],
        velocity: [
          [-1, 0, 0],
          [1, 0, 0],
        ],
        radius: 0.1,
        mass: 1,
      });
      const system = defineSystem({ rules: [collisions({ restitution: 1 }), periodic({ min: [0, 0, 0], max: [2, 2, 2] })] });
      const sim = await createSimulation({ system, state, dt: 0.001, backend: 'webgpu' });
      try {
        await sim.step(1);
        const s = await sim.read();
        expect(s.vx[0]).toBeCloseTo(1, 6);
        expect(s.vx[1]).toBeCloseTo(-1, 6);
      } finally {
        sim.dispose();
      }
    });
  });

  it('presets and expression rules together: pairwise gravity first, then the generated terms, one potential', async () => {
    const state = jitteredLattice(13, 120, 1.1, 0.1, { attributes: { q: [-1, 1] } });
    for (let i = 0; i < state.count; i++) state.vx[i] = 0;
    const system = defineSystem({
      rules: [
        uniformGravity({ g: [0, -2, 0.5] }),
        pairwiseGravity({ G: 0.5, softening: 0.1 }),
        pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2 }),
        pairForce({ energy: 'q1*q2/r', perParticle: ['q'] }),
        externalForce({ energy: '0.1*(x^2 + y^2)' }),
        bondForce({
          energy: '3*(r - 1)^2',
          bonds: [
            [0, 1],
            [1, 2],
            [7, 40],
          ],
        }),
      ],
    });
    await expectPotential(system, state, 1e-5);
    await expectForces(system, state, 2e-6);
  });

  it('collisions and a cutoff pair force share one grid: agrees with the ts backend', async () => {
    const random = new Random(17);
    const state = jitteredLattice(17, 200, 0.6, 0.15);
    for (let i = 0; i < state.count; i++) {
      state.radius[i] = Math.fround(random.uniform(0.2, 0.32));
      state.vx[i] = Math.fround(random.uniform(-1, 1));
      state.vy[i] = Math.fround(random.uniform(-1, 1));
    }
    const system = defineSystem({
      integrator: 'verlet',
      rules: [
        collisions({ restitution: 0.8 }),
        pairForce({ energy: '0.02*m1*m2/r', cutoff: 1.5 }),
        drag({ k: 0.1 }),
        bounds({ min: [0, 0, 0], max: [3.6, 3.6, 3.6], restitution: 0.9 }),
      ],
    });
    const run = async (backend: string) => {
      const sim = await createSimulation({ system, state: state.clone(), dt: 2e-3, backend });
      try {
        await sim.step(5);
        return (await sim.read()).clone();
      } finally {
        sim.dispose();
      }
    };
    const [gpu, ts] = [await run('webgpu'), await run('ts')];
    let touching = 0;
    for (let i = 0; i < state.count; i++) {
      for (let j = i + 1; j < state.count; j++) {
        const d = Math.hypot(state.px[j] - state.px[i], state.py[j] - state.py[i], state.pz[j] - state.pz[i]);
        if (d < state.radius[i] + state.radius[j]) touching++;
      }
    }
    expect(touching, 'test setup: spheres in contact').toBeGreaterThan(20);
    for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const) {
      const scale = Math.max(...Array.from(ts[c], Math.abs));
      for (let i = 0; i < state.count; i++) expect(Math.abs(gpu[c][i] - ts[c][i]) / scale, `${c}[${i}]`).toBeLessThan(1e-5);
    }
  });

  it('pairForce without cutoff (workgroup tiles): charges from an attribute, energy and forces', async () => {
    const state = jitteredLattice(3, 200, 1, 0.2, { attributes: { q: [-1, 1] } });
    const system = defineSystem({ rules: [pairForce({ energy: 'k*q1*q2/r', parameters: { k: 1.5 }, perParticle: ['q'] })] });
    await expectPotential(system, state, 1e-5);
    await expectForces(system, state, 2e-6);
  });

  describe('bondForce', () => {
    const chain = (n: number) => {
      const random = new Random(5);
      const state = ParticleState.from({
        position: Array.from({ length: n }, (_, i) => [
          i * 1.1 + random.uniform(-0.2, 0.2),
          random.uniform(-0.3, 0.3),
          random.uniform(-0.3, 0.3),
        ]),
        mass: Array.from({ length: n }, () => random.uniform(0.5, 2)),
      });
      return state;
    };
    it('springs with per-bond k and r0, two tables, an asymmetric energy: each end gets ±fScale·d', async () => {
      const n = 40;
      const state = chain(n);
      const bonds = Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]);
      const random = new Random(9);
      const rules: Rule[] = [
        bondForce({
          energy: '0.5*k*(r - r0)^2',
          bonds,
          perBond: { k: bonds.map(() => random.uniform(50, 150)), r0: bonds.map(() => random.uniform(0.9, 1.2)) },
        }),
        // A second table with a potential that is not symmetric in its ends (m1 ≠ m2).
        bondForce({
          energy: 'c*m1*(r - 2)^2',
          group: 'skips',
          bonds: [
            [0, 2],
            [5, 3],
            [10, 30],
          ],
          parameters: { c: 3 },
        }),
      ];
      const system = defineSystem({ rules });
      await expectPotential(system, state, 1e-5);
      await expectForces(system, state, 2e-6);
      // Every bond pushes its ends apart equally: the total force vanishes.
      const a = await oneStepAccelerations(system, state);
      const total = [0, 1, 2].map((k) => a[k].reduce((sum, ak, i) => sum + ak * state.mass[i], 0));
      const scale = a[0].reduce((sum, ak, i) => sum + Math.abs(ak * state.mass[i]), 0);
      for (const f of total) expect(Math.abs(f) / scale).toBeLessThan(1e-6);
    });

    it("pairForce with exclude: 'bonds' skips bonded pairs (of every table), and only those", async () => {
      const state = jitteredLattice(11, 125, 1.1, 0.05);
      const bonds = Array.from({ length: 60 }, (_, b) => [2 * b, 2 * b + 1] as [number, number]);
      state.setBonds('other', [
        [0, 5],
        [7, 8],
      ]);
      const lj = (exclude: 'none' | 'bonds') => pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, exclude });
      const spring = bondForce({ energy: '50*(r - 1.1)^2', bonds });
      const excluding = defineSystem({ rules: [lj('bonds'), spring] });
      await expectPotential(excluding, state, 1e-5);
      await expectForces(excluding, state, 2e-6);
      // Without the exclusion the bonded neighbours' LJ forces come back.
      const plain = await oneStepAccelerations(defineSystem({ rules: [lj('none'), spring] }), state);
      const excluded = await oneStepAccelerations(excluding, state);
      expect(accelerationError(plain, excluded).relative).toBeGreaterThan(1e-3);
    });

    it('setBonds between steps replaces the bonds the GPU uses', async () => {
      const state = chain(10);
      const system = defineSystem({ rules: [bondForce({ energy: '10*(r - 1)^2', bonds: [[0, 1]] })] });
      const sim = await createSimulation({ system, state, dt: 1e-3, backend: 'webgpu' });
      try {
        await sim.step(1);
        const live = await sim.read();
        live.setBonds('bonds', [
          [2, 3],
          [3, 4],
        ]);
        const before = live.clone();
        await sim.step(1);
        const after = await sim.read();
        const reference = referenceAccelerations(system, before, 0);
        const dt = Math.fround(1e-3);
        for (let i = 0; i < live.count; i++) {
          const dv = (after.vx[i] - before.vx[i]) / dt;
          expect(dv, `particle ${i}`).toBeCloseTo(reference[0][i], 2);
        }
        expect(after.vx[0] - before.vx[0], 'the old bond no longer acts').toBe(0);
        expect(Math.abs(after.vx[3] - before.vx[3])).toBeGreaterThan(0);
      } finally {
        sim.dispose();
      }
    });
  });

  describe('externalForce and field', () => {
    const state = jitteredLattice(21, 64, 0.7, 0.3, { attributes: { q: [-2, 2] } });
    for (let i = 0; i < state.count; i++) {
      state.vx[i] = Math.fround(Math.sin(i));
      state.vy[i] = Math.fround(Math.cos(3 * i));
      state.vz[i] = Math.fround(0.5 - (i % 3));
    }

    it('a harmonic trap, a time-dependent drive and a magnetic field at step 250 (t = 250·dt)', async () => {
      const dt = 1e-3;
      const rules = [
        externalForce({ energy: '0.5*k*(x^2 + 2*y^2 + 3*z^2)', parameters: { k: 2 } }),
        externalForce({ energy: '-A*q*x*sin(w*t) + m*radius', parameters: { A: 0.7, w: 9 }, perParticle: ['q'] }),
        field({
          acceleration: ['q*(vy*Bz - vz*By)/m', 'q*(vz*Bx - vx*Bz)/m', 'q*(vx*By - vy*Bx)/m'],
          parameters: { Bx: 0.2, By: -0.4, Bz: 1.5 },
          perParticle: ['q'],
        }),
        field({ acceleration: ['0', 'exp(-x^2)*erf(z)', 'cos(t)'] }),
      ];
      const system = defineSystem({ rules: [...rules, uniformGravity({ g: [0, -1, 0] })] });
      const startStep = 250;
      const sim = await createSimulation({ system, state: state.clone(), dt, backend: 'webgpu', startStep });
      try {
        await sim.step(1);
        const s = await sim.read();
        const a = referenceAccelerations(system, state, startStep * dt);
        const gpu = [s.vx, s.vy, s.vz].map((v, k) =>
          Float64Array.from(v, (x, i) => (x - state.column((['vx', 'vy', 'vz'] as const)[k])[i]) / Math.fround(dt)),
        );
        const error = accelerationError(gpu, a);
        // Δv/dt loses digits to v₀ ≈ 1 against a·dt ≈ 1e-3: float32 rounding of v is ~6e-8/1e-3.
        expect(error.relative, error.at).toBeLessThan(3e-4);
        // The potential at the simulation's time (t = 251·dt now).
        const d = await sim.diagnostics();
        const reference = computeDiagnostics(s, system, (startStep + 1) * dt);
        expect(Math.abs(d.potential - reference.potential) / Math.abs(reference.potential)).toBeLessThan(1e-5);
      } finally {
        sim.dispose();
      }
    });

    it('velocity-dependent fields are evaluated again at the second verlet kick; runs agree with a float64 reference', async () => {
      const dt = 2e-3;
      const steps = 40;
      const rules = [
        externalForce({ energy: '0.5*k*(x^2 + y^2 + z^2)', parameters: { k: 3 } }),
        field({ acceleration: ['q*(vy*Bz)/m - g*vx', '-q*(vx*Bz)/m - g*vy', 'sin(t)'], parameters: { Bz: 2, g: 0.3 }, perParticle: ['q'] }),
        // A bond keeps the system off the fused per-particle path.
        bondForce({
          energy: '5*(r - 0.7)^2',
          bonds: [
            [0, 1],
            [2, 3],
          ],
        }),
      ];
      const system = defineSystem({ integrator: 'verlet', rules });
      const start = checkState(state.clone(), system);
      const sim = await createSimulation({ system, state: start.clone(), dt, backend: 'webgpu' });
      try {
        // Split into calls of different lengths: the verlet cache and the clock carry over.
        for (const n of [1, 7, 32]) await sim.step(n);
        const s = await sim.read();
        const ref = verletReference(system, start, dt, steps);
        for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const) {
          for (let i = 0; i < s.count; i++) expect(Math.abs(s[c][i] - ref[c][i]), `${c}[${i}]`).toBeLessThan(2e-5);
        }
      } finally {
        sim.dispose();
      }
    });

    it('per-particle systems run fused (many steps per dispatch) and agree with a float64 reference', async () => {
      const dt = 1e-3;
      const steps = 150;
      const system = defineSystem({
        integrator: 'verlet',
        rules: [
          externalForce({ energy: '0.5*k*(x^2 + y^2 + z^2) + 0.1*sin(t)*x', parameters: { k: 4 } }),
          field({ acceleration: ['-0.2*vx', '-0.2*vy', '-0.2*vz'] }),
        ],
      });
      const sim = await createSimulation({ system, state: state.clone(), dt, backend: 'webgpu' });
      try {
        expect((sim.context as WebGpuContext).generatedKernels?.entries).toContain('customFused');
        await sim.step(steps);
        const s = await sim.read();
        const ref = verletReference(system, state, dt, steps);
        for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const) {
          for (let i = 0; i < s.count; i++) expect(Math.abs(s[c][i] - ref[c][i]), `${c}[${i}]`).toBeLessThan(2e-5);
        }
      } finally {
        sim.dispose();
      }
    });

    it('attribute edits between steps are uploaded (also while the GPU holds newer steps)', async () => {
      const system = defineSystem({
        rules: [externalForce({ energy: '-q*x', perParticle: ['q'] }), bondForce({ energy: '0*r', bonds: [[0, 1]] })],
      });
      const start = ParticleState.from({
        position: [
          [0, 0, 0],
          [5, 0, 0],
        ],
        mass: 1,
        attributes: { q: [1, 2] },
      });
      const sim = await createSimulation({ system, state: start, dt: 0.1, backend: 'webgpu' });
      try {
        await sim.step(1);
        start.attribute('q')[0] = -3; // the host copy is stale here (no read since the step)
        await sim.step(1);
        const s = await sim.read();
        // Euler: v = (q_before + q_after)·dt/m
        expect(s.vx[0]).toBeCloseTo((1 - 3) * 0.1, 6);
        expect(s.vx[1]).toBeCloseTo(2 * 2 * 0.1, 6);
      } finally {
        sim.dispose();
      }
    });
  });

  it('a run gives the same bits however its steps are split into calls, and after a restore (verlet cache recomputed, clock by step index)', async () => {
    const state = jitteredLattice(41, 64, 1.15, 0.1, { attributes: { q: [-1, 1] } });
    for (let i = 0; i < state.count; i++) state.vx[i] = Math.fround(0.3 * Math.sin(7 * i));
    const system = defineSystem({
      integrator: 'verlet',
      rules: [
        pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, shift: true }),
        bondForce({
          energy: '20*(r - 1.15)^2',
          bonds: [
            [0, 1],
            [5, 6],
            [20, 40],
          ],
        }),
        externalForce({ energy: '0.2*(1 + sin(3*t))*(x^2 + y^2 + z^2)' }),
        field({ acceleration: ['q*vy', '-q*vx', '0.01*cos(t)'], perParticle: ['q'] }),
      ],
    });
    const run = async (calls: number[], restoreAfter?: number) => {
      const sim = await createSimulation({ system, state: state.clone(), dt: 0.004, backend: 'webgpu' });
      try {
        for (const [k, n] of calls.entries()) {
          await sim.step(n);
          if (k === restoreAfter) await sim.restore(await sim.snapshot());
        }
        return (await sim.read()).clone();
      } finally {
        sim.dispose();
      }
    };
    const whole = await run([30]);
    for (const [calls, restoreAfter] of [[[7, 23]], [[1, 1, 13, 15]], [[10, 20], 0]] as [number[], number?][]) {
      const split = await run(calls, restoreAfter);
      for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const) {
        expect(Array.from(split[c]), `${c} after calls ${calls.join('+')}${restoreAfter !== undefined ? ' with a restore' : ''}`).toEqual(
          Array.from(whole[c]),
        );
      }
    }
  });

  it(
    '32,000-particle periodic Lennard-Jones fluid: potential energy within 1e-6 of the float64 reference',
    { timeout: 120_000 },
    async () => {
      const cells = 20;
      const a = Math.cbrt(4 / 0.8442);
      const L = cells * a;
      const basis = [
        [0, 0, 0],
        [0.5, 0.5, 0],
        [0.5, 0, 0.5],
        [0, 0.5, 0.5],
      ];
      const state = ParticleState.create(4 * cells ** 3);
      const random = new Random(2);
      let k = 0;
      for (let x = 0; x < cells; x++)
        for (let y = 0; y < cells; y++)
          for (let z = 0; z < cells; z++)
            for (const b of basis) {
              state.px[k] = (x + b[0] + random.uniform(-0.05, 0.05)) * a;
              state.py[k] = (y + b[1] + random.uniform(-0.05, 0.05)) * a;
              state.pz[k] = (z + b[2] + random.uniform(-0.05, 0.05)) * a;
              k++;
            }
      const system = defineSystem({
        rules: [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5 }), periodic({ min: [0, 0, 0], max: [L, L, L] })],
      });
      await expectPotential(system, state, 1e-6);
    },
  );

  it('the shader cache: a second simulation of the same system compiles nothing', async () => {
    const system = defineSystem({ rules: [pairForce({ energy: '3*(r - 0.25)^4 / (1 + r^2)', cutoff: 1.7 })] });
    const state = jitteredLattice(4, 27, 1, 0.1);
    const first = await createSimulation({ system, state: state.clone(), dt: 1e-3, backend: 'webgpu' });
    try {
      expect((first.context as WebGpuContext).generatedKernels?.reused).toBe(false);
      const before = webgpuShaderCache();
      // Another system whose rules generate the same code (same trees) shares it too.
      const same = defineSystem({ rules: [pairForce({ energy: '3*(r - 0.25)^4 / (1 + r^2)', cutoff: 1.7 })] });
      const second = await createSimulation({ system: same, state: state.clone(), dt: 1e-3, backend: 'webgpu' });
      try {
        expect((second.context as WebGpuContext).generatedKernels?.reused).toBe(true);
        const after = webgpuShaderCache();
        expect(after.modulesCompiled).toBe(before.modulesCompiled);
        expect(after.pipelinesCreated).toBe(before.pipelinesCreated);
        expect(after.reuses).toBe(before.reuses + 1);
        await second.step(3);
        await first.step(3);
        expect(Array.from((await second.read()).px)).toEqual(Array.from((await first.read()).px));
      } finally {
        second.dispose();
      }
      const other = await createSimulation({
        system: defineSystem({ rules: [pairForce({ energy: '2*(r - 0.25)^4', cutoff: 1.7 })] }),
        state,
        dt: 1e-3,
        backend: 'webgpu',
      });
      try {
        expect((other.context as WebGpuContext).generatedKernels?.reused).toBe(false);
        expect(webgpuShaderCache().modulesCompiled).toBe(before.modulesCompiled + 1);
      } finally {
        other.dispose();
      }
    } finally {
      first.dispose();
    }
  });

  it('no user text reaches the shader: attribute and parameter names are not in the WGSL', async () => {
    const system = defineSystem({
      rules: [pairForce({ energy: 'strength*charge1*charge2/r', parameters: { strength: 2 }, perParticle: ['charge'], cutoff: 2 })],
    });
    const state = jitteredLattice(8, 8, 1, 0.1, { attributes: { charge: [-1, 1] } });
    const sim = await createSimulation({ system, state, dt: 1e-3, backend: 'webgpu' });
    try {
      const source = (sim.context as WebGpuContext).generatedKernels!.source;
      expect(source).not.toMatch(/charge|strength/);
      expect(source).toMatch(/attributeOf\(0u, i\)/);
    } finally {
      sim.dispose();
    }
  });
});

/** Velocity Verlet in float64 over referenceAccelerations, with the GPU's float32 state stores. */
function verletReference(system: SystemDefinition, start: ParticleState, dt: number, steps: number): ParticleState {
  const s = start.clone();
  const f = Math.fround;
  const h = f(dt) / 2;
  for (let k = 0; k < steps; k++) {
    let a = referenceAccelerations(system, s, k * dt);
    for (let i = 0; i < s.count; i++) {
      s.vx[i] = f(s.vx[i] + a[0][i] * h);
      s.vy[i] = f(s.vy[i] + a[1][i] * h);
      s.vz[i] = f(s.vz[i] + a[2][i] * h);
      s.px[i] = f(s.px[i] + s.vx[i] * f(dt));
      s.py[i] = f(s.py[i] + s.vy[i] * f(dt));
      s.pz[i] = f(s.pz[i] + s.vz[i] * f(dt));
    }
    a = referenceAccelerations(system, s, (k + 1) * dt);
    for (let i = 0; i < s.count; i++) {
      s.vx[i] = f(s.vx[i] + a[0][i] * h);
      s.vy[i] = f(s.vy[i] + a[1][i] * h);
      s.vz[i] = f(s.vz[i] + a[2][i] * h);
    }
  }
  return s;
}

describe.skipIf(!probe.available && !mustRun)('webgpu: elementary functions in generated code', () => {
  it('are accurate to a few float32 ULP (not the loose WGSL builtin bounds)', { timeout: 60_000 }, async () => {
    for (const r of await measureMath()) expect(r.error, `${r.expression} at x = ${r.at}`).toBeLessThan(r.tolerance);
  });
});
