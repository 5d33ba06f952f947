import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendError,
  compileKernelPlan,
  createSimulation,
  defineSystem,
  externalForce,
  pairForce,
  ParticleState,
  periodic,
} from '@brokenrecord/core';
import { expectBitwiseEqual, expectColumnsClose, Random } from '@brokenrecord/conformance';
import { avx2Backend, loadAddon } from '@brokenrecord/backend-avx2';
import '@brokenrecord/backend-ts';
import { ABI_HEADER, compilerVersion, findCompiler } from '@brokenrecord/native-common/codegen';
import { afterAll, expect, it } from 'vitest';
import { avx2Context, describeNative } from './helpers.js';

// The step loop's side of generated code: the backend lists the expression kinds and says which
// path runs them, the addon loads objects only through the generated ABI, and a failing object
// is a typed error that leaves the state as it was.

const haveCompiler = process.platform === 'linux' && compilerVersion(findCompiler()) !== null;
const work = mkdtempSync(join(tmpdir(), 'br-generated-context-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const WORKSPACE = `static int workspace;
BR_GEN_EXPORT void* br_gen_workspace_create(void) { return &workspace; }
BR_GEN_EXPORT void br_gen_workspace_destroy(void*) {}`;

/** A shared object from hand-written source (not the emitter): to reach the addon's failure paths. */
function sharedObject(name: string, body: string): string {
  const src = join(work, `${name}.cpp`);
  const so = join(work, `${name}.so`);
  writeFileSync(src, `${ABI_HEADER}\n${body}\n`);
  const r = spawnSync(findCompiler(), ['-std=c++17', '-shared', '-fPIC', '-o', so, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return so;
}

function trapState(): ParticleState {
  return ParticleState.from({
    position: [
      [1, 0, 0],
      [0, 2, 0],
    ],
    velocity: [
      [0, 1, 0],
      [0, 0, 0],
    ],
    mass: [1, 2],
  });
}

describeNative('generated code in the step loop', () => {
  it.skipIf(!haveCompiler)('lists the expression kinds and the compiled path where a compiler runs', async () => {
    for (const kind of ['pairForce', 'externalForce', 'bondForce', 'field', 'periodic'] as const) expect(avx2Backend.rules).toContain(kind);
    expect((await avx2Backend.probe()).features).toContain('codegen:compiled');
    const system = defineSystem({ rules: [externalForce({ energy: '0.5*x^2' })] });
    const ctx = avx2Context(system, trapState(), { dt: 0.01 });
    expect(ctx.codegen).toBe('compiled');
    ctx.dispose();
  });

  it.skipIf(!haveCompiler)('a harmonic trap steps as the closed-form semi-implicit Euler recurrence', async () => {
    // a = −k·x/m: v' = v − (k/m)·x·dt, x' = x + v'·dt per step; float32 storage, double arithmetic.
    const k = 3;
    const dt = 0.01;
    const system = defineSystem({ integrator: 'euler', rules: [externalForce({ energy: `${k}/2*(x^2+y^2+z^2)` })] });
    const state = trapState();
    const sim = await createSimulation({ system, state, dt, backend: 'avx2' });
    const f = Math.fround;
    const x = [Array.from(state.px), Array.from(state.py)];
    const v = [Array.from(state.vx), Array.from(state.vy)];
    const m = Array.from(state.mass);
    for (let s = 0; s < 20; s++) {
      for (let i = 0; i < 2; i++) {
        for (let a = 0; a < 2; a++) {
          v[a]![i] = f(v[a]![i]! + ((-k * x[a]![i]!) / m[i]!) * dt);
          x[a]![i] = f(x[a]![i]! + v[a]![i]! * dt);
        }
      }
    }
    await sim.step(20);
    const out = await sim.read();
    for (let i = 0; i < 2; i++) {
      expect(out.px[i]).toBeCloseTo(x[0]![i]!, 6);
      expect(out.py[i]).toBeCloseTo(x[1]![i]!, 6);
      expect(out.vx[i]).toBeCloseTo(v[0]![i]!, 6);
    }
    await sim.dispose();
  });

  it.skipIf(!haveCompiler)(
    'cutoff pairs through the neighbour list: the same bits on 1 and 2 threads, rebuilt as particles move',
    async () => {
      // A hot periodic Lennard-Jones gas: particles cross many skins and wrap; every particle sums
      // its own neighbours, so the thread count changes no bit.
      const L = 8;
      const system = defineSystem({
        integrator: 'verlet',
        rules: [pairForce({ energy: '4*(r^-12 - r^-6)', cutoff: 2.5 }), periodic({ min: [0, 0, 0], max: [L, L, L] })],
      });
      const rng = new Random(13);
      const n = 150;
      const position: [number, number, number][] = [];
      for (let i = 0; i < n; i++)
        position.push([((i % 6) + 0.5) * (L / 6), ((Math.floor(i / 6) % 6) + 0.5) * (L / 6), (Math.floor(i / 36) + 0.5) * (L / 5)]);
      const velocity = position.map((): [number, number, number] => [rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(-3, 3)]);
      const make = () => ParticleState.from({ position, velocity, mass: position.map(() => 1) });
      const runs = await Promise.all(
        [1, 2].map(async (threads) => {
          const sim = await createSimulation({ system, state: make(), dt: 0.002, backend: 'avx2', threads });
          await sim.step(300);
          const out = (await sim.read()).clone();
          await sim.dispose();
          return out;
        }),
      );
      expectBitwiseEqual(runs[1]!, runs[0]!, '2 threads vs 1');
      const reference = await createSimulation({ system, state: make(), dt: 0.002, backend: 'ts', threads: 1 });
      const mine = await createSimulation({ system, state: make(), dt: 0.002, backend: 'avx2', threads: 2 });
      for (let k = 0; k < 6; k++) {
        await reference.step(10);
        await mine.step(10);
        expectColumnsClose(await mine.read(), await reference.read(), 1e-5, `after ${10 * (k + 1)} steps`);
      }
      await reference.dispose();
      await mine.dispose();
    },
  );

  it.skipIf(!haveCompiler)('refuses objects of another ABI version, without entry points, or missing; and handles it did not make', () => {
    const addon = loadAddon();
    const other = sharedObject(
      'other-version',
      `BR_GEN_EXPORT uint32_t br_gen_abi_version(void) { return BR_GEN_ABI_VERSION + 1; }
BR_GEN_EXPORT int br_gen_accelerations(const br_gen_input*, uint32_t, double*, double*, double*) { return 0; }
BR_GEN_EXPORT double br_gen_potential(const br_gen_input*) { return 0; }
${WORKSPACE}`,
    );
    expect(() => addon.loadCompiledForces(other)).toThrow(/ABI version/);
    const partial = sharedObject('partial', `BR_GEN_EXPORT uint32_t br_gen_abi_version(void) { return BR_GEN_ABI_VERSION; }`);
    expect(() => addon.loadCompiledForces(partial)).toThrow(/entry point/);
    expect(() => addon.loadCompiledForces(join(work, 'missing.so'))).toThrow(/cannot load/);
    const plan = compileKernelPlan(defineSystem({ rules: [externalForce({ energy: 'x' })] }), 0.01);
    const terms = { position: true, velocity: false, positionTime: false };
    expect(() => new addon.NativeContext(plan, { threads: 1, isa: '', fuse: true, forces: {} as never, terms })).toThrow(TypeError);
  });

  it.skipIf(!haveCompiler)('an object returning an error code: the step throws a typed error and the state is untouched', async () => {
    const addon = loadAddon();
    const failing = sharedObject(
      'failing',
      `BR_GEN_EXPORT uint32_t br_gen_abi_version(void) { return BR_GEN_ABI_VERSION; }
BR_GEN_EXPORT int br_gen_accelerations(const br_gen_input*, uint32_t, double*, double*, double*) { return -2; }
BR_GEN_EXPORT double br_gen_potential(const br_gen_input*) { return 0; }
${WORKSPACE}`,
    );
    const plan = compileKernelPlan(defineSystem({ integrator: 'euler', rules: [externalForce({ energy: 'x' })] }), 0.01);
    const native = new addon.NativeContext(plan, {
      threads: 1,
      isa: '',
      fuse: true,
      forces: addon.loadCompiledForces(failing),
      terms: { position: true, velocity: false, positionTime: false },
    });
    const state = trapState();
    const before = state.clone();
    native.setColumns(state.px, state.py, state.pz, state.vx, state.vy, state.vz, state.mass, state.radius);
    expect(() => native.step(1)).toThrow(/setExtras/);
    native.setExtras({ attributes: [], bonds: [], exStart: null, exList: null, topology: 1 });
    let error: unknown;
    try {
      native.step(3, 0);
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe('GENERATED_FORCES_FAILED');
    expect((error as { status?: number }).status).toBe(-2);
    expect(Array.from(state.px)).toEqual(Array.from(before.px));
    expect(Array.from(state.vx)).toEqual(Array.from(before.vx));
    native.dispose();
  });

  it.skipIf(!haveCompiler)('extras naming a particle outside the state are a RangeError, never read by generated code', () => {
    const addon = loadAddon();
    const ok = sharedObject(
      'ok',
      `BR_GEN_EXPORT uint32_t br_gen_abi_version(void) { return BR_GEN_ABI_VERSION; }
BR_GEN_EXPORT int br_gen_accelerations(const br_gen_input*, uint32_t, double*, double*, double*) { return 0; }
BR_GEN_EXPORT double br_gen_potential(const br_gen_input*) { return 0; }
${WORKSPACE}`,
    );
    const plan = compileKernelPlan(defineSystem({ rules: [externalForce({ energy: 'x' })] }), 0.01);
    const native = new addon.NativeContext(plan, {
      threads: 1,
      isa: '',
      fuse: true,
      forces: addon.loadCompiledForces(ok),
      terms: { position: true, velocity: false, positionTime: false },
    });
    const state = trapState();
    native.setColumns(state.px, state.py, state.pz, state.vx, state.vy, state.vz, state.mass, state.radius);
    const bond = (i: number, j: number) => ({ count: 1, i: new Int32Array([i]), j: new Int32Array([j]), params: [] });
    const extras = { attributes: [], exStart: null, exList: null, topology: 1 };
    expect(() => native.setExtras({ ...extras, bonds: [bond(0, 2)] })).toThrow(RangeError);
    expect(() => native.setExtras({ ...extras, bonds: [bond(-1, 1)] })).toThrow(RangeError);
    expect(() => native.setExtras({ ...extras, bonds: [], exStart: new Uint32Array([0, 1, 1]), exList: new Uint32Array([5]) })).toThrow(
      RangeError,
    );
    expect(() => native.setExtras({ ...extras, bonds: [], attributes: [new Float32Array(1)] as never })).toThrow(RangeError);
    expect(() => native.setExtras({ ...extras, bonds: [bond(0, 1)] })).not.toThrow();
    native.dispose();
  });

  it.skipIf(!haveCompiler)('a compile error reaches the caller as a BackendError', () => {
    const env = process.env.CXX;
    process.env.CXX = join(work, 'no-such-compiler');
    try {
      // The path was chosen when the backend was first asked (a working compiler): only the compile fails now.
      const system = defineSystem({ rules: [externalForce({ energy: '0.25*x^4' })] });
      expect(() => avx2Context(system, trapState(), { dt: 0.01 })).toThrow(BackendError);
    } finally {
      if (env === undefined) delete process.env.CXX;
      else process.env.CXX = env;
    }
  });
});
