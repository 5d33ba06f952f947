/**
 * What the device executor and the generated CUDA source (emit-cuda.ts) agree on beside
 * native-common's br_gen_input: the second kernel argument `br_cuda_aux` (the pair grid and each
 * particle's bond list, in the executor's memory), the kernels' names and the energy block size.
 * AUX_HEADER is the text of native/src/generated/cuda_aux.h (a test compares the two): change both,
 * and the version, together.
 */
export const CUDA_AUX_VERSION = 1;

/** Threads per block of br_energy (a power of two: the reduction tree halves it). */
export const ENERGY_BLOCK = 256;

/** Threads per block of br_two_body (its row tiles hold as many positions). */
export const TWO_BODY_BLOCK = 128;

export const KERNEL_NAMES = {
  position: 'br_position_terms',
  velocity: 'br_velocity_terms',
  twoBody: 'br_two_body',
  gridKeys: 'br_grid_keys',
  gridRanges: 'br_grid_ranges',
  energy: 'br_energy',
} as const;

export const AUX_HEADER = `#define BR_CUDA_AUX_VERSION ${CUDA_AUX_VERSION}
#define BR_CUDA_ENERGY_BLOCK ${ENERGY_BLOCK}
#define BR_CUDA_TWO_BODY_BLOCK ${TWO_BODY_BLOCK}
struct br_cuda_aux {
  uint32_t version;
  uint32_t mask;
  const uint32_t* order;
  const uint32_t* begin;
  const uint32_t* end;
  const uint32_t* bond_start;
  const uint32_t* bond_table;
  const uint32_t* bond_index;
};`;
