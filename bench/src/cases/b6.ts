/**
 * B6: gravity at scale. A Plummer sphere (Hénon units, ε = 0.01, verlet, dt = 1/256) of 1,000,000
 * bodies on avx2 and cuda and 100,000 on ts and webgpu, stepped with the Barnes–Hut tree (θ = 0.5)
 * beside direct summation. Direct summation is measured at a smaller N on the same backend and
 * scaled to the row's N as N² (printed as such): at a million bodies it would take minutes per
 * step. Beside each tree speed: the median and 99th-percentile relative force error against the
 * float64 direct sum on a sample of particles, read through the public API (one Euler step from
 * rest with dt = 2⁻¹⁰ stores v = a·dt).
 */
import { performance } from 'node:perf_hooks';
import {
  BackendUnavailableError,
  createSimulation,
  defineSystem,
  listBackends,
  pairwiseGravity,
  type ParticleState,
} from '@brokenrecord/core';
import { plummerState } from '../plummer.js';
import { errorMessage } from '../runner.js';
import type { Size } from './case.js';

const SOFTENING = 0.01;
const THETA = 0.5;
const DT = 1 / 256;
const SEED = 6;

export interface B6Row {
  backend: string;
  /** The GPU the row ran on, from the probe ('adapter: …'): a software adapter (lavapipe) is named as such. */
  device?: string;
  threads?: number;
  n: number;
  status: 'ok' | 'n/a' | 'failed';
  reason?: string;
  treeStepsPerSecond?: number;
  /** Process CPU time (every thread) per tree step: what the step costs whatever else the machine runs. */
  treeCpuSecondsPerStep?: number;
  directStepsPerSecond?: number;
  directMeasuredAt?: number;
  medianError?: number;
  p99Error?: number;
  sampled?: number;
  target?: string;
  met?: boolean;
}

interface RowPlan {
  backend: string;
  threads?: number;
  n: number;
  directN: number;
  /** Tree steps per second the issue asks of this backend at n, if it states a target (cuda: on a GPU, where alone it is available). */
  target?: number;
}

function plans(size: Size): RowPlan[] {
  const big = size === 'quick' ? 100_000 : 1_000_000;
  const small = size === 'quick' ? 20_000 : 100_000;
  return [
    { backend: 'ts', threads: 1, n: small, directN: 4096 },
    { backend: 'ts', threads: 2, n: small, directN: 4096, target: 1 },
    { backend: 'avx2', n: big, directN: 32_768, target: 1 },
    { backend: 'webgpu', n: small, directN: 16_384 },
    { backend: 'cuda', n: big, directN: 65_536, target: 20 },
  ];
}

async function simulation(
  backend: string,
  threads: number | undefined,
  state: ParticleState,
  method: 'tree' | 'direct',
  integrator: 'verlet' | 'euler',
  dt: number,
) {
  const system = defineSystem({ integrator, rules: [pairwiseGravity({ G: 1, softening: SOFTENING, method, theta: THETA })] });
  return createSimulation({ system, state, dt, backend, ...(threads ? { threads } : {}) });
}

/**
 * Steps per second: one warm-up step (the first verlet step evaluates forces twice), then the
 * median of `repeats` timed calls; beside it the median process CPU time per step.
 */
async function stepsPerSecond(
  backend: string,
  threads: number | undefined,
  state: ParticleState,
  method: 'tree' | 'direct',
  repeats: number,
): Promise<{ rate: number; cpu: number }> {
  const sim = await simulation(backend, threads, state, method, 'verlet', DT);
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
  try {
    await sim.step(1);
    const rates: number[] = [];
    const cpu: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const started = performance.now();
      const before = process.cpuUsage();
      await sim.step(1);
      const used = process.cpuUsage(before);
      rates.push(1000 / (performance.now() - started));
      cpu.push((used.user + used.system) / 1e6);
    }
    return { rate: median(rates), cpu: median(cpu) };
  } finally {
    sim.dispose();
  }
}

/** Relative tree force errors at `sample` evenly spaced particles against the float64 direct sum. */
async function forceErrors(backend: string, threads: number | undefined, start: ParticleState, sample: number): Promise<number[]> {
  const state = start.clone();
  state.vx.fill(0);
  state.vy.fill(0);
  state.vz.fill(0);
  const dt = 2 ** -10;
  const sim = await simulation(backend, threads, state, 'tree', 'euler', dt);
  let end: ParticleState;
  try {
    await sim.step(1);
    end = (await sim.read()).clone();
  } finally {
    sim.dispose();
  }
  const { px, py, pz, mass } = start;
  const n = start.count;
  const eps2 = SOFTENING * SOFTENING;
  const stride = Math.max(1, Math.floor(n / sample));
  const errors: number[] = [];
  for (let i = 0; i < n; i += stride) {
    let ax = 0,
      ay = 0,
      az = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = px[j] - px[i],
        dy = py[j] - py[i],
        dz = pz[j] - pz[i];
      const r2 = dx * dx + dy * dy + dz * dz + eps2;
      const w = mass[j] / (r2 * Math.sqrt(r2));
      ax += dx * w;
      ay += dy * w;
      az += dz * w;
    }
    const err = Math.hypot(end.vx[i] / dt - ax, end.vy[i] / dt - ay, end.vz[i] / dt - az) / Math.hypot(ax, ay, az);
    errors.push(err);
  }
  return errors.sort((a, b) => a - b);
}

