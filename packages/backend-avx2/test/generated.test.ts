import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bondForce,
  checkState,
  compileKernelPlan,
  defineSystem,
  evaluate,
  externalForce,
  field,
  pairForce,
  periodic,
  potentialEnergy,
  ParticleState,
  type KernelPlan,
  type Rule,
} from '@brokenrecord/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ABI_HEADER, generateCpp, GEN_POSITION_TERMS, GEN_VELOCITY_TERMS, type GeneratedLayout } from '@brokenrecord/native-common/codegen';
import {
  compileGenerated,
  compilerVersion,
  findCompiler,
  GeneratedCompileError,
  type GeneratedVariant,
} from '@brokenrecord/native-common/codegen';

// Generated C++ for expression rules, compiled to a shared object through the cache and run by a
// small C++ driver (compiled here, dlopen, no N-API) on small systems: its accelerations and
// potential energy against core's float64 evaluation of the same plan trees.

const compiler = findCompiler();
const haveCompiler = process.platform === 'linux' && compilerVersion(compiler) !== null;
const cpuFlags = process.platform === 'linux' ? readFileSync('/proc/cpuinfo', 'utf8') : '';
const variants: GeneratedVariant[] = ['scalar'];
if (/\bavx2\b/.test(cpuFlags) && /\bfma\b/.test(cpuFlags)) variants.push('avx2');
if (['avx512f', 'avx512dq', 'avx512bw', 'avx512vl'].every((f) => new RegExp(`\\b${f}\\b`).test(cpuFlags))) variants.push('avx512');

if (!haveCompiler) console.warn(`[generated tests] skipping: no runnable C++ compiler '${compiler}' on this ${process.platform} machine`);

// The sanitizer suite (scripts/test-sanitize.mjs) sets this: generated objects and the driver are
// built with ASan and UBSan there.
const sanitize = process.env.BROKENRECORD_GENERATED_SANITIZE === '1';

