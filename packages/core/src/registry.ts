import type { Backend, BackendCapability, ProbeResult } from './backend.js';
import { OFFICIAL_BACKENDS } from './backend.js';
import { BackendUnavailableError, ValidationError, type BackendReason } from './errors.js';
import type { SystemDefinition } from './system.js';
import { importFromWorkingDirectory } from '#platform';

const backends = new Map<string, Backend>();
const probes = new Map<Backend, Promise<ProbeResult>>();
let discovery: Promise<void> | null = null;
let warnedFallback = false;

/**
 * Every copy of core loaded in this process, in a global slot they share. One is normal; two mean
 * two installed versions (a backend with its own nested core registers into that one, and this
 * copy would only see "not installed"), so the reason names the other copy instead.
 */
interface CoreCopy {
  /** Where the copy is loaded from (its registry module's URL). */
  url: string;
  /** Backends registered into it. */
  backends: Set<string>;
}
const COPIES = Symbol.for('@brokenrecord/core copies');
const copies: CoreCopy[] = ((globalThis as { [COPIES]?: CoreCopy[] })[COPIES] ??= []);
const thisCopy: CoreCopy = { url: import.meta.url, backends: new Set() };
copies.push(thisCopy);

/** The package folder of a copy of core, from its registry module's URL. */
function copyLocation(url: string): string {
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  return path.replace(/\/(dist|src)\/registry\.[jt]s$/, '');
}

/** The reason an official backend is missing here when another copy of core has it registered. */
function registeredElsewhere(name: string, pkg: string): string | null {
  // Copies at this module's own URL are this one re-evaluated (test runners), not a second install.
  const other = copies.find((c) => c !== thisCopy && c.url !== thisCopy.url && c.backends.has(name));
  if (!other) return null;
  return (
    `${pkg} is installed but registered itself with a second copy of @brokenrecord/core (${copyLocation(other.url)}), ` +
    `not the one this application uses (${copyLocation(thisCopy.url)}): install one version of @brokenrecord/core ` +
    `that satisfies every backend's peer dependency (\`npm ls @brokenrecord/core\` lists the copies)`
  );
}

/** Why an official backend is not registered here: another copy of core has it, or it is not installed. */
function notRegisteredReason(official: { name: string; pkg: string }): string {
  return registeredElsewhere(official.name, official.pkg) ?? `${official.pkg} is not installed`;
}

/** Adds (or replaces, by name) a backend. Official backend packages call this when imported. */
export function registerBackend(backend: Backend): void {
  if (!backend || typeof backend.name !== 'string' || typeof backend.probe !== 'function' || typeof backend.create !== 'function') {
    throw new ValidationError('backend', 'expected {name, speed, rules, probe(), create()}');
  }
  backends.set(backend.name, backend);
  thisCopy.backends.add(backend.name);
}

/** Removes a backend by name (tests, or an application that wants to forbid one). */
export function unregisterBackend(name: string): boolean {
  thisCopy.backends.delete(name);
  return backends.delete(name);
}

export function getRegisteredBackends(): Backend[] {
  return [...backends.values()];
}

/** Probes once per backend object; a probe that throws is an unavailable backend with that message. */
export function probeBackend(backend: Backend): Promise<ProbeResult> {
  let result = probes.get(backend);
  if (!result) {
    result = Promise.resolve()
      .then(() => backend.probe())
      .then(
        (r) => (r && typeof r.available === 'boolean' ? r : { available: false, reason: 'probe returned no result' }),
        (e: unknown) => ({ available: false, reason: `probe failed: ${e instanceof Error ? e.message : String(e)}` }),
      );
    probes.set(backend, result);
  }
  return result;
}

/** Where official packages are looked for when core cannot see them itself (pnpm's strict layout). */
async function importFromApplication(pkg: string): Promise<unknown> {
  try {
    return await import(pkg);
  } catch {
    // Node only: resolve from the application's directory, as a user's own import would.
    return importFromWorkingDirectory(pkg);
  }
}

export interface DiscoveredPackage {
  name: string;
  pkg: string;
  installed: boolean;
  error?: string;
}
const discovered: DiscoveredPackage[] = [];

/**
 * Imports the official backend packages that are installed, so `backend: 'auto'` needs no extra
 * import. Each package registers itself on import; a missing package is simply not installed.
 * Runs once; `BROKENRECORD_NO_DISCOVERY=1` turns it off (tests that control the registry).
 */
export function discoverBackends(): Promise<void> {
  if (discovery) return discovery;
  const env = typeof process !== 'undefined' ? process.env : {};
  if (env.BROKENRECORD_NO_DISCOVERY === '1' || typeof process === 'undefined' || !process.versions?.node) {
    discovery = Promise.resolve();
    return discovery;
  }
  discovery = Promise.all(
    OFFICIAL_BACKENDS.filter((b) => !backends.has(b.name)).map(async (b) => {
      try {
        await importFromApplication(b.pkg);
        discovered.push({ name: b.name, pkg: b.pkg, installed: true });
      } catch (e) {
        const missing =
          e instanceof Error && /Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(`${(e as { code?: string }).code} ${e.message}`);
        discovered.push({ name: b.name, pkg: b.pkg, installed: false, ...(missing ? {} : { error: (e as Error).message }) });
      }
    }),
  ).then(() => undefined);
  return discovery;
}

