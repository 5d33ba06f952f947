import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium } from './chromium';
import { decodePng } from './png';
import { serveFolder, type StaticServer } from './static-server';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const required = (process.env.BROKENRECORD_REQUIRE ?? '').split(',').map((s) => s.trim());

// Registered only when it applies, so a machine with Chromium does not count a skipped placeholder.
if (!haveChromium && required.includes('web')) {
  it(`the web app needs Chromium at ${CHROMIUM}`, () => {
    expect.fail(`BROKENRECORD_REQUIRE lists web but ${CHROMIUM} does not exist (set BROKENRECORD_CHROMIUM or install chromium)`);
  });
}

describe.skipIf(!haveChromium)(
  `the built web app in headless Chromium${haveChromium ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`,
  () => {
    let server: StaticServer;

    beforeAll(async () => {
      if (!existsSync(`${DIST}index.html`)) throw new Error(`${DIST}index.html is missing: run the package's build script first`);
      server = await serveFolder(DIST);
      mkdirSync(RESULTS, { recursive: true });
    });
    afterAll(() => server?.close());

    /** Opens the page and waits until a simulation exists (the page marks the body ready). */
    async function open(page: Page, query: string): Promise<void> {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}?${query}`);
      await page.waitForSelector('body[data-ready="true"]', { state: 'attached', timeout: 90_000 }).catch((e: Error) => {
        throw new Error(`the page never became ready: ${e.message}; page errors: ${errors.join(' | ') || 'none'}`);
      });
      // Ready means a simulation exists; a load failure shows here instead of as a silent timeout.
      expect(await page.textContent('#error')).toBe('');
    }

    const steps = async (page: Page) => Number(await page.textContent('#steps'));

    /** The counter must keep rising across two readings: the loop runs, not just one batch. */
    async function expectAdvancing(page: Page): Promise<void> {
      await page.waitForFunction(() => Number(document.getElementById('steps')?.textContent) > 0, null, { timeout: 60_000 });
      const first = await steps(page);
      await page.waitForFunction((n) => Number(document.getElementById('steps')?.textContent) > n, first, { timeout: 60_000 });
      expect(await steps(page)).toBeGreaterThan(first);
      expect(Number(await page.textContent('#rate'))).toBeGreaterThan(0);
    }

    /** Drift is shown in exponent form; energy-conserving scenarios keep it far below 1. */
    async function expectDrift(page: Page): Promise<void> {
      const text = (await page.textContent('#drift')) ?? '';
      expect(text).toMatch(/^\d\.\d{2}e[+-]\d+$/);
      expect(Number(text)).toBeLessThan(1e-2);
    }

    it('with WebGPU enabled it runs on the webgpu backend (SwiftShader) and advances', async () => {
      const browser = await launchChromium({ webgpu: true });
      try {
        const page = await browser.context.newPage();
        await open(page, 'scenario=galaxy&particles=500');
        expect(await page.textContent('#backend')).toBe('webgpu');
        // 500 orbiters: below core's tree threshold the galaxy asks for all pairs.
        expect(await page.textContent('#gravity')).toBe('all pairs');
        expect(await page.textContent('#why')).toMatch(/offers WebGPU/);
        expect(await page.textContent('#backends')).toMatch(/webgpu: available/);
        await expectAdvancing(page);
        await expectDrift(page);
        // Drawn by the render pipeline from the simulation's storage buffers, on its own canvas.
        expect(await page.textContent('#renderer')).toBe('WebGPU, straight from the simulation buffers');
        expect(await page.isVisible('#gpu-view')).toBe(true);
        expect(await page.isVisible('#view')).toBe(false);
        await page.screenshot({ path: `${RESULTS}webgpu.png` });
        // Particles are light blue or gold on a near-black background: count clearly lit pixels.
        const canvas = decodePng(await page.locator('#gpu-view').screenshot({ path: `${RESULTS}webgpu-canvas.png` }));
        let lit = 0;
        for (let i = 0; i < canvas.width * canvas.height; i++) {
          const [r, g, b] = canvas.rgba.subarray(4 * i, 4 * i + 3);
          if (Math.max(r, g, b) > 100) lit++;
        }
        expect(lit, 'lit pixels on the WebGPU canvas').toBeGreaterThan(200);
        // ...but not everything: a canvas filled by a broken shader is not a picture of particles.
        expect(lit).toBeLessThan((canvas.width * canvas.height) / 2);

        // The galaxy on the GPU Barnes–Hut tree (asked for by the URL, so that a small, quick
        // galaxy takes the path large ones take by default): it runs, advances, keeps its energy.
        const tree = await browser.context.newPage();
        await open(tree, 'scenario=galaxy&particles=2000&gravity=tree');
        expect(await tree.textContent('#backend')).toBe('webgpu');
        expect(await tree.textContent('#gravity')).toBe('Barnes–Hut tree, θ = 0.5');
        expect(await tree.getAttribute('#particles', 'max')).toBe('100000');
        await expectAdvancing(tree);
        await expectDrift(tree);
        await tree.screenshot({ path: `${RESULTS}galaxy-tree-webgpu.png` });
        await tree.close();

        // A system of rules written as math runs on WebGPU too (WGSL generated from the expressions).
        const fluid = await browser.context.newPage();
        await open(fluid, 'scenario=lennard-jones&particles=500');
        expect(await fluid.textContent('#backend')).toBe('webgpu');
        await expectAdvancing(fluid);
        await expectDrift(fluid);
        const temperature = Number(await fluid.textContent('[data-readout="temperature 2K/(3N−3)"]'));
        expect(temperature).toBeGreaterThan(0.3);
        expect(temperature).toBeLessThan(1.6);
        await fluid.screenshot({ path: `${RESULTS}lennard-jones-webgpu.png` });
      } finally {
        await browser.close();
      }
    });

    it('without WebGPU it falls back to the ts backend, says why, and advances', async () => {
      const browser = await launchChromium({ webgpu: false });
      try {
        const page = await browser.context.newPage();
        await open(page, 'scenario=collision-box&particles=400');
        expect(await page.textContent('#backend')).toBe('ts');
        // The reason is the webgpu probe's own words (no adapter), not a generic "unavailable".
        const why = (await page.textContent('#why')) ?? '';
        expect(why).toMatch(/^WebGPU is unavailable: /);
        expect(why).toMatch(/adapter/i);
        expect(await page.textContent('#backends')).toMatch(/ts: available/);
        expect(await page.textContent('#renderer')).toMatch(/^2D canvas, from a host copy/);
        expect(await page.isVisible('#view')).toBe(true);
        await expectAdvancing(page);
        await expectDrift(page);
        await page.screenshot({ path: `${RESULTS}ts-fallback.png` });

        // Pause holds the counter; Reset starts over from step 0 (still paused); Play resumes.
        await page.click('#play');
        await page.waitForTimeout(300);
        const paused = await steps(page);
        await page.waitForTimeout(500);
        expect(await steps(page)).toBe(paused);
        await page.click('#reset');
        await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.getElementById('steps')?.textContent === '0');
        await page.click('#play');
        await expectAdvancing(page);
      } finally {
        await browser.close();
      }
    });

    it('runs the granular scenario (soft-sphere contacts) on the ts fallback: the poured spheres fall into a pile', async () => {
      const browser = await launchChromium({ webgpu: false });
      const readout = async (page: Page, name: string) => Number(await page.textContent(`[data-readout="${name}"]`));
      try {
        const pile = await browser.context.newPage();
        await open(pile, 'scenario=granular');
        expect(await pile.textContent('#backend')).toBe('ts');
        expect(await pile.textContent('#summary')).toMatch(/: 200 particles, dt 0.0005$/);
        await expectAdvancing(pile);
        // From 13 loose layers to about 8 packed ones on the floor; the contacts keep overlaps shallow.
        await pile.waitForFunction(() => Number(document.querySelector('[data-readout="pile top y"]')?.textContent) < 10, null, {
          timeout: 90_000,
        });
        expect(await readout(pile, 'deepest overlap')).toBeLessThan(0.05);
        await pile.screenshot({ path: `${RESULTS}granular-ts.png` });
        // Pause, then Reset: back at step 0 the spheres hang on their lattice, 13 layers high.
        await pile.click('#play');
        await pile.click('#reset');
        await pile.waitForFunction(() => document.body.dataset.ready === 'true' && document.getElementById('steps')?.textContent === '0');
        expect(await readout(pile, 'pile top y')).toBeGreaterThan(19);
        expect(await readout(pile, 'deepest overlap')).toBe(0);
      } finally {
        await browser.close();
      }
    });

    it('runs the expression-rule scenarios (lennard-jones, springs) on the ts fallback with their live readouts', async () => {
      const browser = await launchChromium({ webgpu: false });
      const readout = async (page: Page, name: string) => Number(await page.textContent(`[data-readout="${name}"]`));
      /** Pause, then Reset: the page reloads the scenario at step 0 and shows the readouts of the start. */
      const pauseAndReset = async (page: Page) => {
        await page.click('#play');
        await page.click('#reset');
        await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.getElementById('steps')?.textContent === '0');
      };
      try {
        const fluid = await browser.context.newPage();
        // 300 is rounded to the nearest fcc box, 4·4³ = 256 atoms, and the summary says so.
        await open(fluid, 'scenario=lennard-jones&particles=300');
        expect(await fluid.textContent('#backend')).toBe('ts');
        expect(await fluid.textContent('#summary')).toMatch(/: 256 particles, dt 0.005$/);
        await expectAdvancing(fluid);
        await expectDrift(fluid);
        // The lattice melts: kinetic energy turns into potential energy and the temperature drops.
        await fluid.waitForFunction(() => Number(document.getElementById('steps')?.textContent) > 200, null, { timeout: 60_000 });
        await fluid.waitForFunction(
          () => Number(document.querySelector('[data-readout="temperature 2K/(3N−3)"]')?.textContent) < 1.3,
          null,
          { timeout: 60_000 },
        );
        await fluid.screenshot({ path: `${RESULTS}lennard-jones-ts.png` });
        await pauseAndReset(fluid);
        expect(await readout(fluid, 'temperature 2K/(3N−3)')).toBeCloseTo(1.44, 3);
        await fluid.close();

        const chain = await browser.context.newPage();
        await open(chain, 'scenario=springs');
        expect(await chain.textContent('#backend')).toBe('ts');
        expect(await chain.textContent('#summary')).toMatch(/: 41 particles, dt 0.002$/);
        await expectAdvancing(chain);
        // The V falls into a catenary and the drag takes the swing out of it: the kinetic energy
        // (1 at the start) falls, and the chain hangs below the pins, above the V's tip.
        await chain.waitForFunction(() => Number(document.querySelector('[data-readout="kinetic energy"]')?.textContent) < 0.1, null, {
          timeout: 60_000,
        });
        expect(await readout(chain, 'sag below the pins')).toBeGreaterThan(4);
        expect(await readout(chain, 'sag below the pins')).toBeLessThan(6);
        expect(await readout(chain, 'lowest point y')).toBeLessThan(-4);
        await chain.screenshot({ path: `${RESULTS}springs-ts.png` });
        await pauseAndReset(chain);
        expect(await readout(chain, 'lowest point y')).toBeCloseTo(-6, 4);
        expect(await readout(chain, 'kinetic energy')).toBeCloseTo(1, 4);
      } finally {
        await browser.close();
      }
    });
  },
);
