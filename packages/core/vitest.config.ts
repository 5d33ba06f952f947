import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'core',
    include: ['test/**/*.test.ts'],
    // Core's own tests control the registry with fake backends; installed backends stay out.
    env: { BROKENRECORD_NO_DISCOVERY: '1' },
  },
});
