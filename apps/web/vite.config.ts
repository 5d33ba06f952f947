import { defineConfig } from 'vite';

export default defineConfig({
  // Relative asset URLs, so dist/ works from any path (the test's static server, a subfolder deploy).
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
