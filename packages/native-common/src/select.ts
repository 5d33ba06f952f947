import { addonCandidates, missingAddonReason, type AddonCandidate, type AddonSpec } from './addon.js';

export interface SelectedAddon<R> {
  candidate: AddonCandidate;
  /** What the check returned for it (e.g. the child process's self-test report). */
  report: R;
}

export interface AddonRejection {
  reason: string;
}

/**
 * Chooses the addon file at load time: each candidate (override, source build, prebuilt) in turn
 * is checked (normally in a child process, see probeInChild) and the first one that passes wins.
 * `check` rejects with the reason a file is unusable. When none passes, the reason names every
 * file tried and why it failed, or why there was none.
 */
export async function selectAddon<R>(spec: AddonSpec, check: (path: string) => Promise<R>): Promise<SelectedAddon<R> | AddonRejection> {
  const candidates = addonCandidates(spec);
  if (candidates.length === 0) return { reason: missingAddonReason(spec) };
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      return { candidate, report: await check(candidate.path) };
    } catch (e) {
      failures.push(`${describe(candidate)}: ${(e as Error).message}`);
    }
  }
  return { reason: failures.join('; ') };
}

function describe(candidate: AddonCandidate): string {
  switch (candidate.origin) {
    case 'override':
      return `the addon at ${candidate.path}`;
    case 'source':
      return 'the addon built from source';
    case 'prebuilt':
      return 'the prebuilt addon';
  }
}
