// The browser side of platform.node.ts: same exports, no Node built-ins. In a page the GPU is
// navigator.gpu and the probe runs in the page itself, so neither is ever called there.
import type { ProbeResult } from '@brokenrecord/core';

export async function missingVulkanDriver(_vulkanDriverHint: () => string): Promise<string | null> {
  return null;
}

export async function probeInChildProcess(): Promise<ProbeResult> {
  return { available: false, reason: 'the WebGPU probe runs in a child process in Node.js only' };
}
