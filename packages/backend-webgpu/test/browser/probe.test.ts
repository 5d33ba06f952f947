import { describe, expect, it } from 'vitest';
import { webgpuBackend } from '../../dist/index.js';

const required = process.env.BROKENRECORD_REQUIRE_BROWSER === '1';

describe('webgpu probe in the browser', () => {
  it('finds navigator.gpu and an adapter (required when BROKENRECORD_REQUIRE lists webgpu-browser)', async () => {
    const probe = await webgpuBackend.probe();
    if (!probe.available) {
      console.warn(`[webgpu-browser] WebGPU unavailable in Chromium: ${probe.reason}`);
      expect(required, `BROKENRECORD_REQUIRE lists webgpu-browser, but: ${probe.reason}`).toBe(false);
      return;
    }
    expect(probe.features).toContain('navigator.gpu');
    expect(probe.features?.some((f) => f.startsWith('adapter: '))).toBe(true);
  });
});
