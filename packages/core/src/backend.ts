import type { Diagnostics } from './diagnostics.js';
import type { RuleKind } from './rules/index.js';
import type { ParticleState } from './state.js';
import type { SystemDefinition } from './system.js';

/** What `probe()` found: whether the backend can run on this machine, and why not. */
export interface ProbeResult {
  available: boolean;
  /** Why it cannot run (set when `available` is false). */
  reason?: string;
  /** What it found: CPU features, device name, adapter... */
  features?: string[];
  /**
   * The speed rank this backend deserves on this machine, when it differs from its static `speed`:
   * a WebGPU adapter that is a software rasterizer runs on the CPU and should not outrank native
   * CPU code.
   */
  speed?: number;
}

export interface BackendOptions {
  /** Step length, already validated (finite, > 0). */
  dt: number;
  /** Worker/OpenMP thread count; backends that ignore it run their own default. */
  threads?: number;
}

/**
 * A running simulation on one backend. Core validates every argument before calling these, so a
 * context may assume `n` is a non-negative integer and states are finite with positive masses.
 */
export interface BackendContext {
  /**
   * Advances `n` whole steps; state may stay resident (GPU) or be updated in place (CPU). `from` is
   * the simulation's step count before this call: step s of the call starts at time (from + s)·dt,
   * which rules that read `t` need (a context that never reads it may ignore the argument).
   */
  step(n: number, from?: number): void | Promise<void>;
  /** The current state on the host. May be the live state (CPU backends); core clones when it must. */
  read(): ParticleState | Promise<ParticleState>;
  /** Replaces the whole state (restore, rollback). The count may change. */
  write(state: ParticleState): void | Promise<void>;
  /**
   * Diagnostics of the current state (see `computeDiagnostics` for the definitions). `time` is the
   * simulation's current time, for potentials that read `t`.
   */
  diagnostics(time?: number): Diagnostics | Promise<Diagnostics>;
  /**
   * Optional, for backends whose state lives elsewhere (GPU memory): save the current state there,
   * and put it back. Core checkpoints before every `step` call and rolls back when a step throws
   * or diverges; without these it keeps a host copy made with `read()` and restores it with `write()`.
   */
  checkpoint?(): void | Promise<void>;
  rollback?(): void | Promise<void>;
  /**
   * Optional: the first particle index whose position or velocity is not finite, or −1, computed
   * where the state lives (natively, or on the GPU without reading the whole state back).
   */
  firstNonFinite?(): number | Promise<number>;
  /** Frees native / GPU resources and worker threads; must be safe to call twice. */
  dispose(): void | Promise<void>;
}

/**
 * What a backend implements beyond the rule kinds it lists, declared in `Backend.capabilities`:
 * - 'gravity:tree': pairwiseGravity evaluated by the Barnes–Hut tree (docs/physics.md "Gravity by
 *   tree"). Without it, selection refuses a system whose pairwiseGravity says `method: 'tree'`, and
 *   `method: 'auto'` runs all pairs there whatever the particle count.
 */
export const BACKEND_CAPABILITIES = ['gravity:tree'] as const;
export type BackendCapability = (typeof BACKEND_CAPABILITIES)[number];

/**
 * A backend: named, ranked by `speed` (cuda 100, webgpu 50, avx2 10, ts 1 — higher wins for
 * `auto`), with the rule kinds it implements.
 */
export interface Backend {
  readonly name: string;
  readonly speed: number;
  readonly rules: readonly RuleKind[];
  /** Options it implements beyond plain rule kinds (see BackendCapability); absent = none. */
  readonly capabilities?: readonly BackendCapability[];
  /** Whether it can run here. Cached by the registry; must not throw (a throw counts as unavailable). */
  probe(): Promise<ProbeResult>;
  create(system: SystemDefinition, state: ParticleState, options: BackendOptions): BackendContext | Promise<BackendContext>;
}

/** Official backend speeds (OpenMM style): used to rank `auto` and to know what was "expected". */
export const OFFICIAL_BACKENDS: readonly { name: string; pkg: string; speed: number }[] = [
  { name: 'cuda', pkg: '@brokenrecord/backend-cuda', speed: 100 },
  { name: 'webgpu', pkg: '@brokenrecord/backend-webgpu', speed: 50 },
  { name: 'avx2', pkg: '@brokenrecord/backend-avx2', speed: 10 },
  { name: 'ts', pkg: '@brokenrecord/backend-ts', speed: 1 },
];
