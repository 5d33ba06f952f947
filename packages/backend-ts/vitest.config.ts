import { defineProject } from 'vitest/config';

// Tests import the built package (dist): worker threads need real .js files to load.
export default defineProject({
  test: { name: 'ts', include: ['test/**/*.test.ts'] },
});
