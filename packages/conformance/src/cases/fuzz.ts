import {
  BrokenRecordError,
  bounds,
  collisions,
  COLUMNS,
  createSimulation,
  defineSystem,
  drag,
  pairwiseGravity,
  ParticleState,
  resumeSimulation,
  SimulationDivergedError,
  uniformGravity,
  ValidationError,
  type Rule,
  type RuleKind,
  type Simulation,
  type SystemDefinition,
} from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { SLOW_CASE_TIMEOUT, type SuiteContext } from '../context.js';
import { Random } from '../helpers/random.js';
import { watchUnhandledRejections } from '../helpers/unhandled.js';
import { expressionFuzzCases } from './fuzz-expressions.js';

/**
 * What the fuzz needs from Node (a scratch folder, /proc figures, a forced gc), loaded only in
 * Node: the suite also runs in a browser page, where files are unavailable on both sides alike
 * (core's save fails with SnapshotError everywhere) and the figures are not measured.
 */
interface NodeSide {
  scratch(): string;
  remove(path: string): void;
  exists(path: string): boolean;
  figures(gc: boolean): { threads: number; rss: number; heap: number } | null;
  join(...parts: string[]): string;
}

async function nodeSide(): Promise<NodeSide | null> {
  const versions = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions;
  if (!versions?.node) return null;
  const load = (specifier: string) => import(/* @vite-ignore */ specifier);
  const [fs, os, path, v8, vm] = await Promise.all(['node:fs', 'node:os', 'node:path', 'node:v8', 'node:vm'].map(load));
  const collectGarbage = () => {
    try {
      v8.setFlagsFromString('--expose-gc');
      (vm.runInNewContext('gc') as () => void)();
    } catch {
      // No gc to call: the figures include garbage, which the bounds allow for.
    }
  };
  return {
    scratch: () => fs.mkdtempSync(path.join(os.tmpdir(), 'brokenrecord-fuzz-')),
    remove: (p) => fs.rmSync(p, { recursive: true, force: true }),
    exists: (p) => fs.existsSync(p),
    join: (...parts) => path.join(...parts),
    // Threads, resident memory and live JS heap of this process (Linux /proc), or null elsewhere.
    figures: (gc) => {
      if (!fs.existsSync('/proc/self/status')) return null;
      if (gc) collectGarbage();
      const status = fs.readFileSync('/proc/self/status', 'utf8') as string;
      const threads = Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
      const rss = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
      return Number.isFinite(threads) && Number.isFinite(rss) ? { threads, rss, heap: process.memoryUsage().heapUsed } : null;
    },
  };
}

/**
 * Differential fuzz: seeded random sequences of valid and invalid calls (create with good and bad
 * options, step with random counts, add/remove, edits of the live columns, exotic overrides,
 * snapshot/restore, corrupt bytes, saves to bad paths, aborted signals, dispose at random points)
 * run on the backend under test and on the reference side by side. After every call both give
 * the same result (states within AGREEMENT of each other, same step count) or the same typed
 * error (class, code, field); nothing is an untyped error, nothing is an unhandled rejection, and
 * over all sequences the process's thread count and memory stay within generous bounds.
 *
 * BROKENRECORD_FUZZ_SEED sets the seed (printed with every failure and at the end; 'random' picks
 * one), BROKENRECORD_FUZZ_SEQUENCES the number of sequences, BROKENRECORD_FUZZ_SECONDS a time cap.
 */
const DEFAULT_SEED = 20261201;
const AGREEMENT = 1e-5;
/** Generous bounds on growth over the run, measured after a warm-up (first sequences). */
export const FUZZ_THREAD_GROWTH = 8;
export const FUZZ_RSS_GROWTH_BYTES = 256 * 2 ** 20;
export const FUZZ_HEAP_GROWTH_BYTES = 64 * 2 ** 20;

function fuzzSettings(env = process.env): { seed: number; sequences: number; seconds: number } {
  const raw = env.BROKENRECORD_FUZZ_SEED;
  const seed = raw === 'random' ? Date.now() % 2 ** 31 : raw ? Number(raw) : DEFAULT_SEED;
  const sequences = Number(env.BROKENRECORD_FUZZ_SEQUENCES ?? 300);
  const seconds = Number(env.BROKENRECORD_FUZZ_SECONDS ?? 12);
  if (!Number.isInteger(seed) || !(sequences >= 1) || !(seconds > 0)) {
    throw new TypeError('BROKENRECORD_FUZZ_SEED must be an integer or "random"; _SEQUENCES ≥ 1; _SECONDS > 0');
  }
  return { seed, sequences, seconds };
}

