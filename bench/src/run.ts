/**
 * `pnpm --filter @brokenrecord/bench run bench [-- --quick] [--only B1,B2] [--json path] [--repeats k]`
 *
 * Runs every workload on every row (references, then backends) in this one process, prints one
 * table per workload and writes all figures as JSON (default bench/results/latest.json).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { backendRunners, loadTsBackend } from './backends.js';
import { b1 } from './cases/b1.js';
import { b1Large } from './cases/b1-large.js';
import { b2, b2At4096 } from './cases/b2.js';
import { b3 } from './cases/b3.js';
import { b4 } from './cases/b4.js';
import { b5 } from './cases/b5.js';
import { runB6, type B6Row } from './cases/b6.js';
import type { BenchCase, Size } from './cases/case.js';
import { otherLoad, sampleCpu } from './load.js';
import type { RepeatPlan } from './measure.js';
import { C_FLAGS, cRunner, findCompiler } from './references/c-reference.js';
import { float32Runner } from './references/float32-loop.js';
import { lammpsRunner } from './references/lammps.js';
import { naiveRunner } from './references/naive-js.js';
import { buildCaseResult, type CaseResult, type MeasuredRow } from './report.js';
import { registeredRunners, registerRunner } from './runner.js';
import { formatSeconds, renderCase } from './table.js';

const USAGE = `usage: bench [--quick] [--only B1,B1-large,B2,B2-4096,B3,B4,B5,B6] [--json path] [--repeats k]
  --quick     smaller steps (and N = 8192 for B2, 100,000 / 20,000 bodies for B6), 3 repeats: about a minute
  --only      comma-separated workload ids
  --json      where to write the figures (default bench/results/latest.json)
  --repeats   timed runs per row after one warm-up (default 5, quick 3)`;

const CASES: ((size: Size) => BenchCase)[] = [b1, b1Large, b2, b2At4096, b3, b4, b5];

function parseOptions() {
  // `pnpm run bench -- --quick` hands the `--` through to the script; drop it so both spellings work.
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      json: { type: 'string' },
      repeats: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const size: Size = values.quick ? 'quick' : 'full';
  const repeats = values.repeats === undefined ? (values.quick ? 3 : 5) : Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats ${values.repeats}: expected a positive integer`);
  const plan: RepeatPlan = {
    repeats,
    warmups: 1,
    // The naive JS rows need 5-20 s per run at B2/B3 sizes: past this budget they get fewer timed
    // runs (at least one), which keeps the whole default bench within a few minutes.
    budgetSeconds: values.quick ? 2 : 15,
    minRepeats: 1,
  };
  const cases = CASES.map((make) => make(size));
  let selected = cases;
  // B6 (tree against direct gravity, force errors) has its own table: it compares methods, not rows of one workload.
  let b6 = true;
  if (values.only) {
    const wanted = values.only
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean);
    const unknown = wanted.filter((id) => id !== 'b6' && !cases.some((c) => c.workload.id.toLowerCase() === id));
    if (unknown.length) throw new Error(`--only ${unknown.join(',')}: unknown (known: ${cases.map((c) => c.workload.id).join(', ')})`);
    selected = cases.filter((c) => wanted.includes(c.workload.id.toLowerCase()));
    b6 = wanted.includes('b6');
  }
  const packageRoot = fileURLToPath(new URL('../', import.meta.url));
  const json = values.json ? resolve(values.json) : resolve(packageRoot, 'results', 'latest.json');
  return { size, plan, cases: selected, b6, json };
}

async function main(): Promise<void> {
  const { size, plan, cases, b6, json } = parseOptions();
  const tsProblem = await loadTsBackend();
  for (const runner of [naiveRunner, float32Runner, cRunner(1), cRunner(2), lammpsRunner]) registerRunner(runner);
  const backends = await backendRunners();
  for (const runner of backends.runners) registerRunner(runner);
  const compiler = await findCompiler();

  const cpu = cpus();
  const machine = {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    compiler: 'version' in compiler ? `${compiler.version} (${[...C_FLAGS].join(' ')})` : compiler.missing,
  };
  console.log(
    `BrokenRecord bench, ${new Date().toISOString()} — ${size} sizes, ${plan.repeats} timed runs + ${plan.warmups} warm-up per row, medians`,
  );
  console.log(`${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}; C: ${machine.compiler}`);
  if (tsProblem) console.log(`note: ${tsProblem}`);
  if (backends.unavailable.length) console.log(`other backends not measured: ${backends.unavailable.join('; ')}`);
  console.log('');

  const results: CaseResult[] = [];
  for (const bench of cases) {
    const measured: MeasuredRow[] = [];
    for (const runner of registeredRunners()) {
      if (runner.appliesTo && !runner.appliesTo(bench.workload)) continue;
      process.stderr.write(`  ${bench.workload.id}: ${runner.label} ... `);
      const before = sampleCpu();
      const outcome = await runner.measure(bench.workload, plan);
      const load = otherLoad(before, sampleCpu());
      process.stderr.write(outcome.status === 'ok' ? `${formatSeconds(outcome.stats.median)}\n` : `${outcome.status}\n`);
      measured.push({ runner, outcome, otherLoad: load });
    }
    const result = buildCaseResult(bench, measured);
    results.push(result);
    console.log(renderCase(result));
    console.log('');
  }

  let gravityAtScale: B6Row[] | undefined;
  if (b6) {
    const { rows, text } = await runB6(size);
    gravityAtScale = rows;
    console.log(text);
    console.log('');
  }

  await mkdir(dirname(json), { recursive: true });
  const report = { date: new Date().toISOString(), size, plan, machine, cases: results, ...(gravityAtScale ? { b6: gravityAtScale } : {}) };
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`figures written to ${json}`);
}

main().then(
  // Exit explicitly: a backend that leaked a worker or device handle must not hang the bench.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
