import { defineProject } from 'vitest/config';

// Tests import the built package (dist + the native addon in build/): run the package build first.
export default defineProject({
  test: {
    name: 'avx2',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
