/**
 * How busy the machine was with work that is not this bench, while a row was measured. On a
 * 2-core machine one foreign process halves what a 2-thread row can get, so the table shows it
 * beside the figures instead of leaving the reader to guess. Linux only (/proc); elsewhere null.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** /proc times are in USER_HZ ticks, 100 per second on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  /** Ticks all CPUs spent busy (or stolen by the hypervisor) since boot. */
  machine: number;
  /** Ticks this process (all its threads) and its waited-for children spent. */
  own: number;
  wallMs: number;
}

export function sampleCpu(): CpuSample | null {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = cpu;
    const self = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the parenthesised command name, starting at field 3 (state).
    const fields = self
      .slice(self.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const [utime, stime, cutime, cstime] = fields.slice(11, 15);
    return {
      machine: user + nice + system + irq + softirq + (steal || 0),
      own: utime + stime + cutime + cstime,
      wallMs: performance.now(),
    };
  } catch {
    return null;
  }
}

/** Average number of cores kept busy by everything else between two samples. */
export function otherLoad(before: CpuSample | null, after: CpuSample | null): number | null {
  if (!before || !after) return null;
  const seconds = (after.wallMs - before.wallMs) / 1000;
  if (seconds <= 0) return null;
  const foreign = after.machine - before.machine - (after.own - before.own);
  return Math.max(0, foreign / TICKS_PER_SECOND / seconds);
}
