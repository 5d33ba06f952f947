/**
 * WGSL shared by the generated kernels of expression rules (../codegen/custom-module.ts): the
 * `topology` buffer (binding 8 of their bind group, see ../bindings.ts), the step clock, the
 * attribute columns and the bonded-partner test. ../custom-data.ts writes the same layout.
 *
 * `topology` (u32 words):
 * - header: [0, 1] the step clock, the simulation's step count k as low and high words (written
 *   by step(), advanced on the GPU after every drift), [2] 1 when [3] holds the time itself as
 *   f32 bits (diagnostics at a given time), [4] start of the bond offsets, [5] of the bond
 *   entries, [6] of the exclusion offsets, [7] of the exclusion entries, then per bond term k
 *   [8 + 2k] the start of its per-bond values and [9 + 2k] its bond count;
 * - bond adjacency (CSR): particle i's bonds are entries offsets[i] .. offsets[i + 1], each two
 *   words: the partner, and (bond index << 8) | (term << 1) | (1 when i is the bond's first particle);
 * - exclusions (CSR): the sorted bonded partners of each particle, over every bond table;
 * - per-bond values (f32 bits): term k's value `n` of bond b at base_k + n·count_k + b.
 */
export const TOPOLOGY = {
  STEP_LO: 0,
  STEP_HI: 1,
  FIXED_TIME: 2,
  TIME: 3,
  BOND_OFFSETS: 4,
  BOND_ENTRIES: 5,
  EXCLUSION_OFFSETS: 6,
  EXCLUSION_ENTRIES: 7,
  PER_BOND: 8,
} as const;

/** Words of the topology header for `bondTerms` bond terms. */
export function topologyHeaderWords(bondTerms: number): number {
  return TOPOLOGY.PER_BOND + 2 * bondTerms;
}

/** Bond terms one system may have, and bonds per table: what the packed entry word can hold. */
export const MAX_BOND_TERMS = 128;
export const MAX_BONDS_PER_TABLE = 1 << 24;

export const CUSTOM_COMMON_WGSL = /* wgsl */ `
@group(0) @binding(8) var<storage, read_write> topology: array<u32>;

// The time s steps after the clock's step k: t = f32(k + s)·dt, a function of the step index
// alone, so a run gives the same bits however its steps were split into calls (and a verlet
// force cached at the end of one call equals the one recomputed at the start of the next).
fn clockTime(s: u32) -> f32 {
  if (topology[${TOPOLOGY.FIXED_TIME}u] != 0u) {
    return bitcast<f32>(topology[${TOPOLOGY.TIME}u]);
  }
  let lo = topology[${TOPOLOGY.STEP_LO}u] + s;
  let hi = topology[${TOPOLOGY.STEP_HI}u] + select(0u, 1u, lo < s);
  return (f32(hi) * 4294967296.0 + f32(lo)) * params.dt;
}

// The clock advances by n steps (after a drift, or a fused dispatch of n steps).
fn advanceClockBy(n: u32) {
  let lo = topology[${TOPOLOGY.STEP_LO}u] + n;
  topology[${TOPOLOGY.STEP_HI}u] = topology[${TOPOLOGY.STEP_HI}u] + select(0u, 1u, lo < n);
  topology[${TOPOLOGY.STEP_LO}u] = lo;
}

// Attribute column k (plan.attributes order) of particle i: after mass and radius in properties.
fn attributeOf(k: u32, i: u32) -> f32 {
  return properties[(2u + k) * params.capacity + i];
}

// Whether i and j are joined by a bond of any table (pair forces with exclude: 'bonds').
fn bonded(i: u32, j: u32) -> bool {
  let offsets = topology[${TOPOLOGY.EXCLUSION_OFFSETS}u];
  let entries = topology[${TOPOLOGY.EXCLUSION_ENTRIES}u];
  let end = topology[offsets + i + 1u];
  for (var k = topology[offsets + i]; k < end; k++) {
    if (topology[entries + k] == j) {
      return true;
    }
  }
  return false;
}

// Value n of bond b of bond term 'term'.
fn perBondValue(term: u32, n: u32, b: u32) -> f32 {
  let base = topology[${TOPOLOGY.PER_BOND}u + 2u * term];
  let count = topology[${TOPOLOGY.PER_BOND + 1}u + 2u * term];
  return bitcast<f32>(topology[base + n * count + b]);
}
`;
