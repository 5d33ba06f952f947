#!/usr/bin/env node
// npm install step: the prebuilt binary (built with CUDA, static runtime) when it loads here,
// else a tolerant build from source (a failure leaves a working install whose probe says what to
// install).
import { existsSync } from 'node:fs';

// In a development checkout (`pnpm install` of the repository) native-common is not built yet, and
// the package's build script makes the addon: nothing to do here.
if (!existsSync(new URL('../tsconfig.json', import.meta.url))) {
  const { installAddon } = await import('@brokenrecord/native-common/build');
  const { addon, buildCuda } = await import('./addon.mjs');
  await installAddon(addon, 'cuda', (strict) => buildCuda(strict));
}
