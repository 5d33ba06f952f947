import { PARAMS_WGSL, STATE_WGSL } from './common.js';
import { GRID_INFO_WGSL } from './grid-common.js';

export const GRID_COUNT_WORKGROUP = 64;

/**
 * Broadphase, counting-sort pass one: zero the per-cell counts (`clearCounts`, over every cell
 * entry), then each particle records its cell and bumps that cell's count (`countCells`).
 */
export const GRID_COUNT_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${STATE_WGSL}
${GRID_INFO_WGSL}
@group(0) @binding(5) var<storage, read_write> cellCounts: array<atomic<u32>>;
@group(0) @binding(6) var<storage, read_write> particleCells: array<u32>;

@compute @workgroup_size(${GRID_COUNT_WORKGROUP})
fn clearCounts(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let c = flatIndex(id, groups, ${GRID_COUNT_WORKGROUP}u);
  if (c < params.cellEntries) {
    atomicStore(&cellCounts[c], 0u);
  }
}

@compute @workgroup_size(${GRID_COUNT_WORKGROUP})
fn countCells(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${GRID_COUNT_WORKGROUP}u);
  if (i >= params.count || gridCellCount() == 0u) {
    return;
  }
  let c = cellIndex(cellCoordinates(loadPosition(i)));
  particleCells[params.capacity + i] = c;
  atomicAdd(&cellCounts[c], 1u);
}
`;