const work = mkdtempSync(join(tmpdir(), 'br-generated-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const DRIVER = `${ABI_HEADER}
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <vector>
typedef uint32_t (*version_fn)(void);
typedef int (*accel_fn)(const br_gen_input*, uint32_t, double*, double*, double*);
typedef double (*energy_fn)(const br_gen_input*);
static FILE* in_file;
template <class T> static std::vector<T> take(size_t n) {
  std::vector<T> v(n ? n : 1);
  if (n && fread(v.data(), sizeof(T), n, in_file) != n) { fprintf(stderr, "short input\\n"); exit(3); }
  return v;
}
int main(int argc, char** argv) {
  void* h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) { fprintf(stderr, "%s\\n", dlerror()); return 2; }
  version_fn version = (version_fn)dlsym(h, "br_gen_abi_version");
  accel_fn accel = (accel_fn)dlsym(h, "br_gen_accelerations");
  energy_fn energy = (energy_fn)dlsym(h, "br_gen_potential");
  if (!version || !accel || !energy || version() != BR_GEN_ABI_VERSION) { fprintf(stderr, "abi\\n"); return 2; }
  in_file = fopen(argv[2], "rb");
  std::vector<uint32_t> head = take<uint32_t>(5);
  const uint32_t n = head[0], nattr = head[1], nbond = head[2], what = head[3], stale = head[4];
  br_gen_input in = {};
  in.version = stale ? BR_GEN_ABI_VERSION + 1 : BR_GEN_ABI_VERSION;
  in.count = n;
  in.t = take<double>(1)[0];
  std::vector<std::vector<float>> cols;
  for (int c = 0; c < 8; c++) cols.push_back(take<float>(n));
  in.px = cols[0].data(); in.py = cols[1].data(); in.pz = cols[2].data();
  in.vx = cols[3].data(); in.vy = cols[4].data(); in.vz = cols[5].data();
  in.mass = cols[6].data(); in.radius = cols[7].data();
  std::vector<std::vector<float>> attrs;
  std::vector<const float*> attr_ptr;
  for (uint32_t a = 0; a < nattr; a++) attrs.push_back(take<float>(n));
  for (auto& a : attrs) attr_ptr.push_back(a.data());
  in.attributes = attr_ptr.data();
  std::vector<uint32_t> bond_count;
  std::vector<std::vector<int32_t>> bi, bj;
  std::vector<std::vector<float>> params;
  std::vector<const int32_t*> bi_ptr, bj_ptr;
  std::vector<const float*> param_ptr;
  for (uint32_t k = 0; k < nbond; k++) {
    const uint32_t count = take<uint32_t>(1)[0], np = take<uint32_t>(1)[0];
    bond_count.push_back(count);
    bi.push_back(take<int32_t>(count));
    bj.push_back(take<int32_t>(count));
    for (uint32_t p = 0; p < np; p++) params.push_back(take<float>(count));
  }
  for (uint32_t k = 0; k < nbond; k++) { bi_ptr.push_back(bi[k].data()); bj_ptr.push_back(bj[k].data()); }
  for (auto& p : params) param_ptr.push_back(p.data());
  in.bond_count = bond_count.data(); in.bond_i = bi_ptr.data(); in.bond_j = bj_ptr.data(); in.bond_params = param_ptr.data();
  const uint32_t ex_total = take<uint32_t>(1)[0];
  std::vector<uint32_t> ex_start = take<uint32_t>(n + 1), ex_list = take<uint32_t>(ex_total);
  in.ex_start = ex_start.data(); in.ex_list = ex_list.data();
  std::vector<double> ax(n, 0.0), ay(n, 0.0), az(n, 0.0);
  const int rc = accel(&in, what, ax.data(), ay.data(), az.data());
  const double u = energy(&in);
  printf("%d\\n", rc);
  for (uint32_t i = 0; i < n; i++) printf("%.17g %.17g %.17g\\n", ax[i], ay[i], az[i]);
  printf("%.17g\\n", u);
  return 0;
}
`;

let driverPath: string | null = null;
function driver(): string {
  if (driverPath) return driverPath;
  const src = join(work, 'driver.cpp');
  const exe = join(work, 'driver');
  writeFileSync(src, DRIVER);
  const r = spawnSync(
    compiler,
    ['-std=c++17', '-O1', ...(sanitize ? ['-fsanitize=address,undefined', '-fno-sanitize-recover=undefined'] : []), '-o', exe, src, '-ldl'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`driver did not compile: ${r.stderr}`);
  driverPath = exe;
  return exe;
}

interface Run {
  rc: number;
  a: number[][];
  energy: number;
}

function exclusions(state: ParticleState): { start: number[]; list: number[] } {
  const partners: number[][] = Array.from({ length: state.count }, () => []);
  for (const group of state.bondGroups) {
    const t = state.bonds(group)!;
    for (let b = 0; b < t.count; b++) {
      partners[t.i[b]!]!.push(t.j[b]!);
      partners[t.j[b]!]!.push(t.i[b]!);
    }
  }
  const start = [0];
  const list: number[] = [];
  for (const p of partners) {
    list.push(...p);
    start.push(list.length);
  }
  return { start, list };
}

function runGenerated(
  so: string,
  state: ParticleState,
  plan: KernelPlan,
  layout: GeneratedLayout,
  t: number,
  what: number,
  stale = false,
): Run {
  const n = state.count;
  const parts: Buffer[] = [];
  const u32 = (xs: ArrayLike<number>) => parts.push(Buffer.from(new Uint32Array(Array.from(xs)).buffer));
  const i32 = (xs: ArrayLike<number>) => parts.push(Buffer.from(new Int32Array(Array.from(xs)).buffer));
  const f32 = (xs: ArrayLike<number>) => parts.push(Buffer.from(new Float32Array(Array.from(xs)).buffer));
  u32([n, layout.attributes.length, layout.bonds.length, what, stale ? 1 : 0]);
  parts.push(Buffer.from(new Float64Array([t]).buffer));
  for (const c of [state.px, state.py, state.pz, state.vx, state.vy, state.vz, state.mass, state.radius]) f32(c);
  for (const a of layout.attributes) f32(state.attribute(a)!);
  for (const b of layout.bonds) {
    const table = state.bonds(b.group)!;
    u32([table.count, b.perBond.length]);
    i32(table.i);
    i32(table.j);
    for (const p of b.perBond) f32(table.params[p]!);
  }
  const ex = exclusions(state);
  u32([ex.list.length]);
  u32(ex.start);
  u32(ex.list);
  const input = join(work, `input-${Math.random().toString(36).slice(2)}.bin`);
  writeFileSync(input, Buffer.concat(parts));
  const r = spawnSync(driver(), [so, input], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`driver failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return {
    rc: Number(lines[0]),
    a: lines.slice(1, 1 + n).map((l) => l.split(' ').map(Number)),
    energy: Number(lines[1 + n]),
  };
}

