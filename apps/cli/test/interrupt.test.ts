import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadSnapshot } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { MAIN, tempDir } from './helpers.js';

describe('Ctrl-C during a run', () => {
  const dir = tempDir();

  it('stops at the next pause, still writes the snapshot and the report, and exits 130', async () => {
    const snapshot = join(dir, 'stopped.brsnap');
    const env = { ...process.env };
    delete env.NODE_PATH;
    // Far more steps than could finish within the test's timeout: only the interrupt ends it in time.
    const child = spawn(process.execPath, [MAIN, 'run', 'galaxy', '-n', '200', '--steps', '100000000', '--progress', '--out', snapshot], {
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        // The bar's first line is drawn once the run loop is about to start (the handler is in place).
        if (stderr.includes(' steps |') && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (c) => resolve(c));
    });
    expect(code).toBe(130);
    expect(stderr).toContain('brokenrecord: stopping at the next pause');
    expect(stdout).toMatch(/^interrupted after [\d,]+ steps/m);
    expect(stdout).toContain('conservation (contract: energy, momentum, angular momentum)');
    const saved = await loadSnapshot(snapshot);
    expect(saved.step).toBeGreaterThanOrEqual(0);
    expect(saved.step).toBeLessThan(100_000_000);
  });
});
