/**
 * A worker of a ThreadTeam (thread-team.ts): steps its range of the shared state whenever the main
 * thread posts a run, meeting the other participants at the shared barriers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBarrier, signalDone, TeamAborted } from './barrier.js';
import { compileForces } from './codegen/compile.js';
import { advance } from './kernels/integrate.js';
import type { RunMessage, WorkerSetup } from './thread-team.js';
import { makeWorkspace, type Workspace } from './workspace.js';

const { plan, mode, control: controlBuffer, message: messageBuffer } = workerData as WorkerSetup;
const control = new Int32Array(controlBuffer);
const message = new Uint8Array(messageBuffer);
// The same kernels as the main thread: generated from the same plan, in the same mode.
const forces = plan.custom ? compileForces(plan.kernel, mode) : null;
let ws: Workspace | null = null;

parentPort!.on('message', (run: RunMessage) => {
  if (run.type !== 'run') return;
  const sync = new SharedBarrier(control, message, run.parties, run.rank);
  try {
    if (run.attach) ws = makeWorkspace(run.attach.columns, run.attach.scratch, run.attach.topology);
    if (!ws) throw new Error('run before the state was attached');
    advance(plan, forces, ws, run.lo, run.hi, run.steps, sync, run.options);
  } catch (error) {
    if (!(error instanceof TeamAborted)) sync.abort(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    signalDone(control);
  }
});

parentPort!.postMessage({ type: 'ready' });