/** Core's float64 reference: every term of the plan evaluated by `evaluate`, pairs by brute force (nearest image). */
function referenceAccelerations(state: ParticleState, plan: KernelPlan, t: number, what: number): number[][] {
  const n = state.count;
  const out = Array.from({ length: n }, () => [0, 0, 0]);
  const col = (name: string, i: number) =>
    name === 'm' ? state.mass[i]! : name === 'radius' ? state.radius[i]! : state.attribute(name)![i]!;
  const particleEnv = (i: number): Record<string, number> => {
    const env: Record<string, number> = {
      x: state.px[i]!,
      y: state.py[i]!,
      z: state.pz[i]!,
      vx: state.vx[i]!,
      vy: state.vy[i]!,
      vz: state.vz[i]!,
      t,
      m: state.mass[i]!,
      radius: state.radius[i]!,
    };
    for (const a of plan.attributes) env[a] = state.attribute(a)![i]!;
    return env;
  };
  const pairEnv = (i: number, j: number, r: number, columns: string[]): Record<string, number> => {
    const env: Record<string, number> = { r, m1: state.mass[i]!, m2: state.mass[j]!, radius1: state.radius[i]!, radius2: state.radius[j]! };
    for (const c of columns) {
      env[`${c}1`] = col(c, i);
      env[`${c}2`] = col(c, j);
    }
    return env;
  };
  const delta = (i: number, j: number): number[] => {
    const d = [state.px[j]! - state.px[i]!, state.py[j]! - state.py[i]!, state.pz[j]! - state.pz[i]!];
    if (plan.periodic) for (let k = 0; k < 3; k++) d[k] = d[k]! - plan.periodic.length[k]! * Math.round(d[k]! / plan.periodic.length[k]!);
    return d;
  };
  const bonded = new Set<string>();
  for (const group of state.bondGroups) {
    const tb = state.bonds(group)!;
    for (let b = 0; b < tb.count; b++) bonded.add(`${tb.i[b]},${tb.j[b]}`).add(`${tb.j[b]},${tb.i[b]}`);
  }
  for (let i = 0; i < n; i++) {
    const env = particleEnv(i);
    if (what & GEN_POSITION_TERMS) {
      for (const e of plan.external) for (let k = 0; k < 3; k++) out[i]![k]! += evaluate(e.force[k]!, env) / state.mass[i]!;
    }
    for (const f of plan.fields) {
      if ((f.usesVelocity ? GEN_VELOCITY_TERMS : GEN_POSITION_TERMS) & what)
        for (let k = 0; k < 3; k++) out[i]![k]! += evaluate(f.acceleration[k]!, env);
    }
  }
  if (what & GEN_POSITION_TERMS) {
    for (const p of plan.pairs) {
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          if (i === j || (p.excludeBonds && bonded.has(`${i},${j}`))) continue;
          const d = delta(i, j);
          const r = Math.hypot(d[0]!, d[1]!, d[2]!);
          if (p.cutoff !== null && r >= p.cutoff) continue;
          const s = evaluate(p.fScale, pairEnv(i, j, r, p.columns));
          for (let k = 0; k < 3; k++) out[i]![k]! += (s * d[k]!) / state.mass[i]!;
        }
    }
    for (const bnd of plan.bonds) {
      const tb = state.bonds(bnd.group)!;
      for (let b = 0; b < tb.count; b++) {
        const i = tb.i[b]!,
          j = tb.j[b]!;
        const d = delta(i, j);
        const env = pairEnv(i, j, Math.hypot(d[0]!, d[1]!, d[2]!), bnd.columns);
        for (const name of bnd.perBond) env[name] = tb.params[name]![b]!;
        const s = evaluate(bnd.fScale, env);
        for (let k = 0; k < 3; k++) {
          out[i]![k]! += (s * d[k]!) / state.mass[i]!;
          out[j]![k]! -= (s * d[k]!) / state.mass[j]!;
        }
      }
    }
  }
  return out;
}

