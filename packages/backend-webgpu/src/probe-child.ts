/**
 * Entry point of the Node probe's child process (see probe.ts): probes WebGPU here and prints the
 * result as one JSON line on stdout. Dawn's own messages go to this process's stderr.
 */
import { probeInThisProcess } from './probe.js';

const result = await probeInThisProcess();
process.stdout.write(`${JSON.stringify(result)}\n`);
// Dawn may keep the event loop alive; the verdict is out, so leave now.
process.exit(0);
