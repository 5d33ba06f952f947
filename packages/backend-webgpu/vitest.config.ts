import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// scripts/install-lavapipe.sh unpacks a software Vulkan driver here on machines without a GPU;
// point the Vulkan loader at it unless the environment already chose a driver.
const lavapipeIcd = fileURLToPath(new URL('./.vendor/lvp_icd.json', import.meta.url));
const useLavapipe = !process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && existsSync(lavapipeIcd);

// Tests import the built package (dist), as users do.
export default defineProject({
  test: {
    name: 'webgpu',
    // test/browser and test/browser-missing belong to the browser project (vitest.browser.config.ts).
    include: ['test/*.test.ts'],
    env: useLavapipe ? { VK_ICD_FILENAMES: lavapipeIcd } : {},
    // Files run one after another so their simulations do not compete for the (often software) GPU.
    fileParallelism: false,
    // A software GPU shares the CPU with every other project of a root run: allow for a busy machine.
    testTimeout: 30_000,
  },
});
