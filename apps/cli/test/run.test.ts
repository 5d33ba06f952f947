import { join } from 'node:path';
import { loadSnapshot } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { cli, reportRow, tempDir } from './helpers.js';

describe('brokenrecord run', () => {
  const dir = tempDir();

  it('solar-system keeps energy, momentum and angular momentum within its tolerances', () => {
    const r = cli(['run', 'solar-system', '--steps', '20000']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^solar-system: 4 particles, verlet, dt 0.01, steps 0 → 20000, backend (ts|avx2|webgpu|cuda)$/m);
    for (const q of ['energy', 'momentum', 'angular momentum'] as const) {
      const [, , drift, tolerance, result] = reportRow(r.stdout, q);
      expect(result, q).toBe('PASS');
      expect(Number(drift)).toBeLessThanOrEqual(Number(tolerance));
    }
    expect(r.stdout).toContain('contract kept');
  });

  it('exits 1 and names the quantity when a declared quantity breaks its tolerance', () => {
    // dt = 5 resolves the inner orbit (period ~70) with 14 steps: Verlet's energy error is then large.
    const r = cli(['run', 'solar-system', '--dt', '5', '--steps', '200']);
    expect(r.code).toBe(1);
    expect(reportRow(r.stdout, 'energy')[4]).toBe('FAIL');
    expect(r.stdout).toMatch(/contract BROKEN: energy drifted \S+ > 1e-4/);
  });

  it('seed: the final state follows the exact discrete formula of semi-implicit Euler', async () => {
    const out = join(dir, 'seed.brsnap');
    const r = cli(['run', 'seed', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('seed: 10,000 particles, euler, dt 0.01, steps 0 → 1000');
    expect(r.stdout).toContain('contract: nothing declared, nothing judged');
    const { state, step, dt } = await loadSnapshot(out);
    expect([state.count, step, dt]).toEqual([10_000, 1000, 0.01]);
    const n = step;
    const g = -9.81;
    // x_n = x_0 + n·v_0·dt + g·dt²·n(n+1)/2, v_n = v_0 + n·g·dt, up to float32 rounding: at most
    // ε per stored value per step, accumulated over n steps (positions also carry the velocity error).
    const eps = 2 ** -23;
    const vMax = Math.abs(g) * n * dt;
    const xMax = (Math.abs(g) * dt * dt * n * (n + 1)) / 2;
    const vTolerance = n * eps * vMax;
    const xTolerance = n * eps * (xMax + vMax * dt + n * dt * vMax);
    for (const i of [0, 1, 4321, 9999]) {
      expect(state.px[i]).toBeCloseTo(n * 1 * dt, 3);
      expect(state.pz[i]).toBe(i);
      expect(Math.abs(state.py[i] - (g * dt * dt * n * (n + 1)) / 2)).toBeLessThan(xTolerance);
      expect(state.vx[i]).toBe(1);
      expect(Math.abs(state.vy[i] - g * n * dt)).toBeLessThan(vTolerance);
      expect(state.vz[i]).toBe(0);
    }
    // The tolerance is tight enough to tell Euler from Verlet, whose x_n lacks the extra g·dt²·n/2.
    expect((Math.abs(g) * dt * dt * n) / 2).toBeGreaterThan(2 * xTolerance);
  });

  it('runs every random scenario and keeps its contract', () => {
    for (const scenario of ['galaxy', 'cluster', 'collision-box']) {
      const r = cli(['run', scenario, '--particles', '60', '--steps', '50']);
      expect(r.code, `${scenario}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain(`${scenario}: ${scenario === 'galaxy' ? 61 : 60} particles`);
      expect(r.stdout).toContain('contract kept');
    }
  });

  it('--seed rebuilds the same random scenario, and another seed another one', () => {
    const args = ['run', 'galaxy', '--particles', '60', '--steps', '50'];
    const report = (seed: string) => {
      const { stdout } = cli([...args, '--seed', seed]);
      return stdout.slice(stdout.indexOf('conservation'));
    };
    const a = report('7');
    expect(a).toContain('PASS');
    expect(report('7')).toBe(a);
    expect(report('8')).not.toBe(a);
  });

  it('draws no progress bar into a pipe unless asked, and a plain one when asked', () => {
    const quiet = cli(['run', 'collision-box', '-n', '20', '--steps', '30']);
    expect(quiet.stderr).toBe('');
    const forced = cli(['run', 'collision-box', '-n', '20', '--steps', '30', '--progress']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toMatch(/collision-box \[=+\] 100% \| 30\/30 steps/);
    expect(forced.stderr).not.toContain('\u001b['); // no cursor control codes in a file or pipe
  });
});
