#!/usr/bin/env node
// Builds the native addon with cmake-js (through @brokenrecord/native-common), tolerantly: a
// machine without a C++ compiler or CMake still installs and builds the TypeScript part, and the
// probe then reports why the backend is unavailable (from build/native-status.json). The build is
// strict (fails the command) with --strict, or when BROKENRECORD_REQUIRE lists avx2, so CI that
// requires the backend sees the error.
//
//   node scripts/build-native.mjs [--strict] [--sanitize]
//   --sanitize: AddressSanitizer + UBSan build into build/sanitize (see scripts/test-sanitize.mjs)
import { compileAddon, finishBuild, recordStatus, requiredByEnvironment } from '@brokenrecord/native-common/build';
import { join } from 'node:path';
import { addon, buildAvx2 } from './addon.mjs';

const args = process.argv.slice(2);
const sanitize = args.includes('--sanitize');
const strict = args.includes('--strict') || requiredByEnvironment('avx2');

if (sanitize) {
  const out = join('build', 'sanitize');
  const result = compileAddon(addon, { out, defines: ['BROKENRECORD_SANITIZE=ON'], config: 'RelWithDebInfo' });
  recordStatus(addon.packageRoot, result, 'sanitize-status.json');
  finishBuild(addon, result, strict, out);
} else {
  const result = buildAvx2();
  recordStatus(addon.packageRoot, result);
  finishBuild(addon, result, strict);
}
