import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { platformTag } from './platform.js';

/** One native addon of a BrokenRecord package: where its binaries live and what it is called. */
export interface AddonSpec {
  /** The package's folder (the one holding its package.json). */
  packageRoot: string;
  /** The npm name, used in reasons (e.g. `@brokenrecord/backend-avx2`). */
  packageName: string;
  /** The binary's base name without `.node` (e.g. `brokenrecord_avx2`). */
  binary: string;
  /** An environment variable naming an addon file that replaces the others (e.g. a sanitizer build). */
  overrideVariable?: string;
}

/** Where an addon file comes from: a path the user forced, a build on this machine, or the package's prebuilt one. */
export type AddonOrigin = 'override' | 'source' | 'prebuilt';

export interface AddonCandidate {
  path: string;
  origin: AddonOrigin;
}

/** What the build script records in build/native-status.json. */
export interface BuildStatus {
  ok: boolean;
  reason?: string;
  /** The addon was not built because the prebuilt binary for this platform loads. */
  prebuilt?: boolean;
  [key: string]: unknown;
}

/** The source build's output file. */
export function sourceBuildPath(spec: AddonSpec): string {
  return join(spec.packageRoot, 'build', 'native', 'Release', `${spec.binary}.node`);
}

/** The prebuilt binary for this platform, shipped in the package (may not exist). */
export function prebuiltPath(spec: AddonSpec, tag = platformTag()): string {
  return join(spec.packageRoot, 'prebuilds', tag, `${spec.binary}.node`);
}

/**
 * The addon files to try, in order: the override (alone, when set), the source build, the
 * prebuilt binary. Only files that exist are listed.
 */
export function addonCandidates(spec: AddonSpec): AddonCandidate[] {
  const forced = spec.overrideVariable ? process.env[spec.overrideVariable] : undefined;
  if (forced) return [{ path: forced, origin: 'override' }];
  const found: AddonCandidate[] = [];
  const source = sourceBuildPath(spec);
  if (existsSync(source)) found.push({ path: source, origin: 'source' });
  const prebuilt = prebuiltPath(spec);
  if (existsSync(prebuilt)) found.push({ path: prebuilt, origin: 'prebuilt' });
  return found;
}

/** The record the build script left (build/native-status.json), if any. */
export function readBuildStatus(packageRoot: string): BuildStatus | null {
  const file = join(packageRoot, 'build', 'native-status.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as BuildStatus;
  } catch {
    return null;
  }
}

/** What to install so that a source build succeeds, for reasons shown to users. */
export const BUILD_TOOLS_HINT =
  'a source build needs CMake (>= 3.18) and a C++17 compiler with OpenMP (e.g. `apt-get install cmake g++`), then `npm rebuild';

/** Why there is no addon file to load: the recorded build failure, else what to do. */
export function missingAddonReason(spec: AddonSpec): string {
  const forced = spec.overrideVariable ? process.env[spec.overrideVariable] : undefined;
  if (forced) return `native addon not found at ${forced} (${spec.overrideVariable})`;
  const recorded = readBuildStatus(spec.packageRoot);
  const noPrebuilt = `no prebuilt binary for ${platformTag()} in ${spec.packageName}`;
  if (recorded && !recorded.ok && recorded.reason) {
    return `${noPrebuilt}, and the source build failed: ${recorded.reason} (${BUILD_TOOLS_HINT} ${spec.packageName}\`)`;
  }
  if (existsSync(join(spec.packageRoot, 'tsconfig.json'))) {
    // A development checkout: the package's own build script makes the addon.
    return `native addon not built (run the package's build: pnpm --filter ${spec.packageName} build)`;
  }
  return `${noPrebuilt}, and it was not built from source on install (install scripts not run?): ${BUILD_TOOLS_HINT} ${spec.packageName}\``;
}

/** Loads an addon file into this process. Load it in a child process first (probeInChild). */
export function loadAddonFile<T>(path: string): T {
  return createRequire(import.meta.url)(path) as T;
}
