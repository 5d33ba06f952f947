import { createSimulation, defineSystem, pairwiseGravity, ParticleState, type Simulation } from '@brokenrecord/core';
import { mulberry32 } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';
import { webgpuBackend, WebGpuContext } from '../dist/index.js';
import { kernelsFor } from '../dist/pipelines.js';
import { StageSlots } from '../dist/stages.js';
import { encodeTreeBuild, writeTreeStages } from '../dist/tree-encoder.js';
import { treeStageNames } from '../dist/tree-plan.js';
import { TREE_INDEX_MASK, TREE_LEAF, TREE_SUBCELL } from '../dist/kernels/tree-common.js';
import { mortonKeys, plummerPositions, referenceTree } from './tree-reference.js';

const probe = await webgpuBackend.probe();

function plummer(seed: number, n: number): ParticleState {
  const state = ParticleState.create(n);
  plummerPositions(mulberry32(seed), n, state);
  return state;
}

type Method = 'tree' | 'direct';

function gravity(state: ParticleState, method: Method, theta: number, softening: number): Promise<Simulation> {
  return createSimulation({
    system: defineSystem({ integrator: 'euler', rules: [pairwiseGravity({ G: 1, softening, method, theta })] }),
    state: state.clone(),
    dt: 1,
    backend: 'webgpu',
  });
}

/** Accelerations and the potential energy of `state` on the GPU. */
async function measure(state: ParticleState, method: Method, theta = 0.5, softening = 0.01) {
  const sim = await gravity(state, method, theta, softening);
  try {
    const potential = (await sim.diagnostics()).potential;
    // Semi-implicit Euler from rest with dt = 1: v₁ = a, the float32 acceleration itself.
    await sim.step(1);
    const after = await sim.read();
    return { acceleration: [Float64Array.from(after.vx), Float64Array.from(after.vy), Float64Array.from(after.vz)], potential };
  } finally {
    sim.dispose();
  }
}

function sortedRelativeErrors(a: Float64Array[], b: Float64Array[]): number[] {
  const errors = Array.from(
    a[0],
    (_, i) => Math.hypot(a[0][i] - b[0][i], a[1][i] - b[1][i], a[2][i] - b[2][i]) / Math.hypot(b[0][i], b[1][i], b[2][i]),
  );
  return errors.sort((x, y) => x - y);
}

async function readBack(device: GPUDevice, buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: bytes, usage: 0x0001 | 0x0008 }); // MAP_READ | COPY_DST
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(0x0001);
  const copy = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return copy;
}

/** Runs only the tree build of a simulation's current positions (no walk) and reads every tree buffer back. */
async function buildOnly(sim: Simulation) {
  const context = sim.context as WebGpuContext;
  const { device } = context;
  const tree = context.buffers.tree!;
  const kernels = await kernelsFor(device);
  const stages = new StageSlots(device, kernels.layouts.stage, ['none', ...treeStageNames(tree.plan, 1)]);
  writeTreeStages(stages, tree.plan, [{ G: 1, eps2: 0, method: 'tree', theta: 0.5 }]);
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  encodeTreeBuild(
    {
      preset: () => {
        throw new Error('the build uses the tree group only');
      },
      over(group, kernel, items, workgroupSize, stage = 'none') {
        const groups = Math.ceil(items / workgroupSize);
        if (groups === 0) return;
        pass.setPipeline(kernels.pipelines[kernel]);
        pass.setBindGroup(0, group);
        pass.setBindGroup(1, stages.bindGroup, [stages.offset(stage)]);
        pass.dispatchWorkgroups(Math.min(groups, 65535), Math.ceil(groups / 65535));
      },
    },
    tree,
    context.buffers.tree ? (sim.context as WebGpuContext).renderSource().count : 0,
  );
  pass.end();
  device.queue.submit([encoder.finish()]);
  const [sort, , links, , nodes] = tree.buffers;
  const C = tree.plan.capacity;
  const result = {
    capacity: C,
    sort: new Uint32Array(await readBack(device, sort, 2 * C * 4)),
    links: new Uint32Array(await readBack(device, links, 5 * C * 4)),
    nodes: new Float32Array(await readBack(device, nodes, tree.plan.nodeVec4s * 16)),
  };
  stages.destroy();
  return result;
}

