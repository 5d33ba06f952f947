import { GRAVITY_TREE_MIN_COUNT } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { cli, reportRow } from './helpers.js';

describe('galaxy: gravity by tree at scale', () => {
  it('below GRAVITY_TREE_MIN_COUNT orbiters sums all pairs, and says so', () => {
    const r = cli(['run', 'galaxy', '--particles', '200', '--steps', '5', '--backend', 'ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^gravity: all pairs, method 'direct'$/m);
  });

  it(`from ${GRAVITY_TREE_MIN_COUNT} orbiters runs the Barnes–Hut tree, shown in the report, and keeps its contract`, () => {
    const r = cli(['run', 'galaxy', '--particles', String(GRAVITY_TREE_MIN_COUNT), '--steps', '3', '--backend', 'ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^gravity: Barnes–Hut tree \(θ = 0\.5, quadrupoles\), method 'tree'$/m);
    // The tree keeps momentum only to its force error: judged against the tree's tolerance, not 1e-5.
    const [, , drift, tolerance, result] = reportRow(r.stdout, 'momentum');
    expect(Number(tolerance)).toBe(1e-3);
    expect(Number(drift)).toBeGreaterThan(0);
    expect(result).toBe('PASS');
  }, 120_000);
});
