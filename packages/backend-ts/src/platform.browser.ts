// The browser side of platform.node.ts: same exports, no Node built-ins.
import type { ThreadTeam } from './thread-team.js';

/** Threads the browser reports (1 where it does not say). */
export async function hardwareThreads(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}

/** Worker threads are a Node feature: never called outside Node (the context checks first). */
export async function threadTeamClass(): Promise<typeof ThreadTeam> {
  throw new Error('worker threads of the ts backend need Node.js');
}
