#!/usr/bin/env node
// The packages as users get them: packs every published package (pnpm pack, so workspace: ranges
// become versions and prepack stages the native prebuilt binaries), installs the tarballs with
// plain npm into fresh projects outside the workspace, and checks what a user would do there.
// Prints one `consumer test: N passed, N failed` line; exits non-zero when a check fails.
//
//   node scripts/consumer-test.mjs [--keep] [--only prefix,prefix]
//   Run after `pnpm run build`. --keep leaves the temporary projects for inspection.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const onlyArg = args.indexOf('--only');
// --only a,b: the checks whose names start with a or b.
const only = onlyArg >= 0 ? args[onlyArg + 1].split(',') : null;
const selected = (name) => !only || only.some((o) => name.startsWith(o));
const started = Date.now();
const work = mkdtempSync(join(tmpdir(), 'brokenrecord-consumer-'));
const packs = join(work, 'packs');
mkdirSync(packs);

const PACKAGES = {
  core: ['@brokenrecord/core', 'packages/core'],
  ts: ['@brokenrecord/backend-ts', 'packages/backend-ts'],
  avx2: ['@brokenrecord/backend-avx2', 'packages/backend-avx2'],
  cuda: ['@brokenrecord/backend-cuda', 'packages/backend-cuda'],
  webgpu: ['@brokenrecord/backend-webgpu', 'packages/backend-webgpu'],
  nativeCommon: ['@brokenrecord/native-common', 'packages/native-common'],
  cli: ['@brokenrecord/cli', 'apps/cli'],
};

const results = [];
function seconds(since) {
  return ((Date.now() - since) / 1000).toFixed(1);
}

/** Runs a command; returns { status, out } with stdout and stderr together. */
function run(cmd, cmdArgs, options = {}) {
  const r = spawnSync(cmd, cmdArgs, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 600_000,
    ...options,
    env: { ...process.env, ...options.env },
  });
  return { status: r.status ?? (r.error ? -1 : 128), out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

function must(r, what) {
  if (r.status !== 0) throw new Error(`${what} exited with ${r.status}:\n${tail(r.out)}`);
  return r.out;
}

function tail(text, lines = 25) {
  return text.trim().split('\n').slice(-lines).join('\n');
}

async function check(name, fn) {
  if (!selected(name)) return;
  const t = Date.now();
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log(`ok - ${name} (${seconds(t)} s)${note ? `: ${note}` : ''}`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`not ok - ${name} (${seconds(t)} s): ${e.message}`);
  }
}

// --- pack ------------------------------------------------------------------------------------
const tarballs = {};
{
  const t = Date.now();
  for (const [key, [name, dir]] of Object.entries(PACKAGES)) {
    if (!existsSync(join(root, dir, 'dist'))) {
      console.error(`${name} is not built (no ${dir}/dist): run \`pnpm run build\` first`);
      process.exit(1);
    }
    const before = new Set(readdirSync(packs));
    must(run('pnpm', ['--filter', name, 'pack', '--pack-destination', packs], { cwd: root }), `pnpm pack of ${name}`);
    const added = readdirSync(packs).filter((f) => !before.has(f));
    if (added.length !== 1) throw new Error(`pnpm pack of ${name} made ${added.length} files`);
    tarballs[key] = join(packs, added[0]);
  }
  console.log(`packed ${Object.keys(tarballs).length} packages in ${seconds(t)} s`);
}

/**
 * A fresh npm project depending on the given packages (by tarball). The other @brokenrecord
 * packages they depend on resolve to their tarballs through `overrides`, as they would resolve
 * to the registry for a user: the project's own dependencies are only the ones named here.
 */
function project(name, deps, extra = {}, env = {}) {
  const dir = join(work, name);
  mkdirSync(dir);
  const dependencies = {};
  for (const key of deps) dependencies[PACKAGES[key][0]] = `file:${tarballs[key]}`;
  const overrides = {};
  for (const [key, [pkg]] of Object.entries(PACKAGES)) overrides[pkg] = deps.includes(key) ? `$${pkg}` : `file:${tarballs[key]}`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      { name: `consumer-${name}`, private: true, type: 'module', dependencies: { ...dependencies, ...extra }, overrides },
      null,
      2,
    ),
  );
  const t = Date.now();
  const out = must(
    run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--foreground-scripts'], { cwd: dir, env }),
    `npm install in ${name}`,
  );
  return { dir, installLog: out, installSeconds: seconds(t) };
}

