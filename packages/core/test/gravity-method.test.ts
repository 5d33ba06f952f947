import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BackendUnavailableError,
  compileKernelPlan,
  computeDiagnostics,
  createSimulation,
  DEFAULT_GRAVITY_THETA,
  defineSystem,
  getRegisteredBackends,
  GRAVITY_TREE_MIN_COUNT,
  listBackends,
  missingCapabilities,
  pairwiseGravity,
  ParticleState,
  registerBackend,
  resetRegistryForTests,
  unregisterBackend,
  usesGravityTree,
  ValidationError,
} from '../src/index.js';
import { fakeBackend } from './fake-backend.js';

const state = () =>
  ParticleState.from({
    position: [
      [0, 0, 0],
      [1, 0, 0],
    ],
    mass: [1, 2],
  });

describe('pairwiseGravity method and theta', () => {
  it('defaults to auto with theta 0.5 and validates both', () => {
    expect(pairwiseGravity().options).toEqual({ G: 1, softening: 0, method: 'auto', theta: DEFAULT_GRAVITY_THETA });
    expect(DEFAULT_GRAVITY_THETA).toBe(0.5);
    expect(pairwiseGravity({ method: 'tree', theta: 1 }).options.theta).toBe(1);
    for (const theta of [0, -0.1, 1.0001, NaN, Infinity]) {
      expect(() => pairwiseGravity({ theta })).toThrow(ValidationError);
    }
    const bad = (() => {
      try {
        pairwiseGravity({ method: 'fmm' as never });
      } catch (e) {
        return e as ValidationError;
      }
      return null;
    })();
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad?.field).toBe('pairwiseGravity.method');
    expect(() => pairwiseGravity({ theta: '0.5' as never })).toThrow(ValidationError);
  });

  it('puts method and theta in the plan terms, as given', () => {
    const system = defineSystem({ rules: [pairwiseGravity({ G: 2, softening: 0.5, method: 'tree', theta: 0.3 })] });
    const plan = compileKernelPlan(system, 0.1);
    expect(plan.pairwise).toEqual([{ G: 2, eps2: 0.25, method: 'tree', theta: 0.3 }]);
    expect(plan.potentials).toEqual([{ kind: 'pairwise', G: 2, eps2: 0.25, method: 'tree', theta: 0.3 }]);
  });

  it('usesGravityTree resolves auto at GRAVITY_TREE_MIN_COUNT', () => {
    expect(usesGravityTree({ method: 'auto' }, GRAVITY_TREE_MIN_COUNT - 1)).toBe(false);
    expect(usesGravityTree({ method: 'auto' }, GRAVITY_TREE_MIN_COUNT)).toBe(true);
    expect(usesGravityTree({ method: 'tree' }, 2)).toBe(true);
    expect(usesGravityTree({ method: 'direct' }, 10 ** 7)).toBe(false);
  });

  it('diagnostics take a backend-computed energy for a rule in place of the reference', () => {
    const system = defineSystem({ rules: [pairwiseGravity({ softening: 0 })] });
    expect(computeDiagnostics(state(), system).potential).toBe(-2);
    expect(computeDiagnostics(state(), system, 0, new Map([[0, -1.5]])).potential).toBe(-1.5);
  });
});

describe("selection of a backend for method 'tree'", () => {
  beforeEach(() => {
    for (const b of getRegisteredBackends()) unregisterBackend(b.name);
    resetRegistryForTests();
    delete process.env.BROKENRECORD_BACKEND;
  });
  afterEach(() => vi.restoreAllMocks());

  const plain = () => fakeBackend('plain', 10, { available: true }, ['pairwiseGravity']);
  const tree = () =>
    Object.assign(fakeBackend('treed', 1, { available: true }, ['pairwiseGravity']), { capabilities: ['gravity:tree'] as const });

  it("refuses a backend without 'gravity:tree' by name, with the reason", async () => {
    registerBackend(plain());
    const system = defineSystem({ rules: [pairwiseGravity({ method: 'tree', softening: 0.1 })] });
    expect(missingCapabilities(plain(), system)).toEqual(["pairwiseGravity method 'tree' (capability 'gravity:tree')"]);
    const error = await createSimulation({ system, state: state(), dt: 0.1, backend: 'plain' }).catch((e) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.reasons).toEqual([
      { name: 'plain', reason: "does not implement pairwiseGravity method 'tree' (capability 'gravity:tree')" },
    ]);
  });

  it("auto selection skips it for 'tree' and keeps it for 'auto' and 'direct'", async () => {
    registerBackend(plain());
    registerBackend(tree());
    const forTree = defineSystem({ rules: [pairwiseGravity({ method: 'tree', softening: 0.1 })] });
    expect((await createSimulation({ system: forTree, state: state(), dt: 0.1 })).backend).toBe('treed');
    for (const method of ['auto', 'direct'] as const) {
      const system = defineSystem({ rules: [pairwiseGravity({ method, softening: 0.1 })] });
      expect(missingCapabilities(plain(), system)).toEqual([]);
      expect((await createSimulation({ system, state: state(), dt: 0.1 })).backend).toBe('plain');
    }
  });

  it('listBackends reports capabilities', async () => {
    registerBackend(plain());
    registerBackend(tree());
    const infos = await listBackends();
    expect(infos.find((b) => b.name === 'treed')?.capabilities).toEqual(['gravity:tree']);
    expect(infos.find((b) => b.name === 'plain')?.capabilities).toEqual([]);
  });
});
