import { defineProject } from 'vitest/config';

// Tests import the built package (dist + the native addon in build/): run the package build first.
export default defineProject({
  test: {
    name: 'cuda',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
