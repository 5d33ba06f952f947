import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bondForce,
  compileKernelPlan,
  defineSystem,
  externalForce,
  field,
  pairForce,
  ParticleState,
  periodic,
  type Rule,
} from '@brokenrecord/core';
import { compileGenerated, compilerVersion, findCompiler } from '@brokenrecord/native-common/codegen';
import { Random } from '@brokenrecord/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCuda } from '../src/codegen/emit-cuda.js';
import { termArrays } from '../src/generated-terms.js';

// The device kernels of the generated source, compiled as C++ against a minimal CUDA shim
// (test/emulation/cuda_shim.h: blocks run one at a time, their threads as std::threads meeting at
// __syncthreads) and launched as device/device_terms.cu launches them, against the host driver of
// the same source: accelerations and potential must agree bit for bit. This checks the kernels'
// indexing, the row tiles, the grid keys and ranges, the bond lists and the energy tree without a GPU.

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..');
const include = [join(here, 'emulation'), join(packageRoot, 'native/src'), join(packageRoot, '../native-common/include')];
const compiler = findCompiler();
const reason =
  process.platform !== 'linux' ? 'needs Linux (dlopen)' : compilerVersion(compiler) === null ? `no C++ compiler '${compiler}'` : null;
if (reason) console.warn(`[generated kernels on the CPU] skipping: ${reason}`);

const work = mkdtempSync(join(tmpdir(), 'br-cuda-emulation-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const N = 300;
const PAIRS: [number, number][] = [...Array.from({ length: N / 3 }, (_, b): [number, number] => [3 * b, 3 * b + 1]), [0, N - 1], [5, 7]];
const chain = () =>
  bondForce({
    energy: '0.5*k*(r - 1)^2 + 0.1*q1*q2*r',
    group: 'chain',
    bonds: PAIRS,
    perBond: { k: PAIRS.map((_, b) => 5 + (b % 7)) },
    perParticle: ['q'],
  });
const LJ = '4*((1/r)^12 - (1/r)^6)';

const SYSTEMS: Record<string, { rules: Rule[]; side: number; offset: number }> = {
  'cutoff pairs through the grid, a row, bonds, every per-particle kind': {
    rules: [
      externalForce({ energy: '0.5*k*(x^2 + y^2 + z^2) + 0.01*t*x', parameters: { k: 0.2 } }),
      field({ acceleration: ['q*vy/m', '-q*vx/m', '0.1*t'], perParticle: ['q'] }),
      field({ acceleration: ['0', '0.01*x', '0'] }),
      pairForce({ energy: LJ, cutoff: 2.5, exclude: 'bonds' }),
      pairForce({ energy: 'q1*q2/sqrt(r^2 + 0.1)', perParticle: ['q'] }),
      chain(),
    ],
    side: 12,
    offset: -6,
  },
  'a periodic box of 4 cells an axis with bonds through faces': {
    rules: [pairForce({ energy: LJ, cutoff: 2.5, shift: true }), chain(), periodic({ min: [0, 0, 0], max: [10, 10, 10] })],
    side: 10,
    offset: 0,
  },
};

function state(seed: number, side: number, offset: number): ParticleState {
  const random = new Random(seed);
  const perAxis = Math.ceil(Math.cbrt(N));
  const spacing = side / perAxis;
  const position = Array.from({ length: N }, (_, i) =>
    [i % perAxis, Math.floor(i / perAxis) % perAxis, Math.floor(i / perAxis ** 2)].map(
      (c) => offset + (c + 0.5) * spacing + random.uniform(-0.15, 0.15) * spacing,
    ),
  );
  const s = ParticleState.from({
    position,
    velocity: position.map(() => [random.gaussian(), random.gaussian(), random.gaussian()]),
    mass: position.map(() => random.uniform(0.5, 2)),
    attributes: { q: position.map(() => random.uniform(-1, 1)) },
  });
  s.setBonds('chain', PAIRS, { k: PAIRS.map((_, b) => 5 + (b % 7)) });
  return s;
}

const FLAGS = ['-std=c++20', '-ffp-contract=off', '-fno-math-errno', '-pthread', ...include.map((d) => `-I${d}`)];

/** The launcher (emulation/emulate.cpp), compiled once. */
let driverObject: string | null = null;
function driver(): string {
  if (!driverObject) {
    driverObject = join(work, 'emulate.o');
    const r = spawnSync(compiler, [...FLAGS, '-O0', '-c', join(here, 'emulation/emulate.cpp'), '-o', driverObject], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`emulate.cpp did not compile:\n${r.stdout}${r.stderr}`);
  }
  return driverObject;
}

describe.skipIf(reason !== null)('the generated CUDA kernels run on the CPU agree bit for bit with the host driver', () => {
  for (const [name, { rules, side, offset }] of Object.entries(SYSTEMS)) {
    it(name, () => {
      const plan = compileKernelPlan(defineSystem({ integrator: 'verlet', rules }), 0.001);
      const generated = generateCuda(plan);
      const library = compileGenerated(generated.source, { variant: 'scalar' }).path;
      const tag = name.replace(/\W+/g, '-');
      const kernels = join(work, `${tag}.cu`);
      writeFileSync(kernels, generated.source);
      const binary = join(work, tag);
      const build = spawnSync(
        compiler,
        [...FLAGS, '-O0', '-D__CUDACC__', '-include', 'cuda_shim.h', '-x', 'c++', kernels, '-x', 'none', driver(), '-ldl', '-o', binary],
        { encoding: 'utf8' },
      );
      expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);

      const s = state(3, side, offset);
      const arrays = termArrays(plan, generated.layout, s);
      const u32 = (v: ArrayLike<number>) => Buffer.from(Uint32Array.from(v).buffer);
      const f32 = (v: Float32Array) => Buffer.from(Float32Array.from(v).buffer);
      const parts: Buffer[] = [
        u32([N, arrays.attributes.length, arrays.bondI.length, arrays.bondParams.length, arrays.exList.length, arrays.bondTable.length]),
        u32([generated.kernels.grid ? 1 : 0, generated.kernels.twoBody ? 1 : 0]),
        Buffer.from(Float64Array.of(0.25).buffer),
        ...(['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const).map((c) => f32(s.column(c))),
        ...arrays.attributes.map(f32),
        u32(arrays.bondI.map((t) => t.length)),
        ...arrays.bondI.flatMap((t, k) => [Buffer.from(Int32Array.from(t).buffer), Buffer.from(Int32Array.from(arrays.bondJ[k]!).buffer)]),
        u32(arrays.bondParams.map((p) => p.length)),
        ...arrays.bondParams.map(f32),
        u32(arrays.exStart.length ? arrays.exStart : new Uint32Array(N + 1)),
        u32(arrays.exList),
        u32(arrays.bondStart),
        u32(arrays.bondTable),
        u32(arrays.bondIndex),
      ];
      const input = join(work, `${tag}.bin`);
      writeFileSync(input, Buffer.concat(parts));
      const run = spawnSync(binary, [library, input], { encoding: 'utf8' });
      expect(`${run.stdout}${run.stderr}`.trim()).toMatch(/^identical/);
      expect(run.status).toBe(0);
    });
  }
});