function node(dir, code, env = {}) {
  return run(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, env: { BROKENRECORD_BACKEND: '', ...env } });
}

/** A PATH with every program of the current one except compilers and build tools. */
function pathWithoutCompilers() {
  const dir = join(work, 'bin-no-compiler');
  mkdirSync(dir);
  const hidden =
    /^(cc|c\+\+|gcc|g\+\+|cpp|clang.*|cmake|ccmake|ctest|nvcc|make|gmake|ninja|ld|ld\..*|as|x86_64-linux-gnu-.*|.*-gcc(-\d+)?|.*-g\+\+(-\d+)?|gcc-\d+|g\+\+-\d+|c\+\+-\d+|cpp-\d+)$/;
  const seen = new Set();
  for (const p of (process.env.PATH ?? '').split(delimiter)) {
    let names;
    try {
      names = readdirSync(p);
    } catch {
      continue;
    }
    for (const f of names) {
      if (seen.has(f) || hidden.test(f)) continue;
      seen.add(f);
      symlinkSync(join(p, f), join(dir, f));
    }
  }
  return dir;
}

// B1 as in bench/: N = 10,000 at (0,0,i), velocity (1,0,0), mass 1, uniform g, semi-implicit
// Euler, dt = 0.01, 1000 steps. Prints the chosen backend, its rate and the ts rate beside it.
const B1 = `
import { ParticleState, defineSystem, createSimulation, listBackends, uniformGravity } from '@brokenrecord/core';
const n = 10000, steps = 1000;
function state() {
  const s = ParticleState.create(n);
  for (let i = 0; i < n; i++) { s.pz[i] = i; s.vx[i] = 1; s.mass[i] = 1; }
  return s;
}
const system = defineSystem({ integrator: 'euler', rules: [uniformGravity({ g: [0, -9.81, 0] })] });
// The best of 5 runs each: the machine may be shared, and a single run can land on a busy moment.
async function rate(backend) {
  let best = null;
  for (let k = 0; k < 5; k++) {
    const sim = await createSimulation({ system, state: state(), dt: 0.01, backend });
    await sim.step(10);
    const t = performance.now();
    await sim.step(steps);
    const s = (performance.now() - t) / 1000;
    const out = await sim.read();
    const run = { name: sim.backend, rate: (n * steps) / s, vy: out.vy[0] };
    sim.dispose();
    if (!best || run.rate > best.rate) best = run;
  }
  return best;
}
const auto = await rate('auto');
const ts = await rate('ts');
const backends = await listBackends();
console.log(JSON.stringify({ auto, ts, backends }));
`;

