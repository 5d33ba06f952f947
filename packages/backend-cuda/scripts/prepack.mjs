#!/usr/bin/env node
// Before packing: the source build becomes the package's prebuilt binary for this platform. It
// must have the device executor (a host-only build would make every install CPU-only), and needs
// nothing beyond glibc (static CUDA runtime and libstdc++).
import { probeInChild, sourceBuildPath } from '@brokenrecord/native-common';
import { stagePrebuilt } from '@brokenrecord/native-common/build';
import { addon } from './addon.mjs';

const builtWithCuda = await probeInChild('process.stdout.write(JSON.stringify(require(process.argv[1]).deviceReport().builtWithCuda))', [
  sourceBuildPath(addon),
]);
if (builtWithCuda !== true) {
  console.error(`[${addon.packageName}] the source build has no CUDA device code; not packing it as the prebuilt binary`);
  process.exit(1);
}
stagePrebuilt(addon);
