import { RULE_KINDS } from '@brokenrecord/core';
import { requiredBackends } from '@brokenrecord/conformance';
import { describe, expect, it } from 'vitest';
import { webgpuBackend } from '../dist/index.js';

/**
 * Where a GPU driver was set up for these tests (VK_ICD_FILENAMES, e.g. the lavapipe unpacked by
 * scripts/install-lavapipe.sh), or BROKENRECORD_REQUIRE names the backend, an unavailable probe is
 * a broken setup: this fails instead of letting every case skip.
 */
const driverConfigured = Boolean(process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES);
const mustRun = driverConfigured || requiredBackends().includes('webgpu');

describe('webgpu probe', () => {
  it.runIf(mustRun)('finds an adapter whose limits suffice and compiles every kernel', async () => {
    const probe = await webgpuBackend.probe();
    expect(probe.reason, 'probe reason').toBeUndefined();
    expect(probe.available).toBe(true);
    expect(probe.features?.some((f) => f.startsWith('adapter: '))).toBe(true);
    const max = Number(probe.features?.find((f) => f.startsWith('max particles: '))?.slice('max particles: '.length));
    expect(max).toBeGreaterThan(1_000_000);
  });

  it('declares the rule kinds of its kernel table, speed 50 and never throws from probe()', async () => {
    expect(webgpuBackend.name).toBe('webgpu');
    expect(webgpuBackend.speed).toBe(50);
    // Every kind core knows today has a kernel here (kernel-kinds.ts); the list is that table's.
    expect([...webgpuBackend.rules].sort()).toEqual([...RULE_KINDS].sort());
    const probe = await webgpuBackend.probe();
    expect(typeof probe.available).toBe('boolean');
    if (!probe.available) expect(probe.reason).toMatch(/\S/);
  });
});
