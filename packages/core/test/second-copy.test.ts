import { describe, expect, it } from 'vitest';
import { listBackends, unregisterBackend } from '../src/index.js';

describe('a second copy of core', () => {
  it('is named when an official backend registered itself there instead of here', async () => {
    // What a backend package with its own nested core leaves behind: a copy (another URL) holding it.
    const slot = (globalThis as Record<symbol, { url: string; backends: Set<string> }[]>)[Symbol.for('@brokenrecord/core copies')]!;
    expect(slot.length).toBeGreaterThan(0);
    const nested = {
      url: 'file:///app/node_modules/@brokenrecord/backend-cuda/node_modules/@brokenrecord/core/dist/registry.js',
      backends: new Set(['cuda']),
    };
    slot.push(nested);
    try {
      unregisterBackend('cuda');
      process.env.BROKENRECORD_NO_DISCOVERY = '1';
      const cuda = (await listBackends()).find((b) => b.name === 'cuda');
      expect(cuda?.available).toBe(false);
      expect(cuda?.reason).toContain(
        'second copy of @brokenrecord/core (/app/node_modules/@brokenrecord/backend-cuda/node_modules/@brokenrecord/core)',
      );
      const webgpu = (await listBackends()).find((b) => b.name === 'webgpu');
      if (webgpu && !webgpu.available) expect(webgpu.reason).not.toContain('second copy');
    } finally {
      slot.splice(slot.indexOf(nested), 1);
    }
  });
});
