// The browser side of platform.node.ts: same exports, no Node built-ins. Files and package
// discovery exist in Node.js only; in a page, backends are registered by importing them.
import type { NodeFiles } from './platform.node.js';
import { BackendUnavailableError, SnapshotError } from './errors.js';

export type { NodeFiles };

export async function nodeFiles(): Promise<NodeFiles> {
  throw new SnapshotError('reading and writing files needs Node.js (in a browser, use the bytes: sim.snapshot() / decodeSnapshot())');
}

export async function importFromWorkingDirectory(pkg: string): Promise<unknown> {
  throw new BackendUnavailableError(`${pkg} can be discovered in Node.js only: in a browser, import it`, []);
}

export async function nodeHardwareThreads(): Promise<number | null> {
  return null;
}
