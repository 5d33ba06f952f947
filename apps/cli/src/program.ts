import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { backendsCommand } from './commands/backends.js';
import { benchCommand } from './commands/bench.js';
import { runCommand, type RunFlags } from './commands/run.js';
import { oneLine } from './errors.js';
import * as parse from './parse.js';
import { SCENARIOS } from './scenarios/index.js';
import { DEFAULT_SEED } from './run/setup.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function scenarioHelp(): string {
  const width = Math.max(...SCENARIOS.map((s) => s.name.length));
  const lines = SCENARIOS.map((s) => {
    const d = s.defaults;
    const n = s.fixedParticles ? `${d.particles} bodies` : `--particles ${d.particles}`;
    return `  ${s.name.padEnd(width)}  ${s.summary}\n  ${' '.repeat(width)}  defaults: ${n}, --steps ${d.steps}, --dt ${d.dt}, --integrator ${d.integrator}`;
  });
  return `\nScenarios:\n${lines.join('\n')}\n`;
}

/**
 * The command tree. Each action stores its exit status in `process.exitCode`; errors propagate to
 * main(), which prints them on one line.
 */
export function buildProgram(): Command {
  const program = new Command('brokenrecord')
    .description('BrokenRecord particle physics: run scenarios with a conservation report, list backends, run the benchmarks')
    .version(version)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      // commander's own errors ("error: unknown option '--x'") get the same one-line shape as ours.
      outputError: (message, write) => write(`brokenrecord: ${oneLine(message.replace(/^error: /, ''))}\n`),
    });

  program
    .command('backends')
    .description("list every backend: available or why not, its speed rank, and what 'auto' picks per scenario")
    .action(async () => {
      process.exitCode = await backendsCommand();
    });

  program
    .command('run')
    .description('run a scenario, then report energy, momentum and angular momentum against its conservation contract')
    .argument('<scenario>', SCENARIOS.map((s) => s.name).join(' | '))
    .option('-b, --backend <name>', "'auto', a backend name, or names to try in order (avx2,ts)", 'auto')
    .option('-s, --steps <n>', "steps to run (default: the scenario's)", parse.nonNegativeInteger)
    .option('--dt <seconds>', "step length (default: the scenario's)", parse.positiveNumber)
    .option('-n, --particles <n>', "particle count (default: the scenario's)", parse.positiveInteger)
    .option('--seed <k>', `seed of the random scenarios' PRNG (default: ${DEFAULT_SEED})`, parse.seed)
    .option('--integrator <name>', "euler | verlet (default: the scenario's)", parse.integrator)
    .option('--threads <n>', 'threads for backends that use several (ts worker threads, avx2 OpenMP)', parse.positiveInteger)
    .option(
      '-o, --out <file>',
      'write .csv/.xyz (one file) or .vtk (numbered files) trajectory frames, or a .brsnap snapshot at the end; repeatable',
      parse.collect,
    )
    .option('--every <k>', 'steps between trajectory frames', parse.positiveInteger, 100)
    .option('--resume <file.brsnap>', 'continue a saved run: system, state, dt and step come from the snapshot; --steps more steps')
    .option('--plot <file.svg>', 'draw the relative drift of energy, momentum and angular momentum over time')
    .option('--progress', 'always draw the progress bar (default: only when stderr is a terminal)')
    .option('--no-progress', 'never draw the progress bar')
    .addHelpText('after', scenarioHelp())
    .action(async (scenario: string, flags: RunFlags) => {
      process.exitCode = await runCommand(scenario, flags);
    });

  program
    .command('bench')
    .description('run the benchmark harness (bench/dist/run.js) with these arguments, e.g. bench --quick --only B1')
    .argument('[args...]', 'forwarded to the harness (bench --help lists them)')
    .helpOption(false)
    .passThroughOptions()
    .allowUnknownOption()
    .action(async (args: string[]) => {
      process.exitCode = await benchCommand(args);
    });

  return program;
}
