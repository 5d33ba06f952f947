import {
  bounds,
  collisions,
  defineSystem,
  drag,
  pairwiseGravity,
  ParticleState,
  uniformGravity,
  type SystemDefinition,
} from '@brokenrecord/core';
import { avx2Backend, loadAddon, type Avx2BackendOptions, type Avx2Context, type Isa } from '@brokenrecord/backend-avx2';
import { tsBackend } from '@brokenrecord/backend-ts';
import { requiredBackends, type Random } from '@brokenrecord/conformance';
import { describe, it } from 'vitest';

const probe = await avx2Backend.probe();

/**
 * describe() for tests that need the native addon. Where the backend cannot run (no compiler, no
 * x86), they are skipped with the probe's reason, as the conformance suite does, unless
 * BROKENRECORD_REQUIRE lists avx2: then one test fails with the reason.
 */
export function describeNative(name: string, body: () => void): void {
  if (!probe.available) {
    if (requiredBackends().includes('avx2')) {
      it(`${name}: backend 'avx2' is available (BROKENRECORD_REQUIRE lists it)`, () => {
        throw new Error(`the avx2 backend is unavailable: ${probe.reason}`);
      });
    } else {
      console.warn(`[avx2 tests] skipping ${name}: ${probe.reason}`);
    }
  }
  describe.skipIf(!probe.available)(name, body);
}

/** Instruction sets this machine can run (always includes scalar); empty without the addon. */
export function usableIsas(): Isa[] {
  return probe.available ? (loadAddon().cpuFeatures().usable.split(',') as Isa[]) : [];
}

export function avx2Context(
  system: SystemDefinition,
  state: ParticleState,
  options: Partial<Avx2BackendOptions> & { dt: number },
): Avx2Context {
  return avx2Backend.create(system, state, options) as Avx2Context;
}

/** The reference: the TypeScript backend, single-threaded. */
export async function referenceRun(system: SystemDefinition, state: ParticleState, dt: number, steps: number): Promise<ParticleState> {
  const ctx = await tsBackend.create(system, state, { dt, threads: 1 });
  await ctx.step(steps);
  const out = (await ctx.read()).clone();
  await ctx.dispose();
  return out;
}

/** `n` particles in [-half, half]^3 with velocities in [-speed, speed]^3, masses in [0.5, 2), radii in [rMin, rMax). */
export function randomState(
  rng: Random,
  n: number,
  options: { half?: number; speed?: number; rMin?: number; rMax?: number } = {},
): ParticleState {
  const { half = 2, speed = 1, rMin = 0, rMax = 0 } = options;
  const s = ParticleState.create(n);
  for (let i = 0; i < n; i++) {
    s.px[i] = rng.uniform(-half, half);
    s.py[i] = rng.uniform(-half, half);
    s.pz[i] = rng.uniform(-half, half);
    s.vx[i] = rng.uniform(-speed, speed);
    s.vy[i] = rng.uniform(-speed, speed);
    s.vz[i] = rng.uniform(-speed, speed);
    s.mass[i] = rng.uniform(0.5, 2);
    s.radius[i] = rng.uniform(rMin, rMax);
  }
  return s;
}

/** Per-particle systems (the ones step fusion handles), each integrator, with and without walls and drag. */
export function perParticleSystems(): { name: string; system: SystemDefinition }[] {
  const out: { name: string; system: SystemDefinition }[] = [];
  for (const integrator of ['euler', 'verlet'] as const) {
    out.push({ name: `${integrator} free fall`, system: defineSystem({ integrator, rules: [uniformGravity({ g: [0, -9.81, 0] })] }) });
    out.push({
      name: `${integrator} tilted gravity + drag`,
      system: defineSystem({ integrator, rules: [uniformGravity({ g: [1.5, -9.81, 0.25] }), drag({ k: 0.7 })] }),
    });
    out.push({
      name: `${integrator} gravity + walls (e = 0.8)`,
      system: defineSystem({
        integrator,
        rules: [uniformGravity({ g: [0, -9.81, 2] }), bounds({ min: [-1.7, -2, -1.3], max: [1.9, 2.2, 1.1], restitution: 0.8 })],
      }),
    });
    out.push({
      name: `${integrator} drag + elastic walls, no gravity`,
      system: defineSystem({ integrator, rules: [drag({ k: 0.2 }), bounds({ min: [-2, -2, -2], max: [2, 2, 2] })] }),
    });
    out.push({ name: `${integrator} coasting (no rules)`, system: defineSystem({ integrator, rules: [] }) });
  }
  return out;
}

/** Systems whose particles interact (phase-by-phase path). */
export function coupledSystems(): { name: string; system: SystemDefinition }[] {
  const out: { name: string; system: SystemDefinition }[] = [];
  for (const integrator of ['euler', 'verlet'] as const) {
    out.push({
      name: `${integrator} gravity cluster`,
      system: defineSystem({ integrator, rules: [pairwiseGravity({ G: 0.5, softening: 0.2 })] }),
    });
    out.push({
      name: `${integrator} collisions in a box`,
      system: defineSystem({
        integrator,
        rules: [
          uniformGravity({ g: [0, -3, 0] }),
          collisions({ restitution: 0.9 }),
          bounds({ min: [-2.5, -2.5, -2.5], max: [2.5, 2.5, 2.5] }),
        ],
      }),
    });
    out.push({
      name: `${integrator} everything`,
      system: defineSystem({
        integrator,
        rules: [
          uniformGravity({ g: [0.3, -2, 0] }),
          pairwiseGravity({ G: 0.2, softening: 0.3 }),
          drag({ k: 0.1 }),
          collisions(),
          bounds({ min: [-2.5, -2.5, -2.5], max: [2.5, 2.5, 2.5], restitution: 0.7 }),
        ],
      }),
    });
  }
  return out;
}
