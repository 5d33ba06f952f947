// What the scripts know about this package's addon (see @brokenrecord/native-common).
import { compileAddon } from '@brokenrecord/native-common/build';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const addon = {
  packageRoot: join(dirname(fileURLToPath(import.meta.url)), '..'),
  packageName: '@brokenrecord/backend-avx2',
  binary: 'brokenrecord_avx2',
  overrideVariable: 'BROKENRECORD_AVX2_ADDON',
};

/** The normal (Release) build into build/native. */
export function buildAvx2() {
  return compileAddon(addon);
}
