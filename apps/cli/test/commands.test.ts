import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchScriptPath } from '../dist/commands/bench.js';
import { cli, tempDir } from './helpers.js';

describe('brokenrecord backends', () => {
  it('lists every official backend with availability, speed and reason, and the auto pick per scenario', () => {
    const r = cli(['backends']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^backend\s+available\s+speed\s+detail$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);
    expect(row('ts')?.slice(0, 3)).toEqual(['ts', 'yes', '1']);
    expect(row('avx2')?.[2]).toBe('10');
    // 50 for a hardware adapter; a software one (lavapipe, SwiftShader) ranks itself 5, below avx2.
    expect(['50', '5']).toContain(row('webgpu')?.[2]);
    expect(row('cuda')?.slice(1, 3)).toEqual(['no', '100']);
    for (const name of ['avx2', 'webgpu', 'cuda']) {
      const [, available, , detail] = row(name)!;
      if (available === 'no') expect(detail, name).toBeTruthy(); // an unavailable backend always says why
    }
    expect(r.stdout).toContain('auto picks:');
    for (const scenario of ['seed', 'solar-system', 'galaxy', 'cluster', 'collision-box']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${scenario}\\s+\\S.*\\s(ts|avx2|webgpu|cuda)$`, 'm'));
    }
  });

  it('shows the BROKENRECORD_BACKEND override in the picks', () => {
    const r = cli(['backends'], { env: { BROKENRECORD_BACKEND: 'ts' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('auto picks (BROKENRECORD_BACKEND=ts overrides):');
    expect(r.stdout).toMatch(/^ {2}collision-box\s+collisions \+ bounds\s+ts$/m);
  });
});

describe('brokenrecord bench', () => {
  const dir = tempDir();

  it('forwards every argument to the harness and exits with its status', () => {
    const script = join(dir, 'fake-run.js');
    writeFileSync(script, 'console.log(JSON.stringify(process.argv.slice(2))); process.exitCode = 3;\n');
    const r = cli(['bench', '--quick', '--only', 'B1', '--json', 'x.json', '--help'], { env: { BROKENRECORD_BENCH_SCRIPT: script } });
    expect(r.stdout.trim()).toBe(JSON.stringify(['--quick', '--only', 'B1', '--json', 'x.json', '--help']));
    expect(r.code).toBe(3);
  });

  it('finds the repository harness relative to the CLI package', () => {
    expect(benchScriptPath()).toMatch(/[/\\]bench[/\\]dist[/\\]run\.js$/);
  });

  it.skipIf(!existsSync(benchScriptPath()))('runs the real harness (its usage, without measuring)', () => {
    const r = cli(['bench', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: bench /);
  });
});

describe('brokenrecord --help / --version', () => {
  it('lists the commands and every scenario with its defaults', () => {
    const top = cli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['backends', 'run', 'bench']) expect(top.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    const run = cli(['run', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/seed\s+free fall under uniform gravity/);
    expect(run.stdout).toContain('defaults: 4 bodies, --steps 100000, --dt 0.01, --integrator verlet');
    expect(cli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
