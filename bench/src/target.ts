/** A goal shown beside a row's figures. Never asserted: the bench reports, it does not fail. */
export type Target = { runner: string; relativeTo: string; atLeast: number } | { runner: string; throughputAtLeast: number; unit: string };

export type TargetVerdict = 'met' | 'missed' | 'n/a';

export function describeTarget(target: Target, labelOf: (runnerId: string) => string): string {
  if ('relativeTo' in target) return `≥ ${target.atLeast.toFixed(1)}× ${labelOf(target.relativeTo)}`;
  const t = target.throughputAtLeast;
  return t >= 1e9 ? `≥ ${t / 1e9} G ${target.unit}` : `≥ ${t} ${target.unit}`;
}

/** `throughputOf` returns null for a row without figures, which makes the target n/a. */
export function judgeTarget(
  target: Target,
  throughputOf: (runnerId: string) => number | null,
): { verdict: TargetVerdict; achieved: number | null } {
  const mine = throughputOf(target.runner);
  if (mine === null) return { verdict: 'n/a', achieved: null };
  if ('relativeTo' in target) {
    const base = throughputOf(target.relativeTo);
    if (base === null) return { verdict: 'n/a', achieved: null };
    const ratio = mine / base;
    return { verdict: ratio >= target.atLeast ? 'met' : 'missed', achieved: ratio };
  }
  return { verdict: mine >= target.throughputAtLeast ? 'met' : 'missed', achieved: mine };
}
