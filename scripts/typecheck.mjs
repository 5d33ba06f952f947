#!/usr/bin/env node
// Type-checks every package with its tsconfig.check.json (sources, tests and configs), after the
// packages are built (tests import the workspace packages' emitted declarations).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const dirs = ['packages', 'apps'].flatMap((top) => readdirSync(join(root, top)).map((d) => join(top, d))).concat(['bench']);
let failed = 0;
for (const dir of dirs) {
  const config = ['tsconfig.check.json', 'tsconfig.json'].map((f) => join(dir, f)).find((f) => existsSync(join(root, f)));
  if (!config) continue;
  const r = spawnSync(tsc, ['-p', config, '--noEmit'], { cwd: root, stdio: 'inherit' });
  console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} ${config}`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