type Outcome = { ok: true; value?: unknown } | { ok: false; error: string; code: string; field?: string; detail: string };

/** What a call did, with any error reduced to what must agree: class, code, field (and divergence step/particle). */
async function outcome(call: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    if (!(error instanceof BrokenRecordError) || typeof error.code !== 'string') {
      const what = error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
      throw new Error(`untyped error left the API: ${what}`, { cause: error });
    }
    const field =
      error instanceof ValidationError
        ? error.field
        : error instanceof SimulationDivergedError
          ? `step ${error.step} particle ${error.particle}`
          : undefined;
    return { ok: false, error: error.constructor.name, code: error.code, ...(field === undefined ? {} : { field }), detail: error.message };
  }
}

function sameOutcome(got: Outcome, want: Outcome, what: string): void {
  const brief = (o: Outcome) => (o.ok ? 'ok' : `${o.error}(${o.code}${o.field ? `, ${o.field}` : ''})`);
  if (brief(got) !== brief(want)) {
    expect.fail(
      `${what}: backend gave ${brief(got)}${got.ok ? '' : ` "${got.detail}"`}, reference ${brief(want)}${want.ok ? '' : ` "${want.detail}"`}`,
    );
  }
}

function compareStates(got: ParticleState, want: ParticleState, what: string): void {
  if (got.count !== want.count) expect.fail(`${what}: count ${got.count}, reference ${want.count}`);
  for (const c of COLUMNS) {
    const a = got.column(c);
    const b = want.column(c);
    let scale = 1;
    for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
    for (let i = 0; i < b.length; i++) {
      const diff = Math.abs(a[i] - b[i]);
      if (!(diff <= AGREEMENT * scale))
        expect.fail(`${what}: ${c}[${i}] = ${a[i]}, reference ${b[i]} (|diff| ${diff} > ${AGREEMENT * scale})`);
    }
  }
}

function randomRules(rng: Random, supported: (k: RuleKind) => boolean): Rule[] {
  const rules: Rule[] = [];
  if (supported('uniformGravity') && rng.next() < 0.7)
    rules.push(uniformGravity({ g: [rng.uniform(-2, 2), rng.uniform(-8, 0), rng.uniform(-2, 2)] }));
  if (supported('drag') && rng.next() < 0.3) rules.push(drag({ k: rng.uniform(0, 1) }));
  if (supported('pairwiseGravity') && rng.next() < 0.3)
    rules.push(pairwiseGravity({ G: rng.uniform(0.05, 0.5), softening: rng.uniform(0.3, 0.6) }));
  if (supported('collisions') && rng.next() < 0.3) rules.push(collisions({ restitution: rng.pick([1, rng.uniform(0, 1)]) }));
  if (supported('bounds') && rng.next() < 0.5) {
    const lo = rng.uniform(2, 3);
    rules.push(bounds({ min: [-lo, -lo, -lo], max: [lo, lo, lo], restitution: rng.pick([1, rng.uniform(0, 1)]) }));
  }
  return rules;
}

/** Up to `n` particles inside ±1.8, not overlapping (collisions start from separated spheres). */
function randomState(rng: Random, n: number): ParticleState {
  const position: [number, number, number][] = [];
  const radius: number[] = [];
  const rMax = rng.pick([0, 0.25]);
  for (let tries = 0; position.length < n && tries < 200; tries++) {
    const p: [number, number, number] = [rng.uniform(-1.8, 1.8), rng.uniform(-1.8, 1.8), rng.uniform(-1.8, 1.8)];
    const r = rng.uniform(0, rMax);
    if (position.every((q, k) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) > r + radius[k] + 0.05)) {
      position.push(p);
      radius.push(r);
    }
  }
  return ParticleState.from({
    position,
    velocity: position.map(() => [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)]),
    mass: position.map(() => rng.uniform(0.5, 2)),
    radius,
  });
}

