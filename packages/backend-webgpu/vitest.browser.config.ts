import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineProject } from 'vitest/config';

/**
 * The conformance suite in headless Chromium with WebGPU (SwiftShader, no GPU needed), driven by
 * vitest browser mode. Chromium comes from the system (scripts/install-chromium.sh installs
 * Debian's); nothing is downloaded. Without it the project runs a placeholder
 * (test/browser-missing) instead: skipped with the reason, or failed when BROKENRECORD_REQUIRE lists webgpu-browser.
 */
const CHROMIUM = process.env.BROKENRECORD_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const required = (process.env.BROKENRECORD_REQUIRE ?? '').split(',').map((s) => s.trim());

const noFilesystem = fileURLToPath(new URL('./test/browser/no-filesystem.ts', import.meta.url));

export default defineProject({
  resolve: {
    // The suite's file-snapshot case imports these at the top of its module (see no-filesystem.ts).
    alias: { 'node:fs/promises': noFilesystem, 'node:os': noFilesystem, 'node:path': noFilesystem },
  },
  test: {
    name: 'webgpu-browser',
    include: haveChromium ? ['test/browser/**/*.test.ts'] : ['test/browser-missing/*.test.ts'],
    env: {
      BROKENRECORD_CHROMIUM: CHROMIUM,
      // Inside the page the backend is called 'webgpu': requiring webgpu-browser requires it there.
      BROKENRECORD_REQUIRE: required.includes('webgpu-browser') ? 'webgpu' : '',
      BROKENRECORD_REQUIRE_BROWSER: required.includes('webgpu-browser') ? '1' : '',
    },
    // Browsers have no filesystem: the one case that saves a snapshot file is not run here.
    // @ts-expect-error vitest applies a project's testNamePattern at run time (the case shows as skipped) but its ProjectConfig type omits it
    testNamePattern: /^(?!.*sim\.save\(path\) writes a file)/,
    setupFiles: ['test/browser/process-env.ts'],
    testTimeout: 120_000,
    browser: {
      enabled: haveChromium,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: CHROMIUM,
          // WebGPU is behind --enable-unsafe-webgpu in headless Chromium on Linux; it then offers
          // the SwiftShader fallback adapter. The rest keeps a CI run quiet and offline.
          args: [
            '--enable-unsafe-webgpu',
            '--no-sandbox',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
            '--disable-dev-shm-usage',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
      api: { host: '127.0.0.1' },
    },
  },
});