async function measureRow(plan: RowPlan, size: Size): Promise<B6Row> {
  const { backend, threads, n } = plan;
  const row: B6Row = { backend, ...(threads ? { threads } : {}), n, status: 'ok' };
  const repeats = size === 'quick' ? 2 : 3;
  try {
    const state = plummerState(n, SEED);
    const tree = await stepsPerSecond(backend, threads, state.clone(), 'tree', repeats);
    row.treeStepsPerSecond = tree.rate;
    row.treeCpuSecondsPerStep = tree.cpu;
    const direct = await stepsPerSecond(backend, threads, plummerState(plan.directN, SEED), 'direct', repeats);
    row.directMeasuredAt = plan.directN;
    row.directStepsPerSecond = direct.rate * (plan.directN / n) ** 2;
    const sample = size === 'quick' ? 128 : n >= 1_000_000 ? 256 : 1024;
    const errors = await forceErrors(backend, threads, state, sample);
    row.sampled = errors.length;
    row.medianError = errors[errors.length >> 1];
    row.p99Error = errors[Math.min(errors.length - 1, Math.ceil(0.99 * errors.length) - 1)];
    // Targets are stated at the full sizes: --quick's smaller N is not judged.
    if (plan.target !== undefined && size === 'full') {
      row.target = `≥ ${plan.target} steps/s, median error ≤ 1e-3`;
      row.met = row.treeStepsPerSecond >= plan.target && row.medianError <= 1e-3;
    }
  } catch (error) {
    row.status = error instanceof BackendUnavailableError ? 'n/a' : 'failed';
    row.reason = errorMessage(error);
  }
  return row;
}

export async function runB6(size: Size): Promise<{ rows: B6Row[]; text: string }> {
  const infos = await listBackends();
  const rows: B6Row[] = [];
  for (const plan of plans(size)) {
    const info = infos.find((b) => b.name === plan.backend);
    const label = `${plan.backend}${plan.threads ? `, ${plan.threads} thread${plan.threads > 1 ? 's' : ''}` : ''}`;
    if (!info?.available) {
      rows.push({ backend: plan.backend, n: plan.n, status: 'n/a', reason: info?.reason ?? 'not registered' });
      continue;
    }
    if (!info.capabilities.includes('gravity:tree')) {
      rows.push({ backend: plan.backend, n: plan.n, status: 'n/a', reason: "does not declare 'gravity:tree' yet" });
      continue;
    }
    process.stderr.write(`  B6: ${label}, N = ${plan.n} ... `);
    const row = await measureRow(plan, size);
    const adapter = info.features.find((f) => f.startsWith('adapter: '));
    if (adapter) row.device = adapter.slice('adapter: '.length);
    process.stderr.write(`${row.status}\n`);
    rows.push(row);
  }
  return { rows, text: render(rows) };
}

/** A GPU's name short enough for the table: the software rasterisers by name (the JSON keeps the whole description). */
function shortDevice(device: string): string {
  const software = /llvmpipe|lavapipe|swiftshader/i.exec(device);
  const base = software ? software[0].toLowerCase() : device.split(':')[0].slice(0, 40);
  return /\(software\)/.test(device) ? `${base}, software` : base;
}

function render(rows: B6Row[]): string {
  const lines = [
    `B6: Plummer sphere (Hénon units, ε = ${SOFTENING}, verlet, dt = 1/256), Barnes–Hut tree θ = ${THETA} beside direct summation`,
  ];
  const header = [
    'backend',
    'N',
    'tree steps/s',
    'CPU s/step',
    'direct steps/s (scaled N²)',
    'tree speed-up',
    'force error median / p99',
    'target',
  ];
  const name = (r: B6Row) => `${r.backend}${r.threads ? ` ×${r.threads}` : ''}${r.device ? ` (${shortDevice(r.device)})` : ''}`;
  const body: string[][] = rows.flatMap((r) => {
    if (r.status !== 'ok') return [];
    const met = r.met ? 'met' : 'NOT met';
    return [
      [
        name(r),
        r.n.toLocaleString('en-US'),
        r.treeStepsPerSecond!.toPrecision(3),
        r.treeCpuSecondsPerStep!.toPrecision(3),
        `${r.directStepsPerSecond!.toExponential(2)} (measured at N = ${r.directMeasuredAt!.toLocaleString('en-US')})`,
        `${(r.treeStepsPerSecond! / r.directStepsPerSecond!).toPrecision(3)}×`,
        `${r.medianError!.toExponential(2)} / ${r.p99Error!.toExponential(2)} (${r.sampled} sampled)`,
        r.target ? `${r.target}: ${met}` : '',
      ],
    ];
  });
  const widths = header.map((h, k) => Math.max(h.length, ...body.map((b) => b[k].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => c.padEnd(widths[k]))
      .join('  ')
      .trimEnd();
  lines.push(line(header), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const b of body) lines.push(line(b));
  // Rows without figures say why, outside the columns (a long reason would stretch them).
  for (const r of rows)
    if (r.status !== 'ok')
      lines.push(`${name(r).padEnd(widths[0])}  ${r.n.toLocaleString('en-US').padEnd(widths[1])}  ${r.status}: ${r.reason}`);
  lines.push(
    'direct steps/s: measured on the same backend at the smaller N shown and scaled by (N_small / N)²; force errors: |a_tree − a_direct| / |a_direct| against the float64 direct sum;',
    'CPU s/step: process CPU time of one tree step, every thread (on a busy machine steps/s falls with its share of the cores, this much less so).',
  );
  return lines.join('\n');
}
