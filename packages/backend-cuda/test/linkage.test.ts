import { sourceBuildPath, type AddonSpec } from '@brokenrecord/native-common';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const spec: AddonSpec = { packageRoot, packageName: '@brokenrecord/backend-cuda', binary: 'brokenrecord_cuda' };
const required = (process.env.BROKENRECORD_REQUIRE ?? '')
  .split(',')
  .map((s) => s.trim())
  .includes('cuda');

// The prebuilt binary the package ships is this build, staged by prepack.
describe.skipIf(!required && (process.platform !== 'linux' || !existsSync(sourceBuildPath(spec))))(
  'linkage of the native addon (ldd)',
  () => {
    it('needs only glibc: the CUDA runtime, libstdc++ and libgcc are linked in', () => {
      const out = execFileSync('ldd', [sourceBuildPath(spec)], { encoding: 'utf8', env: { ...process.env, LD_PRELOAD: '' } });
      const libs = [...out.matchAll(/^\s*(\S+)\s+=>/gm)]
        .map((m) => m[1]!)
        .filter((l) => !/^(libc|libm|libdl|libpthread|librt)\.so/.test(l));
      expect(libs).toEqual([]);
    });
  },
);