function maxRelative(a: number[][], b: number[][]): number {
  let diff = 0,
    scale = 0;
  for (let i = 0; i < b.length; i++)
    for (let k = 0; k < 3; k++) {
      diff = Math.max(diff, Math.abs(a[i]![k]! - b[i]![k]!));
      scale = Math.max(scale, Math.abs(b[i]![k]!));
    }
  return diff / scale;
}

/** A jittered lattice (no two particles closer than ~0.8), with attributes q, sigma, epsilon. */
function lattice(side: number, spacing: number, seed: number): ParticleState {
  let s = seed >>> 0;
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const position: number[][] = [];
  for (let x = 0; x < side; x++)
    for (let y = 0; y < side; y++)
      for (let z = 0; z < side; z++)
        position.push([
          (x + 0.5) * spacing + 0.2 * (rand() - 0.5),
          (y + 0.5) * spacing + 0.2 * (rand() - 0.5),
          (z + 0.5) * spacing + 0.2 * (rand() - 0.5),
        ]);
  return ParticleState.from({
    position,
    velocity: position.map(() => [rand() - 0.5, rand() - 0.5, rand() - 0.5]),
    mass: position.map(() => 0.5 + rand()),
    attributes: {
      q: position.map(() => (rand() < 0.5 ? -1 : 1)),
      sigma: position.map(() => 0.9 + 0.2 * rand()),
      epsilon: position.map(() => 0.5 + rand()),
    },
  });
}

const LJ_MIXED = '4*sqrt(epsilon1*epsilon2)*(((sigma1+sigma2)/2/r)^12 - ((sigma1+sigma2)/2/r)^6)';

interface Case {
  name: string;
  rules: Rule[];
  state: () => ParticleState;
  t?: number;
}

const cases: Case[] = [
  {
    name: 'Lennard-Jones with cutoff in a periodic box (cell grid, shifted images)',
    rules: [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, shift: true }), periodic({ min: [0, 0, 0], max: [9, 9, 9] })],
    state: () => lattice(6, 1.5, 1),
  },
  {
    name: 'mixed Lennard-Jones and erfc charges with cutoffs, open box (grid over the bounding box)',
    rules: [
      pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5 }),
      pairForce({ energy: '0.2*q1*q2*erfc(0.8*r)/r', perParticle: ['q'], cutoff: 2.6 }),
    ],
    state: () => lattice(5, 1.3, 2),
  },
  {
    name: 'periodic box too small for a 3-cell grid (every pair, nearest image)',
    rules: [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.4 }), periodic({ min: [0, 0, 0], max: [6, 6, 6] })],
    state: () => lattice(4, 1.5, 3),
  },
  {
    name: 'all pairs (no cutoff), bonds with per-bond values excluded from a cutoff pair force, external and fields',
    rules: [
      pairForce({ energy: '0.01*q1*q2/r', perParticle: ['q'] }),
      pairForce({ energy: LJ_MIXED, perParticle: ['sigma', 'epsilon'], cutoff: 2.5, exclude: 'bonds' }),
      bondForce({
        energy: '0.5*k*(r - r0)^2',
        bonds: [
          [0, 1],
          [1, 2],
          [5, 9],
          [20, 3],
        ],
        perBond: { k: [10, 20, 30, 40], r0: [1, 1.1, 1.2, 1.3] },
      }),
      externalForce({ energy: '0.1*z^2 + 0.05*sin(x + t)' }),
      field({ acceleration: ['-0.2*vx', '0.01*q*y', 'cos(t)*0.1'], perParticle: ['q'] }),
    ],
    state: () => lattice(3, 1.4, 4),
    t: 0.7,
  },
];

