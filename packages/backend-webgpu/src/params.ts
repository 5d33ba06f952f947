import { FLAG_BOUNDS, FLAG_COLLISIONS, FLAG_CACHED, FLAG_CONTACTS, FLAG_PERIODIC, FLAG_POTENTIAL, FLAG_VERLET } from './kernels/common.js';
import type { GpuPlan } from './gpu-plan.js';

/** Bytes of the `Params` uniform (kernels/common.ts): 7 rows of 16 bytes. */
export const PARAMS_BYTES = 112;

export interface Sizes {
  count: number;
  capacity: number;
  cellCapacity: number;
  cellEntries: number;
}

/** Packs `Params` exactly as kernels/common.ts declares it (WGSL uniform layout). */
export function packParams(plan: GpuPlan, sizes: Sizes): ArrayBuffer {
  const buffer = new ArrayBuffer(PARAMS_BYTES);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  u[0] = sizes.count;
  u[1] = sizes.capacity;
  u[2] = sizes.cellCapacity;
  u[3] =
    (plan.bounds ? FLAG_BOUNDS : 0) |
    (plan.collisions !== null ? FLAG_COLLISIONS : 0) |
    // The scratch's cached accelerations: pairwise gravity and the position-dependent expression terms.
    (plan.cachedForces ? FLAG_CACHED : 0) |
    (plan.integrator === 'verlet' ? FLAG_VERLET : 0) |
    (plan.periodic ? FLAG_PERIODIC : 0) |
    (plan.potentialShares ? FLAG_POTENTIAL : 0) |
    (plan.contacts ? FLAG_CONTACTS : 0);
  f[4] = plan.dt;
  // Halving is exact in float32, so the kernels' dt/2 is fl(dt)/2 as the reference's fl(dt/2) is.
  f[5] = Math.fround(plan.dt) / 2;
  f[6] = plan.drag;
  f[7] = plan.collisions ?? 0;
  f.set(plan.gravity, 8);
  if (plan.bounds) {
    f.set(plan.bounds.min, 12);
    f.set(plan.bounds.max, 16);
    f[20] = plan.bounds.restitution;
  } else if (plan.periodic) {
    // Already float32 in the plan; the kernels form L = boxMax − boxMin in f32, which is plan.periodic.length.
    f.set(plan.periodic.min, 12);
    f.set(plan.periodic.max, 16);
  }
  u[21] = sizes.cellEntries;
  u[22] = 0; // opaqueZero
  f[23] = plan.minCell;
  if (plan.contacts) {
    f[24] = plan.contacts.stiffness;
    f[25] = plan.contacts.dampingRate;
    f[26] = plan.contacts.dampingRatio;
    u[27] = plan.contacts.model === 'hertz' ? 1 : 0;
  }
  return buffer;
}
