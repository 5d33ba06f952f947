import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BackendUnavailableError,
  collisions,
  createSimulation,
  defineSystem,
  getRegisteredBackends,
  listBackends,
  ParticleState,
  registerBackend,
  resetRegistryForTests,
  uniformGravity,
  unregisterBackend,
  ValidationError,
} from '../src/index.js';
import { fakeBackend } from './fake-backend.js';

const system = defineSystem({ rules: [uniformGravity()] });
const state = () => ParticleState.from({ position: [[0, 0, 0]], mass: [1] });

beforeEach(() => {
  for (const b of getRegisteredBackends()) unregisterBackend(b.name);
  resetRegistryForTests();
  delete process.env.BROKENRECORD_BACKEND;
});
afterEach(() => vi.restoreAllMocks());

describe('backend selection', () => {
  it('auto picks the fastest available backend that implements every rule', async () => {
    registerBackend(fakeBackend('ts', 1, { available: true }, ['uniformGravity', 'collisions']));
    registerBackend(fakeBackend('avx2', 10, { available: true }, ['uniformGravity']));
    registerBackend(fakeBackend('cuda', 100, { available: false, reason: 'no device' }));
    expect((await createSimulation({ system, state: state(), dt: 0.1 })).backend).toBe('avx2');
    const withCollisions = defineSystem({ rules: [uniformGravity(), collisions()] });
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect((await createSimulation({ system: withCollisions, state: state(), dt: 0.1 })).backend).toBe('ts');
  });

  it('ranks by the speed a probe reports for this machine (a software GPU below native CPU code)', async () => {
    registerBackend(fakeBackend('webgpu', 50, { available: true, speed: 5 }));
    registerBackend(fakeBackend('avx2', 10, { available: true }));
    expect((await createSimulation({ system, state: state(), dt: 0.1 })).backend).toBe('avx2');
    expect((await listBackends()).find((b) => b.name === 'webgpu')?.speed).toBe(5);
  });

  it('warns once, with reasons, when auto falls back to ts', async () => {
    registerBackend(fakeBackend('ts', 1, { available: true }));
    registerBackend(fakeBackend('avx2', 10, { available: false, reason: 'no AVX2 on this CPU' }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await createSimulation({ system, state: state(), dt: 0.1 });
    await createSimulation({ system, state: state(), dt: 0.1 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toContain('no AVX2 on this CPU');
  });

  it('does not warn when ts is the only backend there is', async () => {
    registerBackend(fakeBackend('ts', 1, { available: true }));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await createSimulation({ system, state: state(), dt: 0.1 });
    expect(warn).not.toHaveBeenCalled();
  });

  it('a forced unavailable backend throws with every reason', async () => {
    registerBackend(fakeBackend('cuda', 100, { available: false, reason: 'no CUDA device' }));
    registerBackend(fakeBackend('webgpu', 50, { available: false, reason: 'no adapter' }));
    const error = await createSimulation({ system, state: state(), dt: 0.1, backend: ['cuda', 'webgpu', 'nope'] }).catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.reasons.map((r: { name: string }) => r.name)).toEqual(['cuda', 'webgpu', 'nope']);
    expect(error.message).toContain('no CUDA device');
    expect(error.message).toContain('no adapter');
  });

  it('a list tries names in order', async () => {
    registerBackend(fakeBackend('ts', 1, { available: true }));
    registerBackend(fakeBackend('cuda', 100, { available: false, reason: 'x' }));
    expect((await createSimulation({ system, state: state(), dt: 0.1, backend: ['cuda', 'ts'] })).backend).toBe('ts');
  });

  it('BROKENRECORD_BACKEND overrides the request', async () => {
    registerBackend(fakeBackend('ts', 1, { available: true }));
    registerBackend(fakeBackend('avx2', 10, { available: true }));
    process.env.BROKENRECORD_BACKEND = 'ts';
    expect((await createSimulation({ system, state: state(), dt: 0.1, backend: 'avx2' })).backend).toBe('ts');
  });

  it('a probe that throws is a reason, not a crash', async () => {
    const b = fakeBackend('bad', 5, { available: true });
    b.probe = async () => {
      throw new Error('SIGILL in child');
    };
    registerBackend(b);
    const list = await listBackends();
    expect(list.find((x) => x.name === 'bad')).toMatchObject({ available: false, reason: expect.stringContaining('SIGILL') });
  });

  it('listBackends names official packages that are not installed', async () => {
    registerBackend(fakeBackend('ts', 1, { available: true }));
    const list = await listBackends();
    expect(list.map((b) => b.name)).toEqual(['cuda', 'webgpu', 'avx2', 'ts']);
    expect(list.find((b) => b.name === 'cuda')?.reason).toMatch(/not installed/);
  });

  it('rejects malformed backends and requests', async () => {
    expect(() => registerBackend({ name: 'x' } as never)).toThrow(ValidationError);
    registerBackend(fakeBackend('ts', 1, { available: true }));
    await expect(createSimulation({ system, state: state(), dt: 0.1, backend: 7 as never })).rejects.toThrow(ValidationError);
  });
});
