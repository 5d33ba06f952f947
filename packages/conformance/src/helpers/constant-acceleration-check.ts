import type { Integrator, ParticleState } from '@brokenrecord/core';
import { expectNear } from './compare.js';
import { kickDriftTolerance } from './float32.js';
import { eulerUnderConstantAcceleration, magnitudesAlongPath, verletUnderConstantAcceleration } from './kinematics.js';

const AXES = [
  ['px', 'vx'],
  ['py', 'vy'],
  ['pz', 'vz'],
] as const;

/**
 * Asserts every particle of `actual` sits where the exact discrete formula puts it after `n` steps
 * from `initial` under the constant acceleration `g`, within the float32 rounding bound of
 * kickDriftTolerance computed from that particle's own magnitudes on that axis.
 */
export function expectConstantAccelerationPath(
  actual: ParticleState,
  initial: ParticleState,
  g: readonly [number, number, number],
  dt: number,
  n: number,
  integrator: Integrator,
  what: string,
): void {
  const formula = integrator === 'euler' ? eulerUnderConstantAcceleration : verletUnderConstantAcceleration;
  for (let i = 0; i < initial.count; i++) {
    AXES.forEach(([p, v], k) => {
      const x0 = initial.column(p)[i];
      const v0 = initial.column(v)[i];
      const expected = formula(x0, v0, g[k], dt, n);
      const { xMax, vMax } = magnitudesAlongPath(x0, v0, g[k], dt, n);
      const tolerance = kickDriftTolerance({ n, dt, xMax, vMax, aMax: Math.abs(g[k]) });
      expectNear(actual.column(p)[i], expected.x, tolerance.position, `${what}: particle ${i} ${p} after ${n} steps`);
      expectNear(actual.column(v)[i], expected.v, tolerance.velocity, `${what}: particle ${i} ${v} after ${n} steps`);
    });
  }
}
