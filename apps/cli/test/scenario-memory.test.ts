import { describe, expect, it } from 'vitest';
import { SCENARIOS, SeededRandom } from '../dist/scenarios/index.js';

/**
 * Scenarios write their particles straight into the state's columns: building one of a million
 * particles takes the columns (off the JS heap) and a few float64 arrays at most, never a JS array
 * (or two) per particle, which for the counts the CLI accepts exhausted the heap.
 */
describe('scenario states for large counts', () => {
  for (const scenario of SCENARIOS.filter((s) => !s.fixedParticles)) {
    it(`${scenario.name}: 1,000,000 particles without per-particle JS arrays`, () => {
      const n = 1_000_000;
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      const state = scenario.state({ particles: n, integrator: scenario.defaults.integrator, random: new SeededRandom(1) });
      const grown = process.memoryUsage().heapUsed - before;
      expect(state.count).toBeGreaterThanOrEqual(n);
      // Nested [x, y, z] arrays for position and velocity alone would be ~2 × 1e6 × 56 bytes.
      expect(grown, `heap grew by ${(grown / 2 ** 20).toFixed(1)} MiB`).toBeLessThan(40 * 2 ** 20);
    });
  }
});
