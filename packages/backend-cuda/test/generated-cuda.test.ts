import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  type SystemDefinition,
} from '@brokenrecord/core';
import { cudaHostBackend, loadAddon } from '@brokenrecord/backend-cuda';
import { GeneratedCompileError } from '@brokenrecord/native-common/codegen';
import { tsBackend } from '@brokenrecord/backend-ts';
import { Random } from '@brokenrecord/conformance';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDeviceModule, findDeviceCompiler, type DeviceCompiler } from '../src/codegen/compile-cuda.js';
import { AUX_HEADER, KERNEL_NAMES } from '../src/codegen/cuda-abi.js';
import { generateCuda, gridReach } from '../src/codegen/emit-cuda.js';
import { hostGeneratedUnavailable } from '../src/kernel-kinds.js';

// The CUDA source generated from kernel plans: compiled by nvcc for the device (where nvcc is on
// PATH), and its host variant run by the host executor against the ts reference, including the
// periodic grid and the small-box fallback (which the conformance suite does not reach here: the
// host executor does not list periodic).

const LJ = '4*((1/r)^12 - (1/r)^6)';
const work = mkdtempSync(join(tmpdir(), 'br-cuda-generated-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const N = 150;
/** Chains of two, and one bond across the box (through a face when periodic). */
const PAIRS: [number, number][] = [...Array.from({ length: N / 3 }, (_, b): [number, number] => [3 * b, 3 * b + 1]), [0, N - 1]];
const STIFFNESS = PAIRS.map((_, b) => 5 + (b % 7));
const chain = () => bondForce({ energy: '0.5*k*(r - 1)^2', group: 'chain', bonds: PAIRS, perBond: { k: STIFFNESS } });

function randomState(seed: number, n: number, side: number): ParticleState {
  const random = new Random(seed);
  const position: number[][] = [];
  // A jittered lattice: no two particles closer than about half a spacing (LJ stays finite).
  const perAxis = Math.ceil(Math.cbrt(n));
  const spacing = side / perAxis;
  for (let i = 0; i < n; i++) {
    const c = [i % perAxis, Math.floor(i / perAxis) % perAxis, Math.floor(i / perAxis ** 2)];
    position.push(c.map((k) => (k + 0.5) * spacing + random.uniform(-0.15, 0.15) * spacing));
  }
  const state = ParticleState.from({
    position,
    mass: position.map(() => random.uniform(0.5, 2)),
    attributes: { q: position.map(() => random.uniform(-1, 1)), sigma: position.map(() => random.uniform(0.8, 1.2)) },
  });
  state.setBonds('chain', PAIRS, { k: STIFFNESS });
  return state;
}

const PLANS: Record<string, Rule[]> = {
  'Lennard-Jones with per-particle sigma, cutoff 2.5': [
    pairForce({ energy: '4*((s/r)^12 - (s/r)^6); s = 0.5*(sigma1 + sigma2)', perParticle: ['sigma'], cutoff: 2.5 }),
  ],
  'every kind: trap, magnetic field, Coulomb rows, bonds with exclusions': [
    externalForce({ energy: '0.5*k*(x^2 + y^2 + z^2) + 0.01*t*x', parameters: { k: 0.2 } }),
    field({ acceleration: ['q*vy/m', '-q*vx/m', '0'], perParticle: ['q'] }),
    pairForce({ energy: 'q1*q2/sqrt(r^2 + 0.1)', perParticle: ['q'], exclude: 'bonds' }),
    chain(),
  ],
  'periodic box of 4 cells an axis: shifted LJ, bonds through faces, exclusions': [
    pairForce({ energy: LJ, cutoff: 2.5, shift: true, exclude: 'bonds' }),
    chain(),
    periodic({ min: [0, 0, 0], max: [10, 10, 10] }),
  ],
  'periodic box under three cells an axis (all pairs, nearest image)': [
    pairForce({ energy: LJ, cutoff: 2.5 }),
    periodic({ min: [-3, -3, -3], max: [3, 3, 3] }),
  ],
};

const system = (rules: Rule[]): SystemDefinition => defineSystem({ integrator: 'euler', rules });

describe('generated CUDA source', () => {
  it('declares br_cuda_aux exactly as the executor reads it (native/src/generated/cuda_aux.h)', () => {
    const header = readFileSync(new URL('../native/src/generated/cuda_aux.h', import.meta.url), 'utf8');
    expect(header).toContain(AUX_HEADER);
  });

  it('uses the grid where the box holds three cells an axis, all pairs below', () => {
    const plans = Object.values(PLANS).map((rules) => compileKernelPlan(system(rules), 0.001));
    expect(plans.map(gridReach)).toEqual([2.5, null, 2.5, null]);
  });
});

const nvcc = spawnSync('nvcc', ['--version'], { encoding: 'utf8' });
const nvccReason = nvcc.status === 0 ? null : `nvcc is not on PATH (${nvcc.error?.message ?? `exit ${nvcc.status}`})`;
if (nvccReason) console.warn(`[generated CUDA] skipping the device compiles: ${nvccReason}`);

describe.skipIf(nvccReason !== null)('nvcc compiles the generated CUDA source of several plans', () => {
  for (const [name, rules] of Object.entries(PLANS)) {
    it(name, () => {
      const { source } = generateCuda(compileKernelPlan(system(rules), 0.001));
      const file = join(work, `${name.replace(/\W+/g, '-')}.cu`);
      writeFileSync(file, source);
      const out = `${file}.cubin`;
      const r = spawnSync('nvcc', ['-cubin', '-arch=sm_90', '-O3', '--fmad=false', '-Werror', 'all-warnings', '-o', out, file], {
        encoding: 'utf8',
      });
      expect(`${r.stdout}${r.stderr}`.trim(), 'nvcc output').toBe('');
      expect(r.status).toBe(0);
      const cubin = readFileSync(out).toString('latin1');
      for (const kernel of Object.values(KERNEL_NAMES)) expect(cubin, kernel).toContain(`.text.${kernel}`);
    });
  }
});

const hostReason = hostGeneratedUnavailable();
if (hostReason) console.warn(`[generated CUDA] skipping the host variant: ${hostReason}`);

describe.skipIf(hostReason !== null)('the host variant, run by the host executor, against the ts reference', () => {
  // One Euler step from rest: v1 = a·dt exactly in float64 arithmetic, so the velocities compare
  // the accelerations, and the diagnostics before the step the potential energy.
  for (const [name, rules] of Object.entries(PLANS)) {
    it(`${name}: accelerations and potential energy within 1e-5`, async () => {
      const side = rules.some((r) => r.kind === 'periodic') ? (name.includes('under') ? 6 : 10) : 7;
      const base = randomState(11, N, side);
      if (name.includes('under')) for (const c of ['px', 'py', 'pz'] as const) base[c].forEach((x, i) => (base[c][i] = x - 3));
      const dt = 2 ** -12;
      const results = [];
      for (const backend of [tsBackend, cudaHostBackend]) {
        const state = base.clone();
        const ctx = await backend.create(system(rules), state, { dt });
        try {
          const potential = (await ctx.diagnostics(0)).potential;
          await ctx.step(1, 0);
          const after = await ctx.read();
          results.push({ potential, v: (['vx', 'vy', 'vz'] as const).map((c) => Float64Array.from(after.column(c))) });
        } finally {
          await ctx.dispose();
        }
      }
      const [ts, host] = results as [(typeof results)[0], (typeof results)[0]];
      expect(Math.abs(host.potential - ts.potential)).toBeLessThanOrEqual(1e-5 * Math.abs(ts.potential) + 1e-9);
      let scale = 0;
      for (const col of ts.v) for (const x of col) scale = Math.max(scale, Math.abs(x));
      expect(scale, 'some force acts').toBeGreaterThan(0);
      ts.v.forEach((col, k) => {
        col.forEach((x, i) => expect(Math.abs(host.v[k]![i]! - x), `particle ${i} axis ${k}`).toBeLessThanOrEqual(1e-5 * scale));
      });
    });
  }
});

describe('the host executor lists the expression kinds where their code compiles', () => {
  it('says why not when the C++ compiler cannot be run', () => {
    expect(hostGeneratedUnavailable({ ...process.env, CXX: join(work, 'no-such-compiler') })).toMatch(
      /need a C\+\+ compiler.*cannot be run/,
    );
  });
  it.skipIf(hostReason !== null)('lists pairForce, externalForce, bondForce and field, not periodic', () => {
    expect(cudaHostBackend.rules).toEqual(expect.arrayContaining(['pairForce', 'externalForce', 'bondForce', 'field']));
    expect(cudaHostBackend.rules).not.toContain('periodic');
  });
});

describe('compiling the device module', () => {
  it('names both failures when neither NVRTC nor nvcc can run', () => {
    const addon = {
      nvrtcReport: () => ({ available: false, version: '', reason: 'NVRTC could not be opened (libnvrtc.so: not found)' }),
      compileNvrtc: () => ({ log: '', error: 'unavailable' }),
    };
    const found = findDeviceCompiler(addon, { ...process.env, CUDACXX: join(work, 'no-such-nvcc') });
    expect('reason' in found && found.reason).toMatch(/NVRTC could not be opened.*no-such-nvcc' cannot be run/);
  });

  it("the addon's NVRTC is available with a version, or says why not", async () => {
    await cudaHostBackend.probe(); // loads the addon safely first
    const report = loadAddon().nvrtcReport();
    if (report.available) expect(report.version).toMatch(/^\d+\.\d+$/);
    else expect(report.reason).toMatch(/NVRTC could not be opened|lacks entry points/);
  });

  it.skipIf(nvccReason !== null)(
    'with nvcc: a fatbin in the cache by hash, loaded from there the second time; a rejected source keeps its path',
    () => {
      const cacheDir = join(work, 'cache');
      const compiler = findDeviceCompiler(null) as DeviceCompiler;
      expect(compiler.kind).toBe('nvcc');
      const { source } = generateCuda(compileKernelPlan(system(PLANS['Lennard-Jones with per-particle sigma, cutoff 2.5']!), 0.001));
      const first = compileDeviceModule(source, '90', compiler, null, { cacheDir });
      expect(first.cached).toBe(false);
      expect(first.path).toMatch(/gen-[0-9a-f]{32}-sm_90\.fatbin$/);
      expect(first.image.length).toBeGreaterThan(1000);
      const second = compileDeviceModule(source, '90', compiler, null, { cacheDir });
      expect(second.cached).toBe(true);
      expect(Buffer.from(second.image).equals(Buffer.from(first.image))).toBe(true);
      const error = (() => {
        try {
          compileDeviceModule(`${source}\nthis is not CUDA;\n`, '90', compiler, null, { cacheDir });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(GeneratedCompileError);
      const e = error as GeneratedCompileError;
      expect(readFileSync(e.sourcePath, 'utf8')).toContain('this is not CUDA');
      expect(e.output).toMatch(/error/);
    },
  );
});

describe.skipIf(hostReason !== null)('attribute and bond edits between steps reach the generated terms', () => {
  const rules = () => [
    externalForce({ energy: 'q*x', perParticle: ['q'] }),
    bondForce({ energy: '0.5*k*(r - 1)^2', group: 'chain', bonds: PAIRS, perBond: { k: STIFFNESS } }),
  ];
  it('an edit of a current host copy is uploaded (as ts steps it in place); one of a stale copy is a ValidationError', async () => {
    const results = [];
    for (const backend of [tsBackend, cudaHostBackend]) {
      const state = randomState(5, N, 7);
      const ctx = await backend.create(system(rules()), state, { dt: 2 ** -10 });
      try {
        await ctx.step(3, 0);
        const current = await ctx.read();
        current.attribute('q').fill(2);
        current.setBonds('chain', [[0, 1]], { k: [40] });
        await ctx.step(3, 3);
        results.push((await ctx.read()).clone());
        if (backend === cudaHostBackend) {
          // Steps ran since the last read: the host copy is stale, an edit of it is refused.
          (await ctx.read()).attribute('q').fill(3);
          await ctx.step(1, 6);
          const stale = await ctx.read();
          expect(Array.from(stale.attribute('q').subarray(0, 3))).toEqual([3, 3, 3]);
          stale.attribute('q').fill(4);
          await ctx.step(1, 7);
          stale.attribute('q').fill(5);
          expect(() => ctx.step(1, 8)).toThrow(/changed while the cuda-host device held newer steps/);
        }
      } finally {
        await ctx.dispose();
      }
    }
    const [ts, host] = results as [ParticleState, ParticleState];
    for (const c of ['px', 'py', 'pz', 'vx', 'vy', 'vz'] as const) {
      ts.column(c).forEach((x, i) => expect(Math.abs(host.column(c)[i]! - x), `${c}[${i}]`).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(x))));
    }
  });
});