describe.skipIf(!haveCompiler)('generated C++ for expression rules', () => {
  const cacheDir = join(work, 'cache');

  for (const c of cases) {
    for (const variant of variants) {
      it(`${c.name} [${variant}]`, () => {
        const system = defineSystem({ integrator: 'verlet', rules: c.rules });
        const state = c.state();
        // Installs each bondForce rule's initial table (group 'default') in the state.
        checkState(state, system);
        const plan = compileKernelPlan(system, 0.001);
        const { source, layout } = generateCpp(plan);
        const compiled = compileGenerated(source, { variant, cacheDir, sanitize });
        const t = c.t ?? 0;
        for (const what of [GEN_POSITION_TERMS, GEN_VELOCITY_TERMS, GEN_POSITION_TERMS | GEN_VELOCITY_TERMS]) {
          const run = runGenerated(compiled.path, state, plan, layout, t, what);
          expect(run.rc).toBe(0);
          const ref = referenceAccelerations(state, plan, t, what);
          if (ref.every((row) => row.every((v) => v === 0))) {
            expect(run.a.every((row) => row.every((v) => v === 0))).toBe(true);
          } else {
            expect(maxRelative(run.a, ref)).toBeLessThan(1e-9);
          }
          expect(Math.abs(run.energy - potentialEnergy(state, system, t))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(run.energy)));
        }
      });
    }
  }

  it('caches by source, compiler and flags: a second compile loads the same object without compiling', () => {
    const plan = compileKernelPlan(
      defineSystem({ integrator: 'verlet', rules: [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5 })] }),
      0.001,
    );
    const { source } = generateCpp(plan);
    const dir = join(work, 'cache-hit');
    const t0 = performance.now();
    const first = compileGenerated(source, { cacheDir: dir, variant: 'scalar' });
    const t1 = performance.now();
    const second = compileGenerated(source, { cacheDir: dir, variant: 'scalar' });
    const t2 = performance.now();
    console.log(`[generated] first compile ${(t1 - t0).toFixed(0)} ms, cache hit ${(t2 - t1).toFixed(2)} ms`);
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.path).toBe(first.path);
    if (variants.includes('avx2')) expect(compileGenerated(source, { cacheDir: dir, variant: 'avx2' }).path).not.toBe(first.path);
  });

  it('refuses a struct of another ABI version', () => {
    const system = defineSystem({ integrator: 'verlet', rules: [externalForce({ energy: '0.1*z^2' })] });
    const plan = compileKernelPlan(system, 0.001);
    const { source, layout } = generateCpp(plan);
    const so = compileGenerated(source, { cacheDir, sanitize }).path;
    const run = runGenerated(so, lattice(2, 1.5, 5), plan, layout, 0, GEN_POSITION_TERMS, true);
    expect(run.rc).toBe(-1);
    expect(Number.isNaN(run.energy)).toBe(true);
  });

  it('a compile error is a GeneratedCompileError naming the kept source', () => {
    let error: unknown;
    try {
      compileGenerated('this is not C++', { cacheDir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GeneratedCompileError);
    const path = (error as GeneratedCompileError).sourcePath;
    expect(readFileSync(path, 'utf8')).toBe('this is not C++');
    expect((error as Error).message).toContain(path);
  });
});

describe('the generated ABI header', () => {
  it('native-common/include/brokenrecord/generated_abi.h declares exactly ABI_HEADER', () => {
    const header = readFileSync(join(import.meta.dirname, '../../native-common/include/brokenrecord/generated_abi.h'), 'utf8');
    const body = header
      .split('\n')
      .filter((l) => !l.startsWith('//') && !/^#(ifndef|endif)\b/.test(l) && !/^#define BROKENRECORD_GENERATED_ABI_H\b/.test(l))
      .join('\n')
      .trim();
    expect(body).toBe(ABI_HEADER);
  });
});
