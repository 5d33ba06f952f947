import { probeBackend, registerBackend, type Backend } from '@brokenrecord/core';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { defineCases } from './cases/index.js';
import { createSuiteContext, type ExtraSimulationOptions } from './context.js';

export interface ConformanceSuiteOptions {
  /** The backend under test. */
  backend: Backend;
  /** The backend every result is checked against (the TypeScript backend). May be `backend` itself. */
  reference: Backend;
  /** Extra createSimulation options for every simulation on `backend`, e.g. `{ threads: 2 }`. */
  options?: ExtraSimulationOptions;
  /** Tells several instantiations in one project apart (e.g. "2 threads"). */
  label?: string;
}

/** Backend names listed in BROKENRECORD_REQUIRE (comma-separated): for these, unavailability is a failure. */
export function requiredBackends(env: Record<string, string | undefined> = process.env): string[] {
  return (env.BROKENRECORD_REQUIRE ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Defines the conformance suite for one backend as vitest `describe` blocks; call it at the top
 * level of a test file. The backend is probed while vitest collects the file, so an unavailable
 * backend shows every case as skipped (with the probe's reason printed), unless
 * BROKENRECORD_REQUIRE names it, in which case one test fails with the reason.
 */
export function defineConformanceSuite(config: ConformanceSuiteOptions): void {
  const { backend, reference, options = {}, label } = config;
  if (!backend || !reference) throw new TypeError('defineConformanceSuite needs { backend, reference }');
  registerBackend(backend);
  if (reference !== backend) registerBackend(reference);
  const title = `conformance: ${backend.name}${label ? ` (${label})` : ''}`;

  describe(title, async () => {
    const probe = await probeBackend(backend);
    const reason = probe.reason ?? 'unavailable';
    if (!probe.available) {
      if (requiredBackends().includes(backend.name)) {
        it(`backend '${backend.name}' is available (BROKENRECORD_REQUIRE lists it)`, () => {
          throw new Error(`backend '${backend.name}' is required by BROKENRECORD_REQUIRE but is unavailable: ${reason}`);
        });
      } else {
        console.warn(`[conformance] skipping every case for backend '${backend.name}': ${reason}`);
      }
    }

    const referenceProbe = await probeBackend(reference);
    if (probe.available && !referenceProbe.available) {
      console.warn(`[conformance] reference backend '${reference.name}' is unavailable, agreement cases skipped: ${referenceProbe.reason}`);
    }

    describe.skipIf(!probe.available)('cases', () => {
      const ctx = createSuiteContext(backend, reference, options);
      // BROKENRECORD_BACKEND overrides every backend request; the suite must test the backend it was
      // given, so the override is lifted while it runs.
      let override: string | undefined;
      beforeAll(() => {
        override = process.env.BROKENRECORD_BACKEND;
        delete process.env.BROKENRECORD_BACKEND;
      });
      afterAll(() => {
        if (override !== undefined) process.env.BROKENRECORD_BACKEND = override;
      });
      afterEach(() => ctx.disposeAll());
      defineCases(ctx, { referenceAvailable: referenceProbe.available });
    });
  });
}
