import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** The system's Chromium (nothing is downloaded); overridable for machines that keep it elsewhere. */
export const CHROMIUM = process.env.BROKENRECORD_CHROMIUM ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Keeps a headless run quiet and offline (the same settings as the WebGPU browser suite's). */
const QUIET = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

/**
 * WebGPU on SwiftShader. The Vulkan flags matter for the page's WebGPU canvas: without them the
 * adapter still computes, but presenting a WebGPU canvas in headless mode loses the device
 * ("Instance dropped"), which would take the simulation sharing that device down with it.
 */
const WEBGPU = ['--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-angle=swiftshader'];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile. `webgpu: true` adds --enable-unsafe-webgpu, which headless
 * Chromium on Linux needs before it offers an adapter (SwiftShader, no GPU required), and WEBGPU's
 * other flags for drawing to a WebGPU canvas. Without it
 * navigator.gpu still exists but requestAdapter() answers null (--disable-features=WebGPU changes
 * nothing there), which is what a browser without usable WebGPU looks like to the page.
 */
export async function launchChromium({ webgpu }: { webgpu: boolean }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'brokenrecord-web-'));
  const args = webgpu ? [...QUIET, ...WEBGPU] : QUIET;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    viewport: { width: 1150, height: 720 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
