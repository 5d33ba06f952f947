import { extname } from 'node:path';
import { listBackends, writeFileAtomic, type Quantity } from '@brokenrecord/core';
import { EXIT, UserError } from '../errors.js';
import { cleanTime, formatCount, formatSeconds, formatTime } from '../format.js';
import { renderDriftPlot, type DriftSample } from '../outputs/drift-plot.js';
import { createOutput, type Output } from '../outputs/index.js';
import { checkWritableDirectory } from '../outputs/writable.js';
import { drifts, judge, takeBaseline } from '../run/conservation.js';
import { describeGravity, gravityTolerances } from '../run/gravity-method.js';
import { watchInterrupt } from '../run/interrupt.js';
import { runLoop } from '../run/loop.js';
import { createProgress } from '../run/progress.js';
import { renderReadouts } from '../run/readouts.js';
import { contractSubtitle, renderConservationReport } from '../run/report.js';
import { createScenarioSimulation, type SetupFlags } from '../run/setup.js';
import { findScenario } from '../scenarios/index.js';

export interface RunFlags extends SetupFlags {
  steps?: number;
  out?: string[];
  every: number;
  plot?: string;
  progress?: boolean;
}

/** Exit status of a run stopped by Ctrl-C after writing its outputs (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

/** `brokenrecord run <scenario>`: returns the exit status. */
export async function runCommand(name: string, flags: RunFlags): Promise<number> {
  const scenario = findScenario(name);
  if (flags.plot !== undefined) {
    if (extname(flags.plot).toLowerCase() !== '.svg') throw new UserError(`--plot ${flags.plot}: the plot is an SVG file (name it *.svg)`);
    await checkWritableDirectory(flags.plot);
  }
  const sim = await createScenarioSimulation(scenario, flags);
  const outputs: Output[] = [];
  try {
    for (const path of flags.out ?? []) outputs.push(await createOutput(path));
    const steps = flags.steps ?? scenario.defaults.steps;
    const startState = await sim.read();
    const baseline = takeBaseline(startState, await sim.diagnostics());
    const declared: readonly Quantity[] = sim.system.conserves;
    console.log(
      `${scenario.name}: ${formatCount(startState.count)} particles, ${sim.system.integrator}, dt ${sim.dt}, ` +
        `steps ${sim.steps} → ${sim.steps + steps}, backend ${sim.backend}`,
    );
    const capabilities = (await listBackends()).find((b) => b.name === sim.backend)?.capabilities ?? [];
    const gravity = describeGravity(sim.system, startState.count, capabilities);
    if (gravity) console.log(gravity);
    const tolerances = gravityTolerances(scenario.tolerances, sim.system, startState.count, capabilities);
    // Asked-for count when given (so a rounded one is reported as such), else the state's own.
    const built = { particles: flags.particles ?? startState.count, integrator: sim.system.integrator };
    for (const line of scenario.notes?.(built) ?? []) console.log(line);
    const startReadouts = scenario.readouts?.(startState, baseline.diagnostics);

    const samples: DriftSample[] = [];
    const sample = async () => {
      samples.push({ time: cleanTime(sim.time), drifts: drifts(baseline, await sim.diagnostics()) });
    };
    const interrupt = watchInterrupt();
    const progress = createProgress(flags.progress, scenario.name, steps);
    let result;
    try {
      result = await runLoop(sim, {
        steps,
        every: flags.every,
        outputs,
        progress,
        ...(flags.plot !== undefined ? { onSample: sample } : {}),
        stopRequested: interrupt.requested,
      });
    } finally {
      progress.stop();
      interrupt.dispose();
    }
    for (const output of outputs) await output.finish(sim);
    const final = await sim.diagnostics();
    if (flags.plot !== undefined) {
      const title = `${scenario.name} on ${sim.backend}: relative drift over ${formatCount(result.stepsDone)} steps`;
      await writeFileAtomic(flags.plot, await renderDriftPlot(samples, title, contractSubtitle(declared, tolerances)));
    }

    const rate = result.stepSeconds > 0 ? ` (${formatCount(result.stepsDone / result.stepSeconds)} steps/s)` : '';
    console.log(
      `${result.interrupted ? 'interrupted after' : 'ran'} ${formatCount(result.stepsDone)} steps in ${formatSeconds(result.stepSeconds)}${rate}, t = ${formatTime(sim.time)}`,
    );
    for (const output of outputs) console.log(`wrote ${output.summary()}`);
    if (flags.plot !== undefined) console.log(`wrote ${flags.plot}: drift plot (${samples.length} samples)`);
    if (startReadouts) console.log(`\n${renderReadouts(startReadouts, scenario.readouts!(await sim.read(), final))}`);
    const checks = judge(baseline, final, declared, tolerances);
    console.log(`\n${renderConservationReport(checks, declared)}`);
    if (result.interrupted) return EXIT_INTERRUPTED;
    return checks.some((c) => c.verdict === 'FAIL') ? EXIT.physicsFailed : EXIT.ok;
  } finally {
    for (const output of outputs) await output.close();
    sim.dispose();
  }
}