function parseLast(out) {
  const line = out
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no result printed:\n${tail(out)}`);
  return JSON.parse(line);
}

function gps(rate) {
  return `${(rate / 1e9).toFixed(2)} G particle-steps/s`;
}

/** B1 in a project; checks that `auto` chose `expect` from the prebuilt binary and ran it faster than ts. */
function b1(dir, env = {}) {
  const r = node(dir, B1, env);
  must(r, 'B1');
  const result = parseLast(r.out);
  const avx2 = result.backends.find((b) => b.name === 'avx2');
  if (result.auto.name !== 'avx2')
    throw new Error(`auto chose ${result.auto.name}, not avx2 (avx2: ${avx2?.reason ?? 'listed available'})`);
  if (!avx2.features.includes('binary:prebuilt'))
    throw new Error(`avx2 did not run the prebuilt binary (features: ${avx2.features.join(', ')})`);
  const expected = -9.81 * 0.01 * 1010;
  if (Math.abs(result.auto.vy - expected) > 1e-3 * Math.abs(expected))
    throw new Error(`B1 vy[0] = ${result.auto.vy}, expected ${expected}`);
  if (!(result.auto.rate > 2 * result.ts.rate))
    throw new Error(`avx2 ran B1 at ${gps(result.auto.rate)}, not clearly faster than ts (${gps(result.ts.rate)})`);
  return `avx2 (${avx2.features.filter((f) => /^isa:|^openmp:|^binary:/.test(f)).join(', ')}) ${gps(result.auto.rate)}, ts ${gps(result.ts.rate)} (${(result.auto.rate / result.ts.rate).toFixed(1)}x)`;
}

/** ldd of the installed prebuilt: nothing beyond glibc except what the package carries beside it. */
function prebuiltLinkage(dir, pkgDir, binary) {
  const prebuilt = join(dir, 'node_modules', pkgDir, 'prebuilds', 'linux-x64-glibc', binary);
  if (!existsSync(prebuilt)) throw new Error(`no prebuilt binary at ${prebuilt}`);
  const out = must(run('ldd', [prebuilt], { env: { LD_PRELOAD: '' } }), 'ldd');
  const system = /^(linux-vdso|libc|libm|libdl|libpthread|librt|ld-linux[^ ]*)\.so/;
  const foreign = [];
  const shown = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\S+)(?:\s+=>\s+(\S+))?/.exec(line);
    if (!m || system.test(m[1]) || m[1].startsWith('/')) continue;
    shown.push(`${m[1]} => ${m[2]}`);
    if (m[2] !== join(dirname(prebuilt), m[1])) foreign.push(`${m[1]} => ${m[2] ?? '?'}`);
  }
  if (foreign.length) throw new Error(`the prebuilt binary needs libraries from the system: ${foreign.join(', ')}\n${out}`);
  return shown.length ? `beyond glibc: ${shown.join(', ').replaceAll(join(dir, 'node_modules'), 'node_modules')}` : 'glibc only';
}

try {
  // --- core + avx2 ---------------------------------------------------------------------------
  let avx2Dir = null;
  await check('core+avx2: auto picks avx2 from the prebuilt binary and runs B1', () => {
    const p = project('avx2', ['core', 'avx2']);
    avx2Dir = p.dir;
    if (!/using the prebuilt linux-x64-glibc binary/.test(p.installLog))
      throw new Error(`the install did not take the prebuilt binary:\n${tail(p.installLog)}`);
    return `${b1(p.dir)}; ${prebuiltLinkage(p.dir, '@brokenrecord/backend-avx2', 'brokenrecord_avx2.node')}; npm install ${p.installSeconds} s`;
  });

  await check('a second copy of core is named in the reason', () => {
    if (!avx2Dir) throw new Error('needs the core+avx2 project');
    // What a nested install leaves: backend-avx2 with its own core, into which it registers.
    const nested = join(avx2Dir, 'node_modules', '@brokenrecord', 'backend-avx2', 'node_modules', '@brokenrecord');
    mkdirSync(nested, { recursive: true });
    cpSync(join(avx2Dir, 'node_modules', '@brokenrecord', 'core'), join(nested, 'core'), { recursive: true });
    try {
      const r = must(
        node(
          avx2Dir,
          `
        import { listBackends } from '@brokenrecord/core';
        console.log(JSON.stringify((await listBackends()).find((b) => b.name === 'avx2')));
      `,
        ),
        'listBackends',
      );
      const avx2 = parseLast(r);
      if (
        avx2.available ||
        !/second copy of @brokenrecord\/core \(.*backend-avx2\/node_modules\/@brokenrecord\/core\)/.test(avx2.reason ?? '')
      ) {
        throw new Error(`avx2 with a nested core: ${JSON.stringify(avx2)}`);
      }
      return avx2.reason.replaceAll(avx2Dir, '.');
    } finally {
      rmSync(join(avx2Dir, 'node_modules', '@brokenrecord', 'backend-avx2', 'node_modules'), { recursive: true, force: true });
    }
  });

  const noCompiler = pathWithoutCompilers();
  await check('core+avx2 with no compiler or CMake on PATH: the prebuilt binary still loads', () => {
    const env = { PATH: noCompiler };
    for (const tool of ['cc', 'c++', 'g++', 'cmake']) {
      if (run('sh', ['-c', `command -v ${tool}`], { env }).status === 0) throw new Error(`${tool} is still on the PATH`);
    }
    const p = project('avx2-no-compiler', ['core', 'avx2'], {}, env);
    return b1(p.dir, env);
  });

  await check('core+avx2, no prebuilt and no compiler: the install succeeds and auto falls back to ts with what to install', () => {
    // A user's install: CI's BROKENRECORD_REQUIRE (which makes a failed native build fatal) must not leak in.
    const env = { PATH: noCompiler, BROKENRECORD_BUILD_FROM_SOURCE: '1', BROKENRECORD_REQUIRE: '' };
    const p = project('avx2-failed-build', ['core', 'avx2'], {}, env);
    const r = must(
      node(
        p.dir,
        `
      import { createSimulation, defineSystem, listBackends, ParticleState, uniformGravity } from '@brokenrecord/core';
      const prebuilt = new URL('./node_modules/@brokenrecord/backend-avx2/prebuilds', 'file://' + process.cwd() + '/');
      (await import('node:fs')).rmSync(prebuilt, { recursive: true, force: true });
      const sim = await createSimulation({ system: defineSystem({ rules: [uniformGravity({ g: [0, -1, 0] })] }), state: ParticleState.from({ position: [[0, 0, 0]], mass: [1] }), dt: 0.01 });
      await sim.step(3);
      const avx2 = (await listBackends()).find((b) => b.name === 'avx2');
      console.log(JSON.stringify({ backend: sim.backend, reason: avx2.reason }));
      sim.dispose();
    `,
        env,
      ),
      'simulation',
    );
    const result = parseLast(r);
    if (result.backend !== 'ts') throw new Error(`ran on ${result.backend}, expected the ts fallback`);
    if (!/CMake|cmake|compiler/.test(result.reason ?? '') || !/apt-get install cmake g\+\+/.test(result.reason))
      throw new Error(`the avx2 reason does not say what to install: ${result.reason}`);
    if (!/falls back|using the TypeScript backend/.test(r)) throw new Error('no fallback warning printed');
    return `avx2: ${result.reason.slice(0, 160)}…`;
  });

  await check('core+avx2 built from source from the tarball (native-common headers)', () => {
    const p = project('avx2-source', ['core', 'avx2'], {}, { BROKENRECORD_BUILD_FROM_SOURCE: '1', BROKENRECORD_REQUIRE: 'avx2' });
    const r = must(
      node(
        p.dir,
        `
      import { rmSync } from 'node:fs';
      rmSync('node_modules/@brokenrecord/backend-avx2/prebuilds', { recursive: true, force: true });
      const { listBackends } = await import('@brokenrecord/core');
      console.log(JSON.stringify((await listBackends()).find((b) => b.name === 'avx2')));
    `,
      ),
      'probe',
    );
    const avx2 = parseLast(r);
    if (!avx2.available || !avx2.features.includes('binary:source')) throw new Error(`avx2 from source: ${JSON.stringify(avx2)}`);
    return `install (compile) ${p.installSeconds} s, ${avx2.features.filter((f) => /^isa:/.test(f)).join(', ')}`;
  });

  // --- core + webgpu -------------------------------------------------------------------------
  await check('core+webgpu alone: runs on webgpu, or falls back to ts with the reason', () => {
    // On a machine without a GPU, the software Vulkan driver the repository unpacked (if any).
    const lavapipe = join(root, 'packages', 'backend-webgpu', '.vendor', 'lvp_icd.json');
    const env = !process.env.VK_ICD_FILENAMES && existsSync(lavapipe) ? { VK_ICD_FILENAMES: lavapipe } : {};
    const p = project('webgpu', ['core', 'webgpu']);
    const r = must(
      node(
        p.dir,
        `
      import { createSimulation, defineSystem, listBackends, ParticleState, uniformGravity } from '@brokenrecord/core';
      const sim = await createSimulation({ system: defineSystem({ rules: [uniformGravity({ g: [0, -9.81, 0] })] }),
        state: ParticleState.from({ position: [[0, 0, 0], [1, 0, 0]], velocity: [[1, 0, 0], [0, 1, 0]], mass: [1, 2] }), dt: 0.01 });
      await sim.step(100);
      const out = await sim.read();
      const webgpu = (await listBackends()).find((b) => b.name === 'webgpu');
      console.log(JSON.stringify({ backend: sim.backend, vy: out.vy[0], webgpu }));
      sim.dispose();
      process.exit(0);
    `,
        env,
      ),
      'simulation',
    );
    const result = parseLast(r);
    if (Math.abs(result.vy - -9.81) > 1e-3) throw new Error(`vy after 1 s of free fall: ${result.vy}`);
    if (result.backend === 'webgpu') return `webgpu (${result.webgpu.features.join('; ')})`;
    if (result.backend !== 'ts' || !result.webgpu?.reason)
      throw new Error(`ran on ${result.backend}; webgpu: ${JSON.stringify(result.webgpu)}`);
    return `ts fallback; webgpu: ${result.webgpu.reason}`;
  });

  // --- core + cuda ---------------------------------------------------------------------------
  await check('core+cuda: runs on cuda, or falls back to ts with the probe reason', () => {
    const p = project('cuda', ['core', 'cuda']);
    const r = must(
      node(
        p.dir,
        `
      import { createSimulation, defineSystem, listBackends, ParticleState, uniformGravity } from '@brokenrecord/core';
      const sim = await createSimulation({ system: defineSystem({ rules: [uniformGravity({ g: [0, -9.81, 0] })] }),
        state: ParticleState.from({ position: [[0, 0, 0]], mass: [1] }), dt: 0.01 });
      await sim.step(100);
      const cuda = (await listBackends()).find((b) => b.name === 'cuda');
      console.log(JSON.stringify({ backend: sim.backend, cuda }));
      sim.dispose();
    `,
      ),
      'simulation',
    );
    const result = parseLast(r);
    const linkage = prebuiltLinkage(p.dir, '@brokenrecord/backend-cuda', 'brokenrecord_cuda.node');
    if (result.backend === 'cuda') return `cuda (${result.cuda.features.join('; ')}); ${linkage}`;
    if (result.backend !== 'ts') throw new Error(`ran on ${result.backend}`);
    if (!result.cuda.features.includes('binary:prebuilt'))
      throw new Error(`cuda's probe did not load the prebuilt binary: ${JSON.stringify(result.cuda)}`);
    if (!/no CUDA device|cudaGetDeviceCount/.test(result.cuda.reason)) throw new Error(`cuda reason: ${result.cuda.reason}`);
    return `ts fallback; cuda: ${result.cuda.reason}; ${linkage}`;
  });

  await check('core+cuda built from source from the tarball (native-common headers, nvcc)', () => {
    // One architecture keeps the device build short; the prebuilt has 80;90.
    const p = project('cuda-source', ['core', 'cuda'], {}, { BROKENRECORD_BUILD_FROM_SOURCE: '1', BROKENRECORD_CUDA_ARCHITECTURES: '90' });
    const r = must(
      node(
        p.dir,
        `
      import { rmSync } from 'node:fs';
      rmSync('node_modules/@brokenrecord/backend-cuda/prebuilds', { recursive: true, force: true });
      const { listBackends } = await import('@brokenrecord/core');
      console.log(JSON.stringify((await listBackends()).find((b) => b.name === 'cuda')));
    `,
      ),
      'probe',
    );
    const cuda = parseLast(r);
    if (!cuda.features?.includes('binary:source')) throw new Error(`cuda did not load its source build: ${JSON.stringify(cuda)}`);
    if (/built without CUDA/.test(cuda.reason ?? '')) throw new Error(`the source build has no device code: ${cuda.reason}`);
    return `install (compile) ${p.installSeconds} s; ${cuda.available ? 'available' : cuda.reason}`;
  });

  // --- every package: strict TypeScript and the CLI ------------------------------------------
  const all = await (async () => {
    if (!['tsc nodenext', 'tsc bundler', 'source maps', 'npx brokenrecord'].some(selected)) return null;
    return project('all', ['core', 'ts', 'avx2', 'cuda', 'webgpu', 'nativeCommon', 'cli'], {
      typescript: '~5.9.3',
      '@types/node': '^20.19.0',
    });
  })();
  if (all) {
    writeFileSync(
      join(all.dir, 'index.ts'),
      `
import { createSimulation, defineSystem, listBackends, ParticleState, uniformGravity, type BackendInfo, type Diagnostics } from '@brokenrecord/core';
import { tsBackend } from '@brokenrecord/backend-ts';
import { avx2Backend, probeAvx2, type CpuFeatureReport } from '@brokenrecord/backend-avx2';
import { cudaBackend, deviceUnavailableReason, type DeviceReport } from '@brokenrecord/backend-cuda';
import { webgpuBackend, webgpuRenderSource, type RenderSource } from '@brokenrecord/backend-webgpu';
import { platformTag, selectAddon } from '@brokenrecord/native-common';
import { installAddon } from '@brokenrecord/native-common/build';
import { SCENARIOS } from '@brokenrecord/cli/scenarios';

export async function main(): Promise<Diagnostics> {
  const infos: BackendInfo[] = await listBackends();
  const names: string[] = [tsBackend.name, avx2Backend.name, cudaBackend.name, webgpuBackend.name, platformTag()];
  const report: DeviceReport | null = null;
  const features: CpuFeatureReport | null = null;
  const source: RenderSource | null = null;
  void [infos, names, report, features, source, probeAvx2, deviceUnavailableReason, webgpuRenderSource, selectAddon, installAddon, SCENARIOS];
  const sim = await createSimulation({ system: defineSystem({ rules: [uniformGravity({ g: [0, -9.81, 0] })] }),
    state: ParticleState.from({ position: [[0, 0, 0]], mass: [1] }), dt: 0.01 });
  return sim.diagnostics();
}
`,
    );
    const strict = { strict: true, skipLibCheck: false, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'] };
    writeFileSync(
      join(all.dir, 'tsconfig.nodenext.json'),
      JSON.stringify({ compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['index.ts'] }),
    );
    writeFileSync(
      join(all.dir, 'tsconfig.bundler.json'),
      JSON.stringify({ compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler' }, files: ['index.ts'] }),
    );
    const tsc = join(all.dir, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const mode of ['nodenext', 'bundler']) {
      await check(`tsc ${mode}`, () => {
        must(
          run(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], { cwd: all.dir }),
          `tsc -p tsconfig.${mode}.json (strict, skipLibCheck: false)`,
        );
        return 'strict, skipLibCheck: false, every package imported';
      });
    }
    await check('source maps and declaration maps resolve in the installed packages', () => {
      const base = join(all.dir, 'node_modules', '@brokenrecord');
      let maps = 0;
      const missing = [];
      const walk = (dir) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (entry.name.endsWith('.map')) {
            maps++;
            for (const source of JSON.parse(readFileSync(path, 'utf8')).sources) {
              if (!existsSync(join(dir, source))) missing.push(`${path.slice(base.length + 1)} → ${source}`);
            }
          }
        }
      };
      for (const pkg of readdirSync(base)) if (existsSync(join(base, pkg, 'dist'))) walk(join(base, pkg, 'dist'));
      if (maps === 0) throw new Error('no maps found');
      if (missing.length) throw new Error(`${missing.length} map sources are not shipped, e.g. ${missing.slice(0, 3).join(', ')}`);
      return `${maps} maps, every source shipped`;
    });
    await check('npx brokenrecord', () => {
      const npx = (cliArgs) =>
        run('npx', ['--no-install', 'brokenrecord', ...cliArgs], { cwd: all.dir, env: { BROKENRECORD_BACKEND: '' } });
      const backends = must(npx(['backends']), 'npx brokenrecord backends');
      for (const name of ['ts', 'avx2', 'cuda', 'webgpu'])
        if (!new RegExp(`\\b${name}\\b`).test(backends)) throw new Error(`backends does not list ${name}:\n${backends}`);
      const solar = must(npx(['run', 'solar-system']), 'npx brokenrecord run solar-system');
      const bench = npx(['bench']);
      if (bench.status === 0 || !/needs the BrokenRecord repository/.test(bench.out))
        throw new Error(`bench from the installed CLI: status ${bench.status}\n${tail(bench.out)}`);
      return `backends, run solar-system (${tail(solar, 1).trim()}), bench says it needs the repository`;
    });
  }

  // --- a browser bundle ----------------------------------------------------------------------
  await check('vite build of core+webgpu+ts: no warnings, no Node built-ins', () => {
    const p = project('vite', ['core', 'ts', 'webgpu'], { vite: '^8.3.8' });
    writeFileSync(join(p.dir, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>\n');
    writeFileSync(
      join(p.dir, 'main.js'),
      `
import { createSimulation, defineSystem, listBackends, ParticleState, saveSnapshot, uniformGravity } from '@brokenrecord/core';
import '@brokenrecord/backend-webgpu';
import '@brokenrecord/backend-ts';
const sim = await createSimulation({ system: defineSystem({ rules: [uniformGravity({ g: [0, -9.81, 0] })] }),
  state: ParticleState.from({ position: [[0, 0, 0]], mass: [1] }), dt: 0.01, backend: 'auto' });
await sim.step(10);
document.body.textContent = sim.backend + ' ' + JSON.stringify(await listBackends()) + typeof saveSnapshot;
`,
    );
    const out = must(run(process.execPath, [join(p.dir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: p.dir }), 'vite build');
    const warnings = out.split('\n').filter((l) => /warn|externalized|\(!\)|\[plugin/i.test(l));
    if (warnings.length) throw new Error(`vite printed warnings:\n${warnings.join('\n')}`);
    const assets = join(p.dir, 'dist', 'assets');
    const bundle = readdirSync(assets)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(assets, f), 'utf8'))
      .join('\n');
    const node = bundle.match(/["'`]node:[a-z_/]+["'`]|child_process|worker_threads|icd\.d/g);
    if (node) throw new Error(`the bundle has Node-only code: ${[...new Set(node)].join(', ')}`);
    return `${(bundle.length / 1024).toFixed(0)} KiB of JS, no warnings`;
  });
} finally {
  if (keep) console.log(`projects kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok).length;
console.log(`\nconsumer test: ${results.length - failed} passed, ${failed} failed (${seconds(started)} s)`);
process.exit(failed || results.length === 0 ? 1 : 0);