export interface BackendInfo {
  name: string;
  available: boolean;
  reason?: string;
  speed: number;
  features: string[];
  /** What it implements beyond rule kinds (Backend.capabilities). */
  capabilities: BackendCapability[];
}

/** Every known backend (registered, or official and not installed) with availability and reason, fastest first. */
export async function listBackends(): Promise<BackendInfo[]> {
  await discoverBackends();
  const infos: BackendInfo[] = [];
  for (const backend of backends.values()) {
    const probe = await probeBackend(backend);
    infos.push({
      name: backend.name,
      available: probe.available,
      ...(probe.available ? {} : { reason: probe.reason ?? 'unavailable' }),
      speed: effectiveSpeed(backend, probe),
      features: probe.features ?? [],
      capabilities: [...(backend.capabilities ?? [])],
    });
  }
  for (const official of OFFICIAL_BACKENDS) {
    if (backends.has(official.name)) continue;
    const d = discovered.find((x) => x.name === official.name);
    const reason = d?.error ? `${official.pkg} failed to load: ${d.error}` : notRegisteredReason(official);
    infos.push({ name: official.name, available: false, reason, speed: official.speed, features: [], capabilities: [] });
  }
  return infos.sort((a, b) => b.speed - a.speed);
}

/** The probe's own rank for this machine when it gave one, else the backend's static speed. */
function effectiveSpeed(backend: Backend, probe: ProbeResult): number {
  return typeof probe.speed === 'number' && Number.isFinite(probe.speed) ? probe.speed : backend.speed;
}

export type BackendRequest = 'auto' | string | readonly string[];

function missingRules(backend: Backend, system: SystemDefinition): string[] {
  return [...system.kinds].filter((k) => !backend.rules.includes(k));
}

/**
 * What the system asks for that the backend's capabilities lack, as reasons: a backend without
 * 'gravity:tree' would silently sum all pairs for `method: 'tree'`, so it is refused instead.
 * ('auto' is not refused: it means "the tree where there is one".)
 */
export function missingCapabilities(backend: Pick<Backend, 'capabilities'>, system: SystemDefinition): string[] {
  const has = (c: BackendCapability) => backend.capabilities?.includes(c) ?? false;
  const tree = system.rules.some((r) => r.kind === 'pairwiseGravity' && r.options.method === 'tree');
  return tree && !has('gravity:tree') ? ["pairwiseGravity method 'tree' (capability 'gravity:tree')"] : [];
}

/**
 * Picks the backend for a system: the named one(s) in the given order, or for `auto` the fastest
 * available one implementing every rule. `BROKENRECORD_BACKEND` overrides the request.
 */
export async function resolveBackend(request: BackendRequest, system: SystemDefinition): Promise<Backend> {
  await discoverBackends();
  const override = typeof process !== 'undefined' ? process.env?.BROKENRECORD_BACKEND : undefined;
  const effective: BackendRequest = override ? override : request;
  const auto = effective === 'auto';
  let names: string[];
  if (auto) {
    const ranked = await Promise.all([...backends.values()].map(async (b) => ({ b, speed: effectiveSpeed(b, await probeBackend(b)) })));
    names = ranked.sort((x, y) => y.speed - x.speed).map((x) => x.b.name);
  } else if (typeof effective === 'string') {
    names = effective
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  } else if (Array.isArray(effective) && effective.every((s) => typeof s === 'string') && effective.length > 0) {
    names = [...effective];
  } else {
    throw new ValidationError('backend', `expected 'auto', a backend name or a list of names`);
  }
  const reasons: BackendReason[] = [];
  for (const name of names) {
    const backend = backends.get(name);
    if (!backend) {
      const official = OFFICIAL_BACKENDS.find((b) => b.name === name);
      reasons.push({ name, reason: official ? notRegisteredReason(official) : 'no such backend is registered' });
      continue;
    }
    const probe = await probeBackend(backend);
    if (!probe.available) {
      reasons.push({ name, reason: probe.reason ?? 'unavailable' });
      continue;
    }
    const missing = [...missingRules(backend, system), ...missingCapabilities(backend, system)];
    if (missing.length) {
      reasons.push({ name, reason: `does not implement ${missing.join(', ')}` });
      continue;
    }
    if (auto && backend.name === 'ts') warnFallback(reasons);
    return backend;
  }
  const what = override ? `BROKENRECORD_BACKEND=${override}` : auto ? "backend 'auto'" : `backend ${JSON.stringify(effective)}`;
  throw new BackendUnavailableError(`no usable backend for ${what}`, reasons);
}

/**
 * The seed printed "Native code not available, using interpreted fallback (SLOW)" and then ran
 * slowly forever. We say it once, with the reasons, and only when a faster backend was installed.
 */
function warnFallback(reasons: BackendReason[]): void {
  if (warnedFallback || reasons.length === 0) return;
  warnedFallback = true;
  const detail = reasons.map((r) => `${r.name}: ${r.reason}`).join('; ');
  console.warn(`[brokenrecord] no faster backend available, using the TypeScript backend (${detail})`);
}

/** Test hook: forget cached probes and the warn-once flag. */
export function resetRegistryForTests(): void {
  probes.clear();
  warnedFallback = false;
}