/** One seeded sequence; returns how many calls it made. */
async function runSequence(ctx: SuiteContext, seed: number, scratch: string, node: NodeSide | null): Promise<number> {
  const rng = new Random(seed);
  const where = (op: number, name: string) => `seed ${seed}, call ${op} (${name})`;
  const supported = (k: RuleKind) => ctx.backend.rules.includes(k) && ctx.reference.rules.includes(k);
  const system: SystemDefinition = defineSystem({ integrator: rng.pick(['euler', 'verlet'] as const), rules: randomRules(rng, supported) });
  const dt = rng.uniform(0.002, 0.01);
  const initial = randomState(rng, 1 + rng.int(8));
  let calls = 0;

  // Creation, sometimes with options that must fail the same way on both.
  if (rng.next() < 0.25) {
    const bad = rng.pick<Record<string, unknown>>([
      { threads: 0 },
      { dt: null },
      { dt: 1e-50 },
      { stepz: 5 },
      { startStep: 2 ** 53 },
      { startStep: 1.5 },
      { dt: NaN },
    ]);
    const make = (backend: string, threads?: number) => () =>
      createSimulation({ system, state: initial.clone(), dt, ...(threads ? { threads } : {}), backend, ...bad } as never);
    const got = await outcome(make(ctx.backend.name, ctx.options.threads));
    const want = await outcome(make(ctx.reference.name, 1));
    for (const o of [got, want]) if (o.ok) await (o.value as Simulation).dispose();
    sameOutcome(got, want, where(calls++, `create with ${JSON.stringify(bad)}`));
  }

  // Not ctx.create: the suite keeps what that makes until the test ends, which would count as growth here.
  const sim = await createSimulation({ ...ctx.options, system, state: initial.clone(), dt, backend: ctx.backend.name });
  const ref = await createSimulation({ system, state: initial.clone(), dt, backend: ctx.reference.name, threads: 1 }).catch(
    async (error: unknown) => {
      await sim.dispose();
      throw error;
    },
  );
  const pair = { sim, ref };
  try {
    return await drive(pair);
  } finally {
    await Promise.all([sim.dispose().catch(() => undefined), ref.dispose().catch(() => undefined)]);
  }

  async function drive(pair: { sim: Simulation; ref: Simulation }): Promise<number> {
    let saved: { sim: Uint8Array; ref: Uint8Array } | null = null;
    /** Both sides, then the outcomes compared. */
    const both = async (name: string, call: (s: Simulation, side: 'sim' | 'ref') => unknown): Promise<[Outcome, Outcome]> => {
      const got = await outcome(() => call(pair.sim, 'sim'));
      const want = await outcome(() => call(pair.ref, 'ref'));
      sameOutcome(got, want, where(calls, name));
      if (pair.sim.steps !== pair.ref.steps) expect.fail(`${where(calls, name)}: steps ${pair.sim.steps}, reference ${pair.ref.steps}`);
      calls++;
      return [got, want];
    };
    const compare = async (name: string) => {
      const [got, want] = await both(name, (s) => s.read());
      if (got.ok && want.ok) compareStates(got.value as ParticleState, want.value as ParticleState, where(calls - 1, name));
    };

    const length = 6 + rng.int(14);
    for (let op = 0; op < length; op++) {
      const roll = rng.next();
      if (roll < 0.3) {
        const n = rng.next() < 0.9 ? 1 + rng.int(12) : rng.pick<unknown>([-1, 1.5, NaN, 1e12, '2', null]);
        await both(`step(${String(n)})`, (s) => s.step(n as number));
      } else if (roll < 0.38) {
        await compare('read');
      } else if (roll < 0.43) {
        const [got, want] = await both('diagnostics', (s) => s.diagnostics());
        if (got.ok && want.ok) {
          const a = got.value as { mass: number; kineticEnergy?: number };
          const b = want.value as { mass: number; kineticEnergy?: number };
          expect(Math.abs(a.mass - b.mass), `${where(calls - 1, 'diagnostics')}: mass`).toBeLessThanOrEqual(1e-5 * Math.max(1, b.mass));
        }
      } else if (roll < 0.5) {
        // A particle added to the live state: valid, or with a value add() must refuse.
        const valid = rng.next() < 0.8;
        const p = {
          position: [[rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)]],
          velocity: [[rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1)]],
          mass: [valid ? rng.uniform(0.5, 2) : rng.pick([-1, 0, NaN])],
          radius: [0],
        };
        await both(`add(${valid ? 'valid' : 'invalid'})`, async (s) => (await s.read()).add(p));
      } else if (roll < 0.56) {
        const count = (await pair.ref.read()).count;
        const index = rng.next() < 0.85 && count > 0 ? rng.int(count) : rng.pick([count, -1, 0.5]);
        await both(`remove([${index}])`, async (s) => void (await s.read()).remove([index]));
      } else if (roll < 0.64) {
        // An edit of a live column, valid or not; an invalid one must fail the next step on both, then is repaired.
        const count = (await pair.ref.read()).count;
        if (count === 0) continue;
        const i = rng.int(count);
        const [column, value] = rng.pick<['vx' | 'mass' | 'radius' | 'px', number]>([
          ['vx', rng.uniform(-2, 2)],
          ['mass', rng.uniform(0.5, 2)],
          ['mass', NaN],
          ['mass', 0],
          ['mass', -1],
          ['radius', -5],
          ['px', Infinity],
        ]);
        const previous = (await pair.ref.read()).column(column)[i];
        await both(`${column}[${i}] = ${value}`, async (s) => void ((await s.read()).column(column)[i] = value));
        const n = 1 + rng.int(3);
        await both(`step(${n}) after ${column}[${i}] = ${value}`, (s) => s.step(n));
        const invalid =
          Number.isNaN(value) || !Number.isFinite(value) || (column === 'mass' && value <= 0) || (column === 'radius' && value < 0);
        if (invalid) await both(`repair ${column}[${i}]`, async (s) => void ((await s.read()).column(column)[i] = previous));
      } else if (roll < 0.68) {
        // An exotic override of the live state: refused (typed) on both, removed again.
        const key = rng.pick(['column', 'px', 'count']);
        const overridden: Partial<Record<'sim' | 'ref', ParticleState>> = {};
        await both(`override ${key}`, async (s, side) => {
          const live = (overridden[side] = await s.read());
          Object.defineProperty(live, key, { value: () => new Float64Array(4), configurable: true });
        });
        await both(`step with ${key} overridden`, (s) => s.step(1));
        await both(`snapshot with ${key} overridden`, (s) => s.snapshot());
        // The override hides read() too, so it is removed through the object the backend handed out.
        await both(`remove override ${key}`, async (_s, side) => void delete (overridden[side] as unknown as Record<string, unknown>)[key]);
      } else if (roll < 0.76) {
        if (saved && rng.next() < 0.6) {
          const bytes = saved;
          await both('restore', (s, side) => s.restore(bytes[side]));
        } else {
          const [got, want] = await both('snapshot', (s) => s.snapshot());
          if (got.ok && want.ok) saved = { sim: got.value as Uint8Array, ref: want.value as Uint8Array };
        }
      } else if (roll < 0.8) {
        const corrupt = rng.pick(['flip', 'truncate', 'empty', 'not bytes']);
        await both(`restore ${corrupt} bytes`, async (s) => {
          const bytes = await s.snapshot();
          if (corrupt === 'flip') bytes[Math.floor(bytes.length / 2)] ^= 0x10;
          const given =
            corrupt === 'truncate'
              ? bytes.subarray(0, bytes.length - 7)
              : corrupt === 'empty'
                ? new Uint8Array(0)
                : corrupt === 'not bytes'
                  ? ([1, 2, 3] as never)
                  : bytes;
          return s.restore(given);
        });
      } else if (roll < 0.85) {
        const target = rng.pick(['directory', 'missing dir', 'empty', 'valid']);
        const join = (...parts: string[]) => (node ? node.join(...parts) : parts.join('/'));
        const path =
          target === 'directory'
            ? scratch
            : target === 'missing dir'
              ? join(scratch, 'no-such-dir', 'x.brsnap')
              : target === 'empty'
                ? ''
                : null;
        if (path !== null) {
          await both(`save to ${target}`, (s) => s.save(path));
        } else {
          await both('save + resume', async (s, side) => {
            const file = join(scratch, `${side}-${seed}-${op}.brsnap`);
            await s.save(file);
            const resumed = await resumeSimulation(file, {
              backend: side === 'sim' ? ctx.backend.name : ctx.reference.name,
              ...(side === 'sim' ? ctx.options : { threads: 1 }),
            });
            try {
              const [a, b] = [await resumed.read(), await s.read()];
              compareStates(a, b, where(calls, 'resumed state'));
              return resumed.steps === s.steps;
            } finally {
              await resumed.dispose();
            }
          });
        }
        if (node && !node.exists(scratch)) expect.fail('scratch folder vanished');
      } else if (roll < 0.89) {
        await both('step with an aborted signal', (s) => s.step(5, { signal: AbortSignal.abort() }));
      } else if (roll < 0.93) {
        // dispose at a random point, with a step possibly queued before it.
        const queued = rng.next() < 0.5;
        await both(`dispose${queued ? ' with a step queued' : ''}`, async (s) => {
          const running = queued ? s.step(2) : null;
          const queuedStep = queued ? s.step(1) : null;
          const disposal = s.dispose();
          const results = await Promise.all([running, queuedStep].map((p) => (p ? outcome(() => p) : null)));
          await disposal;
          return results.map((r) => (r ? (r.ok ? 'ok' : r.code) : '-')).join(',');
        }).then(([got, want]) => {
          if (got.ok && want.ok) expect(got.value, where(calls - 1, 'queued step outcomes')).toEqual(want.value);
        });
        await both('step after dispose', (s) => s.step(1));
        return calls;
      } else {
        await compare('read');
      }
    }
    await compare('final read');
    await Promise.all([pair.sim.dispose(), pair.ref.dispose()]);
    return calls;
  }
}

