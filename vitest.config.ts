import { defineConfig } from 'vitest/config';

// One test project per package; each backend package runs the shared conformance suite itself.
// The WebGPU browser project lives in its own config file (it runs in Chromium, not Node), so it
// is named here explicitly.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'packages/backend-webgpu/vitest.browser.config.ts'],
  },
});
