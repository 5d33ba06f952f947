// What the TypeScript backend needs from Node.js (thread count, worker threads), in one module that
// browser builds replace with platform.browser.ts (package.json "imports": "#platform", `browser`
// condition), so a bundle gets no Node built-ins and no warnings about them.
import { availableParallelism, cpus } from 'node:os';
import type { ThreadTeam } from './thread-team.js';

/** Threads this machine offers. */
export async function hardwareThreads(): Promise<number> {
  return availableParallelism?.() ?? cpus().length;
}

/** The worker team class; loaded on demand so single-threaded use never touches worker_threads. */
export async function threadTeamClass(): Promise<typeof ThreadTeam> {
  return (await import('./thread-team.js')).ThreadTeam;
}
