import { PARAMS_WGSL, stageUniform } from './common.js';

export const SCAN_BLOCK = 256;

/**
 * Exclusive prefix sum over u32 arrays inside the `cells` buffer, for the cell start offsets.
 * Multi-level: `scanBlocks` scans each block of 256 (Hillis–Steele in workgroup memory) and
 * writes the block totals to the next level, which is scanned the same way (in place) until one
 * block remains; `addBlockOffsets` then adds each level's scanned totals back down. The host
 * plans the levels (../grid-plan.ts) and gives each dispatch its offsets through `stage`.
 * `copyStartsToCursors` turns the counts region into scatter cursors afterwards.
 */
export const SCAN_WGSL = /* wgsl */ `
${PARAMS_WGSL}
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
${stageUniform('ScanStage', '  input: u32,\n  output: u32,\n  sums: u32,\n  length: u32,')}

const BLOCK = ${SCAN_BLOCK}u;
var<workgroup> partial: array<u32, BLOCK>;

@compute @workgroup_size(BLOCK)
fn scanBlocks(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let block = wid.x + wid.y * groups.x;
  let i = block * BLOCK + lane;
  var value = 0u;
  if (i < stage.length) {
    value = cells[stage.input + i];
  }
  partial[lane] = value;
  workgroupBarrier();
  for (var offset = 1u; offset < BLOCK; offset = offset << 1u) {
    var left = 0u;
    if (lane >= offset) {
      left = partial[lane - offset];
    }
    workgroupBarrier();
    partial[lane] = partial[lane] + left;
    workgroupBarrier();
  }
  if (i < stage.length) {
    cells[stage.output + i] = partial[lane] - value;
  }
  if (lane == BLOCK - 1u) {
    cells[stage.sums + block] = partial[lane];
  }
}

@compute @workgroup_size(BLOCK)
fn addBlockOffsets(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let block = wid.x + wid.y * groups.x;
  let i = block * BLOCK + lane;
  if (i < stage.length) {
    cells[stage.output + i] = cells[stage.output + i] + cells[stage.sums + block];
  }
}

@compute @workgroup_size(BLOCK)
fn copyStartsToCursors(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let c = flatIndex(id, groups, BLOCK);
  if (c < params.cellEntries) {
    cells[c] = cells[params.cellEntries + c];
  }
}
`;
