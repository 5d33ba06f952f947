import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from '../dist/index.js';

const probe = await webgpuBackend.probe();

/**
 * Nothing the backend holds (the GPU object, the shared device, staging buffers, listeners) may keep
 * Node running once the script is done: Dawn keeps the event loop alive while GPU work or a GPU
 * object it tracks is pending.
 */
describe.skipIf(!probe.available)('process lifetime', () => {
  it('a Node script that disposes its simulation exits by itself', { timeout: 30_000 }, async () => {
    const script = fileURLToPath(new URL('./fixtures/exit-after-dispose.mjs', import.meta.url));
    const child = spawn(process.execPath, [script], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve('still running after 20 s');
      }, 20_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c ?? 'killed');
      });
    });
    expect(code).toBe(0);
    expect(out).toMatch(/stepped -0\.0/);
  });
});