export function fuzzCases(ctx: SuiteContext): void {
  describe('differential fuzz against the reference', () => {
    const { seed, sequences, seconds } = fuzzSettings();
    it(
      `random call sequences agree with the reference or fail with the same typed error (seed ${seed}; BROKENRECORD_FUZZ_SEED replays)`,
      async () => {
        const node = await nodeSide();
        const scratch = node ? node.scratch() : '/brokenrecord-fuzz-no-filesystem';
        const unhandled: unknown[] = [];
        const stopWatching = watchUnhandledRejections(unhandled);
        const started = Date.now();
        let ran = 0;
        let calls = 0;
        let baseline: ReturnType<NodeSide['figures']> = null;
        let peak = { threads: 0, rss: 0 };
        try {
          for (let k = 0; k < sequences && (Date.now() - started) / 1000 < seconds; k++) {
            try {
              calls += await runSequence(ctx, seed + k, scratch, node);
            } catch (error) {
              throw new Error(
                `fuzz sequence ${k} failed (replay: BROKENRECORD_FUZZ_SEED=${seed + k} BROKENRECORD_FUZZ_SEQUENCES=1): ${(error as Error).message}`,
                { cause: error },
              );
            }
            ran++;
            const now = node?.figures(ran === 3) ?? null;
            if (now && ran === 3) baseline = now;
            if (now) peak = { threads: Math.max(peak.threads, now.threads), rss: Math.max(peak.rss, now.rss) };
          }
          // Let disposed threads exit before counting.
          await new Promise((resolve) => setTimeout(resolve, 200));
          const end = node?.figures(true) ?? null;
          const label = `${ctx.backend.name}${ctx.options.threads ? ` (threads ${ctx.options.threads})` : ''}`;
          console.log(
            `[fuzz] ${label}: ${ran} sequences, ${calls} calls in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed})` +
              (baseline && end
                ? `; threads ${baseline.threads} → ${end.threads} (peak ${peak.threads}), RSS ${(baseline.rss / 2 ** 20).toFixed(0)} → ${(end.rss / 2 ** 20).toFixed(0)} MiB (peak ${(peak.rss / 2 ** 20).toFixed(0)}), heap ${(baseline.heap / 2 ** 20).toFixed(0)} → ${(end.heap / 2 ** 20).toFixed(0)} MiB`
                : ''),
          );
          expect(unhandled, 'unhandled rejections').toEqual([]);
          expect(ran, 'sequences run within the time cap').toBeGreaterThanOrEqual(Math.min(sequences, 5));
          if (baseline && end) {
            expect(end.threads, 'threads after every sequence was disposed').toBeLessThanOrEqual(baseline.threads + FUZZ_THREAD_GROWTH);
            expect(end.rss - baseline.rss, 'RSS growth').toBeLessThanOrEqual(FUZZ_RSS_GROWTH_BYTES);
            expect(end.heap - baseline.heap, 'live JS heap growth').toBeLessThanOrEqual(FUZZ_HEAP_GROWTH_BYTES);
          }
        } finally {
          stopWatching();
          node?.remove(scratch);
        }
      },
      SLOW_CASE_TIMEOUT,
    );
  });
  expressionFuzzCases(ctx);
}
