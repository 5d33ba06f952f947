#!/usr/bin/env node
// The README's two commands: `npm run quickstart` (install + demo) and `npm run test:all`
// (install + the whole test matrix). Needs only Node 20 and npm: pnpm is used from PATH when it
// is version 10, otherwise fetched once through npx, so nothing global is required.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.9';
const task = process.argv[2];
if (task !== 'demo' && task !== 'test') {
  console.error('usage: quickstart.mjs demo|test');
  process.exit(2);
}

function pnpmCommand() {
  try {
    const v = execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (v.startsWith('10.')) return ['pnpm'];
  } catch {
    // not installed: fall through to npx
  }
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

function run(cmd, args, env = {}) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const [pnpm, ...pre] = pnpmCommand();
run(pnpm, [...pre, 'install', '--frozen-lockfile']);
if (task === 'test') run('bash', ['scripts/setup-system.sh']);
run(pnpm, [...pre, 'run', task === 'demo' ? 'demo' : 'test']);
