#!/usr/bin/env node
// Runs every vitest project (core, each backend's conformance project, apps) and prints one plain
// `N passed, N failed, N skipped` line computed from vitest's JSON report, then exits with
// vitest's own status.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'brokenrecord-tests-'));
const report = join(dir, 'report.json');
const vitest = join(root, 'node_modules', '.bin', 'vitest');
const r = spawnSync(vitest, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
let summary = null;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  // A file that fails to load has no tests of its own: count it as a failure then.
  const brokenFiles = json.numFailedTests === 0 ? (json.numFailedTestSuites ?? 0) : 0;
  summary = {
    passed: json.numPassedTests,
    failed: json.numFailedTests + brokenFiles,
    skipped: json.numPendingTests + (json.numTodoTests ?? 0),
  };
} catch (e) {
  console.error(`could not read the test report: ${e.message}`);
}
rmSync(dir, { recursive: true, force: true });
if (summary) console.log(`\n${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
const status = r.status ?? 1;
process.exit(status !== 0 ? status : summary && summary.failed === 0 && summary.passed > 0 ? 0 : 1);