/** Depth of the octree cell of a node whose particles share `level` key bits (as kernels/tree-build.ts). */
const octreeDepth = (level: number) => (level >= 32 ? level - 22 : Math.floor((level - 2) / 3));

describe.skipIf(!probe.available)('Barnes–Hut gravity on the GPU', () => {
  it('2,000 Plummer bodies: forces and potential equal the float64 octree of the same cells, and repeat bit for bit', async () => {
    const state = plummer(5, 2000);
    for (const theta of [0.3, 0.7]) {
      const gpu = await measure(state, 'tree', theta);
      const reference = referenceTree(state, { G: 1, softening: 0.01, theta });
      const errors = sortedRelativeErrors(gpu.acceleration, reference.acceleration);
      // float32 sums of ~10³ terms: a few 1e-7 typically. An opening decision taken differently
      // (a wrong moment, box or cell mark) would cost the tree's own error, ~1e-3, somewhere.
      expect(errors[errors.length >> 1], `median, theta ${theta}`).toBeLessThan(2e-6);
      expect(errors[errors.length - 1], `max, theta ${theta}`).toBeLessThan(3e-5);
      const energy = 0.5 * reference.potential.reduce((sum, phi, i) => sum + state.mass[i] * phi, 0);
      expect(Math.abs(gpu.potential - energy) / Math.abs(energy), `potential, theta ${theta}`).toBeLessThan(1e-6);
      const again = await measure(state, 'tree', theta);
      for (let c = 0; c < 3; c++) expect(again.acceleration[c], 'a second run').toEqual(gpu.acceleration[c]);
    }
  });

  it('one body feels nothing; two bodies feel each other exactly as all pairs; stacked bodies (tied keys) too', async () => {
    const one = ParticleState.from({ position: [[1, 2, 3]], mass: [2] });
    expect((await measure(one, 'tree')).acceleration.map((c) => c[0])).toEqual([0, 0, 0]);
    const two = ParticleState.from({
      position: [
        [0, 0, 0],
        [1, 2, 2],
      ],
      mass: [1, 3],
    });
    const [treeTwo, directTwo] = [await measure(two, 'tree'), await measure(two, 'direct')];
    for (let c = 0; c < 3; c++) expect(treeTwo.acceleration[c]).toEqual(directTwo.acceleration[c]);
    // 64 points 8 bodies deep: every key appears 8 times, the radix tree splits ties by position.
    const random = mulberry32(9);
    const stacked = ParticleState.create(512);
    for (let i = 0; i < 512; i++) {
      const p = Math.floor(i / 8);
      stacked.px[i] = p % 4;
      stacked.py[i] = Math.floor(p / 4) % 4;
      stacked.pz[i] = Math.floor(p / 16);
      stacked.mass[i] = 0.5 + random();
    }
    const [tree, direct] = [await measure(stacked, 'tree', 0.5, 0.3), await measure(stacked, 'direct', 0.5, 0.3)];
    // Against the rms acceleration (the lattice's symmetry leaves some bodies with almost no net
    // pull); 64 points is a coarse tree, so its error is larger than in a smooth distribution.
    const a = direct.acceleration;
    const rms = Math.sqrt(a[0].reduce((sum, _, i) => sum + a[0][i] ** 2 + a[1][i] ** 2 + a[2][i] ** 2, 0) / a[0].length);
    const worst = Math.max(...Array.from(a[0], (_, i) => Math.hypot(...[0, 1, 2].map((c) => tree.acceleration[c][i] - a[c][i]))));
    expect(worst / rms).toBeLessThan(3e-2);
    const reference = referenceTree(stacked, { G: 1, softening: 0.3, theta: 0.5 });
    expect(sortedRelativeErrors(tree.acceleration, reference.acceleration).at(-1)).toBeLessThan(3e-5);
  });

  it(
    '70,000 bodies (69 radix blocks, a two-level prefix sum): sorted by (key, index), a binary tree over them, exact boxes',
    { timeout: 120_000 },
    async () => {
      const n = 70_000;
      const state = plummer(3, n);
      const sim = await gravity(state, 'tree', 0.5, 0.01);
      try {
        const { capacity: C, sort, links, nodes } = await buildOnly(sim);
        const keys = mortonKeys(state);
        // Checked in plain code and asserted once: an expect() per element costs seconds here.
        const problems: string[] = [];
        const check = (ok: boolean, what: () => string) => {
          if (!ok && problems.length < 10) problems.push(what());
        };
        const seen = new Uint8Array(n);
        let differentKeys = 0;
        for (let k = 0; k < n; k++) {
          const [key, index] = [sort[k], sort[C + k]];
          check(index < n && seen[index] === 0, () => `sorted position ${k}: index ${index} out of range or twice`);
          seen[index] = 1;
          if (key !== keys[index]) differentKeys++;
          if (k > 0) check(sort[k - 1] < key || (sort[k - 1] === key && sort[C + k - 1] < index), () => `order at ${k}`);
          // Bodies in sorted order: position and mass copied exactly.
          const body = 4 * (4 * C + k);
          check(nodes[body] === state.px[index] && nodes[body + 3] === state.mass[index], () => `body ${k}`);
        }
        // Quantisation divides in float32 on the GPU; a key on a cell border may round the other way.
        expect(differentKeys).toBeLessThanOrEqual(n * 1e-4);

        // Depth first from the root, left before right: every leaf once, in sorted order; levels grow
        // downwards; parts of octree cells are marked; ranges, boxes and masses are those of the leaves.
        let nextLeaf = 0;
        type Summary = { lo: number[]; hi: number[]; mass: number; first: number; last: number };
        const visit = (node: number, parentLevel: number): Summary => {
          const level = links[2 * C + node];
          check(level > parentLevel, () => `level of node ${node}: ${level} after ${parentLevel}`);
          const parts = [links[node], links[C + node]].map((child): Summary => {
            const index = child & TREE_INDEX_MASK;
            if (child & TREE_LEAF) {
              check(index === nextLeaf, () => `leaf ${index} where ${nextLeaf} was due`);
              nextLeaf++;
              const i = sort[C + index];
              const x = [state.px[i], state.py[i], state.pz[i]];
              return { lo: x, hi: x, mass: state.mass[i], first: index, last: index };
            }
            const summary = visit(index, level);
            const marked = Boolean(links[4 * C + index] & TREE_SUBCELL);
            check(marked === (octreeDepth(links[2 * C + index]) === octreeDepth(level)), () => `cell mark of node ${index}`);
            return summary;
          });
          const lo = [0, 1, 2].map((a) => Math.min(parts[0].lo[a], parts[1].lo[a]));
          const hi = [0, 1, 2].map((a) => Math.max(parts[0].hi[a], parts[1].hi[a]));
          const base = 4 * 4 * node;
          check(
            [0, 1, 2].every((a) => nodes[base + 4 + a] === lo[a] && nodes[base + 8 + a] === hi[a]),
            () => `box of node ${node}`,
          );
          // The range words the walk finds each subtree's successor from.
          const [first, last] = [links[3 * C + node], links[4 * C + node] & TREE_INDEX_MASK];
          check(first === parts[0].first && last === parts[1].last, () => `range of node ${node}`);
          const mass = parts[0].mass + parts[1].mass;
          check(Math.abs(nodes[base + 3] - mass) / mass < 1e-5, () => `mass of node ${node}`);
          return { lo, hi, mass, first: parts[0].first, last: parts[1].last };
        };
        const root = visit(0, -1);
        expect(problems).toEqual([]);
        expect(nextLeaf).toBe(n);
        expect([root.first, root.last]).toEqual([0, n - 1]);
        expect(Math.abs(root.mass - 1)).toBeLessThan(1e-4);
      } finally {
        sim.dispose();
      }
    },
  );
});
