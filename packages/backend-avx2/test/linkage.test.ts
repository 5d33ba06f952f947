import { addonCandidates, prebuiltPath, selectAddon, sourceBuildPath, type AddonSpec } from '@brokenrecord/native-common';
import { checkLoads, stagePrebuilt } from '@brokenrecord/native-common/build';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec: AddonSpec = { packageRoot, packageName: '@brokenrecord/backend-avx2', binary: 'brokenrecord_avx2' };
const built = existsSync(sourceBuildPath(spec));
// Skipped only where there is nothing to check and nobody asked for the backend.
const required = (process.env.BROKENRECORD_REQUIRE ?? '')
  .split(',')
  .map((s) => s.trim())
  .includes('avx2');

/** `ldd` as name → resolved path (null when not found). */
function ldd(path: string): Map<string, string | null> {
  const libs = new Map<string, string | null>();
  // Without LD_PRELOAD (the sanitizer run preloads libasan, whose own dependencies ldd would list).
  for (const line of execFileSync('ldd', [path], { encoding: 'utf8', env: { ...process.env, LD_PRELOAD: '' } }).split('\n')) {
    const m = /^\s*(\S+)\s+=>\s+(\S+)/.exec(line);
    if (m) libs.set(m[1]!, m[2] === 'not' ? null : m[2]!);
  }
  return libs;
}

const GLIBC = /^(libc|libm|libdl|libpthread|librt)\.so/;

// The prebuilt binary the package ships is the source build staged by prepack: both checked here.
describe.skipIf(!required && (process.platform !== 'linux' || !built))('linkage of the native addon (ldd)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'br-avx2-linkage-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('needs only glibc and the OpenMP runtime: libstdc++ and libgcc are linked in', () => {
    const libs = [...ldd(sourceBuildPath(spec)).keys()].filter((l) => !GLIBC.test(l));
    expect(libs).toEqual(['libgomp.so.1']);
  });

  it('the staged prebuilt carries libgomp and finds it beside itself (RUNPATH $ORIGIN), not on the system', async () => {
    const copy: AddonSpec = { ...spec, packageRoot: scratch };
    mkdirSync(dirname(sourceBuildPath(copy)), { recursive: true });
    copyFileSync(sourceBuildPath(spec), sourceBuildPath(copy));
    const staged = stagePrebuilt(copy);
    expect(staged).toBe(prebuiltPath(copy));
    const gomp = join(dirname(staged), 'libgomp.so.1');
    expect(existsSync(gomp)).toBe(true);
    expect(ldd(staged).get('libgomp.so.1')).toBe(gomp);
    await checkLoads(staged);
  });

  it('loads the prebuilt when there is no source build, and tries the next file when one does not load', async () => {
    const copy: AddonSpec = { ...spec, packageRoot: scratch };
    // A source build that is not an addon at all: the prebuilt is chosen, the failure is not fatal.
    writeFileSync(sourceBuildPath(copy), 'not an ELF file');
    expect(addonCandidates(copy).map((c) => c.origin)).toEqual(['source', 'prebuilt']);
    const chosen = await selectAddon(copy, (path) => checkLoads(path));
    expect('candidate' in chosen && chosen.candidate.origin).toBe('prebuilt');
    rmSync(prebuiltPath(copy));
    const none = await selectAddon(copy, (path) => checkLoads(path));
    expect('reason' in none && none.reason).toMatch(/^the addon built from source: loading the native addon in a child process failed/);
  });
});
