/**
 * WGSL shared by every kernel: the per-simulation parameters, the buffers of the one bind group
 * all kernels share (see ../bindings.ts), and accessors for the Struct-of-Arrays columns.
 *
 * Every storage buffer is declared read_write because the shared bind group layout declares them
 * all as 'storage'; a kernel declares only the bindings it uses.
 *
 * Column layout: each buffer holds several columns of `capacity` floats back to back
 * (position = px | py | pz, velocity = vx | vy | vz, properties = mass | radius,
 * properties = mass | radius | the attribute columns expression rules read (plan.attributes order),
 * scratch = cached ax | ay | az | contact Δvx | Δvy | Δvz | with collisions, 8-float records
 * x y z r vx vy vz m of every particle in cell order | with cutoff pair forces, their cell-order
 * records (../gpu-plan.ts)). Packing columns keeps every kernel within WebGPU's default of 8
 * storage buffers per shader stage.
 */

export const FLAG_BOUNDS = 1;
export const FLAG_COLLISIONS = 2;
/** The scratch holds cached accelerations: pairwise gravity and the position-dependent expression terms. */
export const FLAG_CACHED = 4;
export const FLAG_VERLET = 8;
/** boxMin/boxMax are a periodic box (bounds and periodic never come together). */
export const FLAG_PERIODIC = 16;
/** The scratch holds per-particle potential shares for diagnostics (pairwise gravity, expression rules). */
export const FLAG_POTENTIAL = 32;
/** Soft-sphere contacts: the kick adds the contact accelerations of the contact scratch columns (contacts.ts). */
export const FLAG_CONTACTS = 64;

/** The `Params` uniform (binding 0); ../params.ts packs the same layout on the host. */
export const PARAMS_WGSL = /* wgsl */ `
struct Params {
  count: u32,
  capacity: u32,
  cellCapacity: u32,
  flags: u32,
  dt: f32,
  halfDt: f32,
  drag: f32,
  collisionRestitution: f32,
  gravity: vec4f,
  boxMin: vec4f,
  boxMax: vec4f,
  boundsRestitution: f32,
  cellEntries: u32,
  // Always 0, but unknown to shader compilers: see opaque().
  opaqueZero: u32,
  // Smallest grid cell the pair force cutoffs allow (0 without them; grid-size.ts).
  minCell: f32,
  // Soft-sphere contacts (contacts.ts): k, the damping rate γ and ratio β, and 1 for hertz.
  contactStiffness: f32,
  contactGamma: f32,
  contactBeta: f32,
  contactHertz: u32,
}
@group(0) @binding(0) var<uniform> params: Params;

const FLAG_BOUNDS = ${FLAG_BOUNDS}u;
const FLAG_COLLISIONS = ${FLAG_COLLISIONS}u;
const FLAG_CACHED = ${FLAG_CACHED}u;
const FLAG_VERLET = ${FLAG_VERLET}u;
const FLAG_PERIODIC = ${FLAG_PERIODIC}u;
const FLAG_POTENTIAL = ${FLAG_POTENTIAL}u;
const FLAG_CONTACTS = ${FLAG_CONTACTS}u;

fn hasFlag(flag: u32) -> bool {
  return (params.flags & flag) != 0u;
}

// x itself, hidden from the shader compiler's algebra. Drivers may rewrite float expressions as
// if they were exact (Mesa's NIR turns c - (c - a) into a unless told otherwise, and WGSL cannot
// tell it); routing a value through this keeps error-free transformations like TwoSum intact.
fn opaque(x: f32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) | params.opaqueZero);
}

// Periodic boundaries (docs/physics.md): boxMin is lo = f32(min), boxMax − boxMin is
// L = f32(f32(max) − lo) (one correctly rounded f32 subtraction, as core computes it).
fn periodicLength() -> vec3f {
  return params.boxMax.xyz - params.boxMin.xyz;
}
// x − L·floor((x − lo)/L); a result that rounds to lo + L or beyond becomes lo.
fn wrapPeriodic(x: vec3f) -> vec3f {
  let lo = params.boxMin.xyz;
  let L = periodicLength();
  let w = x - L * floor((x - lo) / L);
  return select(w, lo, w >= lo + L);
}
fn opaqueVec(x: vec3f) -> vec3f {
  return bitcast<vec3f>(bitcast<vec3u>(x) | vec3u(params.opaqueZero));
}
// The nearest image of the separation xj − xi: d − L·round(d/L), rounded once. For a pair across
// the box, d ≈ ±L and its float32 rounding (up to ulp(L)/2) would be an error relative to |d|
// after the image is taken; TwoSum keeps that rounding error e exactly, the image shift is exact
// (|d| is within [L/2, 2L] of a multiple of L, Sterbenz), and e is added back at the end. Pairs
// that are already nearest (most of them) skip all that.
fn nearestImage(xj: vec3f, xi: vec3f) -> vec3f {
  let L = periodicLength();
  let direct = xj - xi;
  if (all(abs(direct) <= 0.5 * L)) {
    return direct;
  }
  let d = opaqueVec(direct);
  let back = opaqueVec(d + xi);
  let e = (xj - back) + (-xi - (d - back));
  return (d - L * round(d / L)) + e;
}

// Dispatches wider than 65535 workgroups are split over y; this recovers the linear index.
fn flatIndex(id: vec3u, groups: vec3u, workgroupSize: u32) -> u32 {
  return id.x + id.y * groups.x * workgroupSize;
}
`;

