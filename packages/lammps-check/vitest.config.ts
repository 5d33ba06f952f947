import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// On machines without a GPU the webgpu backend runs on the software Vulkan driver that
// packages/backend-webgpu/scripts/install-lavapipe.sh unpacks; point the loader at it as that
// package's own tests do, unless the environment already chose a driver.
const lavapipeIcd = fileURLToPath(new URL('../backend-webgpu/.vendor/lvp_icd.json', import.meta.url));
const useLavapipe = !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(lavapipeIcd);

// Tests import the built package (dist), as the other packages' tests do.
export default defineProject({
  test: {
    name: 'lammps',
    include: ['test/**/*.test.ts'],
    env: useLavapipe ? { VK_ICD_FILENAMES: lavapipeIcd } : {},
    // LAMMPS and a software GPU share the CPU with every other project of a root run.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
