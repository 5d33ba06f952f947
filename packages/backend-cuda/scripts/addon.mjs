// What the scripts know about this package's addon (see @brokenrecord/native-common).
import { compileAddon } from '@brokenrecord/native-common/build';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const addon = {
  packageRoot: join(dirname(fileURLToPath(import.meta.url)), '..'),
  packageName: '@brokenrecord/backend-cuda',
  binary: 'brokenrecord_cuda',
  overrideVariable: 'BROKENRECORD_CUDA_ADDON',
};

function compile(cuda) {
  const defines = [`BROKENRECORD_CUDA=${cuda}`];
  if (process.env.BROKENRECORD_CUDA_ARCHITECTURES) {
    defines.push(`BROKENRECORD_CUDA_ARCHITECTURES=${process.env.BROKENRECORD_CUDA_ARCHITECTURES}`);
  }
  return compileAddon(addon, { defines });
}

/**
 * The device executor when a CUDA compiler is found (required when strict), else (or when that
 * build fails) the host executor alone, with the CUDA failure kept for the probe's reason.
 */
export function buildCuda(strict) {
  let result = compile(strict ? 'ON' : 'AUTO');
  if (!result.ok && !strict) {
    const cudaFailure = result.reason;
    rmSync(join(addon.packageRoot, 'build', 'native'), { recursive: true, force: true });
    result = compile('OFF');
    if (result.ok) result = { ok: true, cudaBuildFailure: cudaFailure };
  }
  return result;
}