/** position, velocity, properties (mass | radius). */
export const STATE_WGSL = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> position: array<f32>;
@group(0) @binding(2) var<storage, read_write> velocity: array<f32>;
@group(0) @binding(3) var<storage, read_write> properties: array<f32>;

fn loadPosition(i: u32) -> vec3f {
  let c = params.capacity;
  return vec3f(position[i], position[i + c], position[i + 2u * c]);
}
fn storePosition(i: u32, x: vec3f) {
  let c = params.capacity;
  position[i] = x.x;
  position[i + c] = x.y;
  position[i + 2u * c] = x.z;
}
fn loadVelocity(i: u32) -> vec3f {
  let c = params.capacity;
  return vec3f(velocity[i], velocity[i + c], velocity[i + 2u * c]);
}
fn storeVelocity(i: u32, v: vec3f) {
  let c = params.capacity;
  velocity[i] = v.x;
  velocity[i + c] = v.y;
  velocity[i + 2u * c] = v.z;
}
fn massOf(i: u32) -> f32 {
  return properties[i];
}
fn radiusOf(i: u32) -> f32 {
  return properties[i + params.capacity];
}
`;

/** Scratch columns: cached pairwise accelerations, then contact velocity changes. */
export const SCRATCH_WGSL = /* wgsl */ `
@group(0) @binding(4) var<storage, read_write> scratch: array<f32>;

fn loadPairwise(i: u32) -> vec3f {
  let c = params.capacity;
  return vec3f(scratch[i], scratch[i + c], scratch[i + 2u * c]);
}
fn storePairwise(i: u32, a: vec3f) {
  let c = params.capacity;
  scratch[i] = a.x;
  scratch[i + c] = a.y;
  scratch[i + 2u * c] = a.z;
}
fn loadImpulse(i: u32) -> vec3f {
  let c = params.capacity;
  return vec3f(scratch[i + 3u * c], scratch[i + 4u * c], scratch[i + 5u * c]);
}
fn storeImpulse(i: u32, dv: vec3f) {
  let c = params.capacity;
  scratch[i + 3u * c] = dv.x;
  scratch[i + 4u * c] = dv.y;
  scratch[i + 5u * c] = dv.z;
}
// Records of the particles in cell order (collisions.ts): a neighbour scan then reads each
// candidate from one 32-byte record instead of eight columns far apart.
fn cellOrderRecord(slot: u32) -> u32 {
  return 6u * params.capacity + 8u * slot;
}
// Diagnostics reuse the first contact column (free outside a step) for each particle's share of
// the pairwise potential energy.
fn loadPotentialShare(i: u32) -> f32 {
  return scratch[i + 3u * params.capacity];
}
fn storePotentialShare(i: u32, e: f32) {
  scratch[i + 3u * params.capacity] = e;
}
`;

/** Per-dispatch parameters (group 1, a 256-byte slot chosen by dynamic offset). */
export function stageUniform(structName: string, fields: string): string {
  return /* wgsl */ `
struct ${structName} {
${fields}
}
@group(1) @binding(0) var<uniform> stage: ${structName};
`;
}
