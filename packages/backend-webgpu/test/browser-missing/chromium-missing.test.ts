import { describe, it } from 'vitest';

/**
 * Runs in place of the browser tests when vitest.browser.config.ts finds no Chromium: skipped with
 * the reason, or failed when BROKENRECORD_REQUIRE lists webgpu-browser.
 */
const chromium = process.env.BROKENRECORD_CHROMIUM ?? '/usr/bin/chromium';
const reason = `no Chromium at ${chromium} (install it with packages/backend-webgpu/scripts/install-chromium.sh, as root)`;

describe('WebGPU in headless Chromium', () => {
  if (process.env.BROKENRECORD_REQUIRE_BROWSER === '1') {
    it('Chromium is installed (BROKENRECORD_REQUIRE lists webgpu-browser)', () => {
      throw new Error(reason);
    });
  } else {
    console.warn(`[webgpu-browser] skipping the browser conformance run: ${reason}`);
    it.skip(`conformance in Chromium: ${reason}`, () => {});
  }
});
