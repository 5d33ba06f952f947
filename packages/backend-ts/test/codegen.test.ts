import { describe, expect, it } from 'vitest';
import { checkState, createSimulation, defineSystem, externalForce, pairForce, periodic, ParticleState } from '@brokenrecord/core';
import { codegenStats, tsBackend } from '../dist/index.js';
import { createContext } from './helpers.js';
import { cloud } from './scenes.js';

const rules = () => [
  pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5 }),
  externalForce({ energy: '0.1*z^2' }),
  periodic({ min: [0, 0, 0], max: [9, 9, 9] }),
];

describe('code generation', () => {
  it('compiles a system once: a second simulation of it, or of an equal system, reuses the generated kernels', async () => {
    const system = defineSystem({ integrator: 'verlet', rules: [...rules(), externalForce({ energy: '0.0123*x' })] });
    const before = { ...codegenStats };
    const a = await createContext(system, cloud(30, 9, 1), { dt: 0.01 });
    expect(codegenStats.generated).toBe(before.generated + 1);
    const b = await createContext(system, cloud(40, 9, 2), { dt: 0.02 });
    const equal = defineSystem({ integrator: 'verlet', rules: [...rules(), externalForce({ energy: '0.0123*x' })] });
    const c = await createContext(equal, cloud(30, 9, 3), { dt: 0.01 });
    expect(codegenStats.generated).toBe(before.generated + 1);
    expect(codegenStats.reused).toBe(before.reused + 2);
    expect(b.generatedSource).toBe(a.generatedSource);
    expect(c.generatedSource).toBe(a.generatedSource);
    // The interpreter of the same system is built once too.
    await createContext(system, cloud(30, 9, 1), { dt: 0.01, codegen: 'interpreter' });
    await createContext(system, cloud(30, 9, 1), { dt: 0.01, codegen: 'interpreter' });
    expect(codegenStats.interpreted).toBe(before.interpreted + 1);
    expect(codegenStats.generated).toBe(before.generated + 1);
  });

  it('says which way the expression rules run, and runs none for preset-only systems', async () => {
    const system = defineSystem({ rules: rules() });
    const js = await createContext(system, cloud(10, 9, 4), { dt: 0.01 });
    const interpreted = await createContext(system, cloud(10, 9, 4), { dt: 0.01, codegen: 'interpreter' });
    expect(js.codegen).toBe('js');
    expect(interpreted.codegen).toBe('interpreter');
    expect(interpreted.generatedSource).toBeNull();
    const presets = await createContext(defineSystem({ rules: [] }), ParticleState.create(3), { dt: 0.01 });
    expect(presets.codegen).toBeNull();
    expect((await tsBackend.probe()).features).toContain('codegen:js');
  });

  it('runs expression rules through createSimulation, conserving the energy of a shifted Lennard-Jones gas', async () => {
    const system = defineSystem({
      integrator: 'verlet',
      rules: [pairForce({ energy: '4*((1/r)^12 - (1/r)^6)', cutoff: 2.5, shift: true }), periodic({ min: [0, 0, 0], max: [9, 9, 9] })],
    });
    const state = cloud(50, 9, 5);
    checkState(state, system);
    const sim = await createSimulation({ system, state, dt: 0.005, backend: 'ts' });
    const before = (await sim.diagnostics()).total;
    await sim.step(50);
    const after = (await sim.diagnostics()).total;
    expect(Math.abs(after - before) / Math.abs(before)).toBeLessThan(1e-3);
    sim.dispose();
  });
});
