/**
 * A worker of a ThreadTeam (thread-team.ts): steps its range of the shared state whenever the main
 * thread posts a run, meeting the other participants at the shared barriers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SharedBarrier, signalDone, TeamAborted } from './barrier.js';
import { advance } from './kernels/integrate.js';
import type { RunMessage, WorkerSetup } from './thread-team.js';
import { makeWorkspace, type Workspace } from './workspace.js';

const { plan, control: controlBuffer, message: messageBuffer } = workerData as WorkerSetup;
const control = new Int32Array(controlBuffer);
const message = new Uint8Array(messageBuffer);
let ws: Workspace | null = null;

parentPort!.on('message', (run: RunMessage) => {
  if (run.type !== 'run') return;
  const sync = new SharedBarrier(control, message, run.parties, false);
  try {
    if (run.attach) ws = makeWorkspace(run.attach.columns, run.attach.scratch);
    if (!ws) throw new Error('run before the state was attached');
    advance(plan, ws, run.lo, run.hi, run.steps, sync, run.options);
  } catch (error) {
    if (!(error instanceof TeamAborted)) sync.abort(error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    signalDone(control);
  }
});

parentPort!.postMessage({ type: 'ready' });
