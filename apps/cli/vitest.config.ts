import { defineProject } from 'vitest/config';

// The tests run the built command (node dist/main.js) and import built modules from dist, as a user would.
export default defineProject({
  test: { name: 'cli', include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
