#!/usr/bin/env node
// Builds the native addon with cmake-js (through @brokenrecord/native-common), tolerantly: the
// device executor when a CUDA compiler is found, else (or when that build fails) the host
// executor alone, and without CMake or a C++ compiler nothing, so the package still installs and
// builds its TypeScript. The probe reports why the backend is unavailable (from the addon's
// deviceReport, or build/native-status.json). The build is strict (fails the command, CUDA
// required) with --strict, or when BROKENRECORD_REQUIRE lists cuda.
//
//   node scripts/build-native.mjs [--strict]
//   BROKENRECORD_CUDA_ARCHITECTURES=90 (or "native" on a GPU machine): one architecture, faster
//   BROKENRECORD_BUILD_JOBS=1: parallel compile jobs (default 2; nvcc jobs are heavy)
import { finishBuild, recordStatus, requiredByEnvironment } from '@brokenrecord/native-common/build';
import { addon, buildCuda } from './addon.mjs';

const strict = process.argv.slice(2).includes('--strict') || requiredByEnvironment('cuda');
const result = buildCuda(strict);
recordStatus(addon.packageRoot, result);
if (result.ok && result.cudaBuildFailure) console.warn(`[${addon.packageName}] host executor only: the CUDA part failed to build`);
finishBuild(addon, result, strict);
