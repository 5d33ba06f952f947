import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

/**
 * A run stopped at step k and resumed for the rest ends bit for bit where the uninterrupted run
 * ends. Single-threaded TypeScript backend: the one whose determinism is promised.
 */
describe('brokenrecord run --resume', () => {
  const dir = tempDir();
  const at = (name: string) => join(dir, name);
  const pinned = ['--backend', 'ts', '--threads', '1'];

  const cases = [
    { scenario: 'solar-system', extra: [], total: 400, first: 150 }, // verlet, pairwise gravity
    { scenario: 'collision-box', extra: ['--particles', '64', '--seed', '3'], total: 300, first: 120 }, // euler, contacts, walls
    { scenario: 'cluster', extra: ['--particles', '40', '--seed', '5'], total: 200, first: 77 }, // softened gravity
  ];
  for (const { scenario, extra, total, first } of cases) {
    it(`${scenario}: ${first} steps + ${total - first} resumed = ${total} steps, bitwise`, async () => {
      const whole = cli(['run', scenario, ...extra, ...pinned, '--steps', String(total), '--out', at(`${scenario}-whole.brsnap`)]);
      const half = cli(['run', scenario, ...extra, ...pinned, '--steps', String(first), '--out', at(`${scenario}-half.brsnap`)]);
      expect(whole.code, whole.stderr).toBe(0);
      expect(half.code, half.stderr).toBe(0);
      const rest = cli([
        'run',
        scenario,
        ...pinned,
        '--resume',
        at(`${scenario}-half.brsnap`),
        '--steps',
        String(total - first),
        '--out',
        at(`${scenario}-resumed.brsnap`),
      ]);
      expect(rest.code, rest.stderr).toBe(0);
      expect(rest.stdout).toContain(`steps ${first} → ${total}`);

      const a = await loadSnapshot(at(`${scenario}-whole.brsnap`));
      const b = await loadSnapshot(at(`${scenario}-resumed.brsnap`));
      expect(b.step).toBe(total);
      for (const column of ['px', 'py', 'pz', 'vx', 'vy', 'vz', 'mass', 'radius'] as const) {
        expect(Buffer.from(b.state.column(column).buffer, b.state.column(column).byteOffset, 4 * b.state.count)).toEqual(
          Buffer.from(a.state.column(column).buffer, a.state.column(column).byteOffset, 4 * a.state.count),
        );
      }
      // Same state, system, dt, step and time: the snapshot files are identical byte for byte.
      expect(readFileSync(at(`${scenario}-resumed.brsnap`)).equals(readFileSync(at(`${scenario}-whole.brsnap`)))).toBe(true);
    });
  }

  it('refuses a snapshot of another scenario, and flags that would change the saved system', () => {
    const snapshot = at('solar-system-10.brsnap');
    expect(cli(['run', 'solar-system', '--steps', '10', '--out', snapshot]).code).toBe(0);
    const other = cli(['run', 'galaxy', '--resume', snapshot]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^brokenrecord: .*was not saved from the galaxy scenario.*\n$/);
    const changed = cli(['run', 'solar-system', '--resume', snapshot, '--dt', '0.1', '--integrator', 'euler']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toBe(
      "brokenrecord: --resume continues the snapshot's own system and state: --dt, --integrator cannot be changed\n",
    );
  });
});
