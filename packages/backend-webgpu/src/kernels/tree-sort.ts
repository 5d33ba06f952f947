import { PARAMS_WGSL, stageUniform } from './common.js';
import { TREE_SORT_BUFFERS_WGSL } from './tree-common.js';

/** Invocations per radix workgroup and the consecutive elements each one handles. */
const RADIX_THREADS = 64;
const RADIX_PER_THREAD = 16;
/** Elements of one radix block (one workgroup). */
export const RADIX_BLOCK = RADIX_THREADS * RADIX_PER_THREAD;
/** Bits sorted per pass, and the passes that cover a 30-bit key (even: the result ends in buffer A). */
export const RADIX_BITS = 5;
export const RADIX_DIGITS = 1 << RADIX_BITS;
export const RADIX_PASSES = 6;
/** Workgroup memory of the radix kernels: one count per digit and invocation. */
export const RADIX_WORKGROUP_BYTES = RADIX_DIGITS * RADIX_THREADS * 4;

/**
 * A stable least-significant-digit radix sort of (key, index) pairs, 5 bits per pass, with no
 * atomics, so the result (and every intermediate) is the same on every run:
 * - `radixHistogram`: each workgroup counts the digits of its block of 1024 elements (each
 *   invocation 16 consecutive ones) into `treeScan[digit · blocks + block]`, digit-major, so that
 *   an exclusive prefix sum over the whole array (scan.ts over the tree's scan buffer) gives every
 *   (digit, block) its first output slot;
 * - `radixScatter`: recounts its block, ranks each element among the equal digits before it in
 *   the block (earlier invocations first, then in order within the invocation) and writes it to
 *   that slot of the other buffer. Equal digits keep their order: the sort is stable.
 */
export const RADIX_SORT_WGSL = /* wgsl */ `
${PARAMS_WGSL}
${TREE_SORT_BUFFERS_WGSL}
@group(0) @binding(5) var<storage, read_write> treeScan: array<u32>;
${stageUniform('RadixStage', '  shift: u32,\n  source: u32,\n  blocks: u32,\n  scanned: u32,')}

const THREADS = ${RADIX_THREADS}u;
const PER_THREAD = ${RADIX_PER_THREAD}u;
const BLOCK = ${RADIX_BLOCK}u;
const DIGITS = ${RADIX_DIGITS}u;
var<workgroup> counts: array<u32, ${RADIX_DIGITS * RADIX_THREADS}>;

fn digitOf(key: u32) -> u32 {
  return (key >> stage.shift) & (DIGITS - 1u);
}

// Counts this invocation's elements per digit into counts[digit · THREADS + lane].
fn countDigits(first: u32, lane: u32) {
  var local: array<u32, DIGITS>;
  for (var e = 0u; e < PER_THREAD; e++) {
    let k = first + e;
    if (k < params.count) {
      let d = digitOf(sortKey(stage.source, k));
      local[d] = local[d] + 1u;
    }
  }
  for (var d = 0u; d < DIGITS; d++) {
    counts[d * THREADS + lane] = local[d];
  }
}

@compute @workgroup_size(THREADS)
fn radixHistogram(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let block = wid.x + wid.y * groups.x;
  if (block >= stage.blocks) {
    return;
  }
  countDigits(block * BLOCK + lane * PER_THREAD, lane);
  workgroupBarrier();
  if (lane < DIGITS) {
    var total = 0u;
    for (var t = 0u; t < THREADS; t++) {
      total = total + counts[lane * THREADS + t];
    }
    treeScan[lane * stage.blocks + block] = total;
  }
}

@compute @workgroup_size(THREADS)
fn radixScatter(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_index) lane: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let block = wid.x + wid.y * groups.x;
  if (block >= stage.blocks) {
    return;
  }
  let first = block * BLOCK + lane * PER_THREAD;
  countDigits(first, lane);
  workgroupBarrier();
  // Exclusive prefix over the invocations, one digit per invocation.
  if (lane < DIGITS) {
    var running = 0u;
    for (var t = 0u; t < THREADS; t++) {
      let c = counts[lane * THREADS + t];
      counts[lane * THREADS + t] = running;
      running = running + c;
    }
  }
  workgroupBarrier();
  var cursor: array<u32, DIGITS>;
  for (var d = 0u; d < DIGITS; d++) {
    cursor[d] = treeScan[stage.scanned + d * stage.blocks + block] + counts[d * THREADS + lane];
  }
  let destination = 1u - stage.source;
  for (var e = 0u; e < PER_THREAD; e++) {
    let k = first + e;
    if (k < params.count) {
      let key = sortKey(stage.source, k);
      let d = digitOf(key);
      storeSorted(destination, cursor[d], key, sortIndex(stage.source, k));
      cursor[d] = cursor[d] + 1u;
    }
  }
}
`;
