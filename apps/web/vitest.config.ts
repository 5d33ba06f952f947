import { defineProject } from 'vitest/config';

// The tests load the BUILT page (dist/, made by this package's build script, which runs before the
// tests) in headless Chromium: they check what a visitor would get, not the sources.
export default defineProject({
  test: {
    name: 'web',
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // A cold Chromium start plus the WebGPU probe compiling every kernel on SwiftShader takes a while on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
