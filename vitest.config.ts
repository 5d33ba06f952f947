import { defineConfig } from 'vitest/config';

// One test project per package; each backend package runs the shared conformance suite itself.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
