/**
 * WGSL shared by the generated kernels of expression rules (../codegen/custom-module.ts): the
 * `topology` buffer (binding 8 of their bind group, see ../bindings.ts), the step clock, the
 * attribute columns and the bonded-partner test. ../custom-data.ts writes the same layout.
 *
 * `topology` (u32 words):
 * - header: [0] steps since the start of the current step() call (advanced on the GPU),
 *   [1] f32 bits of the time at its start, [2] start of the bond offsets, [3] of the bond
 *   entries, [4] of the exclusion offsets, [5] of the exclusion entries, then per bond term k
 *   [8 + 2k] the start of its per-bond values and [9 + 2k] its bond count;
 * - bond adjacency (CSR): particle i's bonds are entries offsets[i] .. offsets[i + 1], each two
 *   words: the partner, and (bond index << 8) | (term << 1) | (1 when i is the bond's first particle);
 * - exclusions (CSR): the sorted bonded partners of each particle, over every bond table;
 * - per-bond values (f32 bits): term k's value `n` of bond b at base_k + n·count_k + b.
 */
export const TOPOLOGY = {
  CLOCK: 0,
  TIME: 1,
  BOND_OFFSETS: 2,
  BOND_ENTRIES: 3,
  EXCLUSION_OFFSETS: 4,
  EXCLUSION_ENTRIES: 5,
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

// The time at step s of the current call (s counted from the clock): t = t_start + (clock + s)·dt.
fn clockTime(s: u32) -> f32 {
  return bitcast<f32>(topology[${TOPOLOGY.TIME}u]) + f32(topology[${TOPOLOGY.CLOCK}u] + s) * params.dt;
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
