// What the WebGPU backend needs from Node.js (the Vulkan driver check, the probe's child process),
// in one module that browser builds replace with platform.browser.ts (package.json "imports":
// "#platform", `browser` condition), so a bundle gets neither Node built-ins nor this code.
import type { ProbeResult } from '@brokenrecord/core';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where Linux's Vulkan loader looks for driver manifests (ICD json files) by default. */
const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/**
 * On Linux, Dawn talks to the GPU through Vulkan, and with no Vulkan driver at all it prints the
 * loader's warnings on stderr before failing. Checking for a driver manifest first turns that into
 * a quiet probe reason. When no driver is chosen and this package's own software driver has been
 * unpacked (scripts/install-lavapipe.sh, meant for machines without a GPU), it is used.
 */
export async function missingVulkanDriver(vulkanDriverHint: () => string): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES) {
    const vendored = fileURLToPath(new URL('../.vendor/lvp_icd.json', import.meta.url));
    if (existsSync(vendored)) process.env.VK_ICD_FILENAMES = vendored;
  }
  const chosen = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  if (chosen) {
    const files = chosen.split(':').filter(Boolean);
    return files.some((f) => existsSync(f)) ? null : `no Vulkan driver: VK_ICD_FILENAMES names no existing file (${chosen})`;
  }
  const found = ICD_DIRS.some((dir) => {
    try {
      return readdirSync(dir).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
  return found ? null : `no Vulkan driver installed${vulkanDriverHint()}`;
}

/**
 * In Node the probe runs in a child process: Dawn and the Vulkan loader print their warnings
 * straight to the process's stderr (no API silences them), and a driver that crashes on start
 * would take the host down. In the child both are contained; the parent gets the verdict as JSON.
 * The in-process device is only created when a simulation is.
 */
export async function probeInChildProcess(): Promise<ProbeResult> {
  const script = fileURLToPath(new URL('./probe-child.js', import.meta.url));
  const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000, env: process.env });
  const line = child.stdout?.split('\n').find((l) => l.startsWith('{'));
  if (line) {
    try {
      return JSON.parse(line) as ProbeResult;
    } catch {
      // fall through to the failure reason below
    }
  }
  const why = child.error ? child.error.message : child.signal ? `killed by ${child.signal}` : `exit status ${child.status}`;
  const detail = (child.stderr ?? '').trim().split('\n').filter(Boolean).pop() ?? '';
  return { available: false, reason: `the WebGPU probe process failed (${why})${detail ? `: ${detail}` : ''}` };
}
