import type { KernelPlan } from '@brokenrecord/core';

/**
 * The C ABI of generated expression terms (version GENERATED_ABI_VERSION), shared by every emitter
 * of the C family: one struct of column pointers, counts and time (`br_gen_input`, written out in
 * ABI_HEADER) and three entry points:
 * - `uint32_t br_gen_abi_version(void)`;
 * - `int br_gen_accelerations(const br_gen_input*, uint32_t what, double* ax, double* ay, double* az)`:
 *   adds the accelerations of the terms selected by `what` (GEN_POSITION_TERMS: external forces,
 *   fields without velocities, pair and bond forces; GEN_VELOCITY_TERMS: fields reading vx vy vz);
 *   returns 0, GEN_ERROR_VERSION when the struct's version differs, GEN_ERROR_MEMORY when the cell
 *   grid cannot be allocated;
 * - `double br_gen_potential(const br_gen_input*)`: the terms' potential energy (NaN on error);
 * - `void* br_gen_workspace_create(void)` / `void br_gen_workspace_destroy(void*)`: scratch memory
 *   one caller keeps across calls (`workspace`: the CPU code's neighbour list and force sums), or
 *   null (a call then works in memory of its own). A workspace belongs to one state: never share it.
 */
export const GENERATED_ABI_VERSION = 2;
export const GEN_POSITION_TERMS = 1;
export const GEN_VELOCITY_TERMS = 2;
export const GEN_ERROR_VERSION = -1;
export const GEN_ERROR_MEMORY = -2;

/** What the caller puts behind the struct's arrays, in this order. */
export interface GeneratedLayout {
  /** `attributes[k]` is the state column of this name (plan.attributes). */
  attributes: string[];
  /** `bond_*[k]` are the tables of plan.bonds[k]; its per-bond values sit at `bond_params[paramOffset + p]`. */
  bonds: { group: string; perBond: string[]; paramOffset: number }[];
  /** The pair terms skip bonded pairs: `ex_start`/`ex_list` (CSR of every bond table's partners) are read. */
  exclusions: boolean;
}

export interface GeneratedSource {
  source: string;
  layout: GeneratedLayout;
}

export const ABI_HEADER = `#include <stdint.h>
#define BR_GEN_ABI_VERSION ${GENERATED_ABI_VERSION}
#define BR_GEN_EXPORT extern "C" __attribute__((visibility("default")))
struct br_gen_input {
  uint32_t version;
  uint32_t count;
  double t;
  const float *px, *py, *pz, *vx, *vy, *vz, *mass, *radius;
  const float* const* attributes;
  const uint32_t* bond_count;
  const int32_t* const* bond_i;
  const int32_t* const* bond_j;
  const float* const* bond_params;
  const uint32_t* ex_start;
  const uint32_t* ex_list;
  void* workspace;
};`;

/** The struct layout a plan's generated code reads (the same for every emitter). */
export function generatedLayout(plan: KernelPlan): GeneratedLayout {
  let offset = 0;
  return {
    attributes: [...plan.attributes],
    bonds: plan.bonds.map((b) => {
      const entry = { group: b.group, perBond: [...b.perBond], paramOffset: offset };
      offset += b.perBond.length;
      return entry;
    }),
    exclusions: plan.pairs.some((p) => p.excludeBonds),
  };
}
