import {
  computeDiagnostics,
  type Backend,
  type BackendContext,
  type ParticleState,
  type ProbeResult,
  type RuleKind,
  type SystemDefinition,
} from '../src/index.js';

/**
 * A minimal in-place backend for core's own tests: semi-implicit Euler with uniform gravity only.
 * `failAtStep` makes step() throw when it reaches that step (a device error stand-in).
 */
export function fakeBackend(name: string, speed: number, probe: ProbeResult, rules: RuleKind[] = ['uniformGravity']) {
  const created: string[] = [];
  const backend: Backend & { created: string[]; failAtStep?: number } = {
    name,
    speed,
    rules,
    created,
    probe: async () => probe,
    create(system: SystemDefinition, state: ParticleState, { dt }): BackendContext {
      created.push(name);
      let steps = 0;
      const g = system.rules.find((r) => r.kind === 'uniformGravity')?.options.g ?? [0, 0, 0];
      return {
        step(n) {
          for (let s = 0; s < n; s++) {
            if (backend.failAtStep !== undefined && steps + 1 === backend.failAtStep) throw new Error('device lost');
            for (let i = 0; i < state.count; i++) {
              state.vx[i] += g[0] * dt;
              state.vy[i] += g[1] * dt;
              state.vz[i] += g[2] * dt;
              state.px[i] += state.vx[i] * dt;
              state.py[i] += state.vy[i] * dt;
              state.pz[i] += state.vz[i] * dt;
            }
            steps++;
          }
        },
        read: () => state,
        write: (s) => state.copyFrom(s),
        diagnostics: () => computeDiagnostics(state, system),
        dispose() {},
      };
    },
  };
  return backend;
}
