import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

/**
 * Every user mistake is one line on stderr, `brokenrecord: <message>`, with a non-zero exit status
 * (2: the command could not do what was asked; 1: the physics failed) and never a stack trace.
 */
describe('user errors', () => {
  const dir = tempDir();
  const at = (name: string) => join(dir, name);
  const snapshot = at('ok.brsnap');
  const setup = cli(['run', 'solar-system', '--steps', '10', '--out', snapshot]);
  writeFileSync(at('truncated.brsnap'), readFileSync(snapshot).subarray(0, 100));
  const corrupt = readFileSync(snapshot);
  corrupt[60] ^= 0xff; // inside the system description: the checksum no longer matches
  writeFileSync(at('corrupt.brsnap'), corrupt);

  const cases: { args: string[]; env?: Record<string, string>; code: number; message: RegExp }[] = [
    {
      args: ['run', 'nosuch'],
      code: 2,
      message:
        /^unknown scenario 'nosuch' \(known: seed, solar-system, galaxy, cluster, collision-box, lennard-jones, springs, granular\)$/,
    },
    { args: ['run'], code: 2, message: /missing required argument 'scenario'/ },
    { args: ['launch'], code: 2, message: /unknown command 'launch'/ },
    { args: ['run', 'seed', '--wat'], code: 2, message: /unknown option '--wat'/ },
    { args: ['run', 'seed', '--steps', '-3'], code: 2, message: /--steps <n>' argument '-3' is invalid\. expected a non-negative integer/ },
    { args: ['run', 'seed', '--steps', '1e3'], code: 2, message: /--steps <n>' argument '1e3' is invalid/ },
    { args: ['run', 'seed', '--dt', '0'], code: 2, message: /--dt <seconds>' argument '0' is invalid\. expected a finite number > 0/ },
    { args: ['run', 'galaxy', '--particles', '1.5'], code: 2, message: /argument '1\.5' is invalid\. expected a positive integer/ },
    { args: ['run', 'galaxy', '--seed', 'x'], code: 2, message: /--seed <k>' argument 'x' is invalid/ },
    { args: ['run', 'seed', '--integrator', 'rk4'], code: 2, message: /expected one of euler, verlet/ },
    {
      args: ['run', 'solar-system', '--particles', '9'],
      code: 2,
      message: /^solar-system has a fixed number of particles \(4\); --particles does not apply$/,
    },
    {
      args: ['run', 'seed', '--threads', '5000'],
      code: 2,
      message: /^threads: 5000 must be an integer in \[1, \d+\] \(at most 4 × this machine's hardware threads, and 256\)$/,
    }, // core's ValidationError
    // Bounded before any scenario is built (these used to run out of heap after ~80 s).
    {
      args: ['run', 'collision-box', '--particles', '1000000000000'],
      code: 2,
      message: /^--particles: 1000000000000 particles exceed \d+, /,
    },
    { args: ['run', 'seed', '--particles', '300000000'], code: 2, message: /^--particles: 300000000 particles exceed \d+, / },
    {
      args: ['run', 'seed', '--backend', 'nosuch'],
      code: 2,
      message: /^no usable backend for backend "nosuch" \(nosuch: no such backend is registered\)$/,
    },
    {
      args: ['run', 'seed'],
      env: { BROKENRECORD_BACKEND: 'nosuch' },
      code: 2,
      message: /^no usable backend for BROKENRECORD_BACKEND=nosuch/,
    },
    {
      args: ['run', 'seed', '--out', 'out.txt'],
      code: 2,
      message: /^--out out\.txt: unknown format '\.txt' \(known: \.csv, \.xyz, \.vtk, \.brsnap\)$/,
    },
    {
      args: ['run', 'seed', '--out', '/nonexistent-dir/x.csv'],
      code: 2,
      message: /^cannot write \/nonexistent-dir\/x\.csv: directory \/nonexistent-dir does not exist$/,
    },
    { args: ['run', 'seed', '--plot', 'drift.png'], code: 2, message: /^--plot drift\.png: the plot is an SVG file/ },
    { args: ['run', 'solar-system', '--resume', at('missing.brsnap')], code: 2, message: /^cannot read .*missing\.brsnap/ },
    {
      args: ['run', 'solar-system', '--resume', at('truncated.brsnap')],
      code: 2,
      message: /truncated\.brsnap: truncated: 100 bytes end before the layout block$/,
    },
    { args: ['run', 'solar-system', '--resume', at('corrupt.brsnap')], code: 2, message: /corrupt\.brsnap: checksum mismatch/ },
    // A step so long that the first kick overflows: the run stops with the step and particle.
    {
      args: ['run', 'solar-system', '--dt', '1e38', '--steps', '10'],
      code: 1,
      message: /^simulation diverged at step 1: particle \d+ became non-finite; state left at step 0$/,
    },
    {
      args: ['bench'],
      env: { BROKENRECORD_BENCH_SCRIPT: at('no-bench.js') },
      code: 2,
      message: /^the benchmark harness is not built \(no .*no-bench\.js\); build it with: pnpm --filter @brokenrecord\/bench build$/,
    },
  ];

  it('the snapshot the cases corrupt was written', () => {
    expect(setup.code, setup.stderr).toBe(0);
  });

  for (const { args, env, code, message } of cases) {
    it(`${args.join(' ')}${
      env
        ? ` (${Object.entries(env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')})`
        : ''
    }`, () => {
      const r = cli(args, { cwd: dir, ...(env ? { env } : {}) });
      expect(r.code).toBe(code);
      expect(r.stderr).toMatch(/^brokenrecord: [^\n]+\n$/);
      expect(r.stderr.slice('brokenrecord: '.length).trimEnd()).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});
