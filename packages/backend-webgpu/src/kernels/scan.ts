import { PARAMS_WGSL, stageUniform } from './common.js';

/** Invocations per scan workgroup, and the elements each one scans serially. */
const SCAN_THREADS = 64;
const SCAN_PER_THREAD = 16;
/** Elements one scan workgroup covers (and the fan-in of each level). */
export const SCAN_BLOCK = SCAN_THREADS * SCAN_PER_THREAD;
/** Workgroup size of the element-wise passes. */
export const SCAN_ADD_WORKGROUP = 256;

/**
 * Exclusive prefix sum over u32 arrays inside the `cells` buffer, for the cell start offsets.
 * Multi-level: `scanBlocks` scans each block of 1024 elements and writes the block totals to the
 * next level, which is scanned the same way (in place) until one block remains; `addBlockOffsets`
 * then adds each level's scanned totals back down. The host plans the levels (../grid-plan.ts)
 * and gives each dispatch its offsets through `stage`. `copyStartsToCursors` turns the counts
 * region into scatter cursors afterwards.
 *
 * Within a block, each of 64 invocations scans 16 consecutive elements in registers and only the
 * 64 partial totals are combined through workgroup memory (6 rounds). Few barriers per element
 * matter on software GPUs, where a barrier suspends and resumes every invocation of the group.
 */
export const SCAN_WGSL = /* wgsl */ `
${PARAMS_WGSL}
@group(0) @binding(5) var<storage, read_write> cells: array<u32>;
${stageUniform('ScanStage', '  input: u32,\n  output: u32,\n  sums: u32,\n  length: u32,')}

const THREADS = ${SCAN_THREADS}u;
const PER_THREAD = ${SCAN_PER_THREAD}u;
const BLOCK = ${SCAN_BLOCK}u;
var<workgroup> totals: array<u32, THREADS>;

@compute @workgroup_size(THREADS)
fn scanBlocks(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let block = wid.x + wid.y * groups.x;
  let first = block * BLOCK + lane * PER_THREAD;
  // Every element is read before the first barrier and written after the last, so scanning a
  // level in place (input == output) is safe.
  var before: array<u32, PER_THREAD>;
  var sum = 0u;
  for (var k = 0u; k < PER_THREAD; k++) {
    let i = first + k;
    before[k] = sum;
    if (i < stage.length) {
      sum = sum + cells[stage.input + i];
    }
  }
  totals[lane] = sum;
  workgroupBarrier();
  for (var offset = 1u; offset < THREADS; offset = offset << 1u) {
    var left = 0u;
    if (lane >= offset) {
      left = totals[lane - offset];
    }
    workgroupBarrier();
    totals[lane] = totals[lane] + left;
    workgroupBarrier();
  }
  let carry = totals[lane] - sum;
  for (var k = 0u; k < PER_THREAD; k++) {
    let i = first + k;
    if (i < stage.length) {
      cells[stage.output + i] = carry + before[k];
    }
  }
  if (lane == THREADS - 1u) {
    cells[stage.sums + block] = totals[lane];
  }
}

@compute @workgroup_size(${SCAN_ADD_WORKGROUP})
fn addBlockOffsets(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = flatIndex(id, groups, ${SCAN_ADD_WORKGROUP}u);
  if (i < stage.length) {
    cells[stage.output + i] = cells[stage.output + i] + cells[stage.sums + i / BLOCK];
  }
}

@compute @workgroup_size(${SCAN_ADD_WORKGROUP})
fn copyStartsToCursors(@builtin(global_invocation_id) id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let c = flatIndex(id, groups, ${SCAN_ADD_WORKGROUP}u);
  if (c < params.cellEntries) {
    cells[c] = cells[params.cellEntries + c];
  }
}
`;
