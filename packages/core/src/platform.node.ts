// What core needs from Node.js, in one module that browser builds replace with
// platform.browser.ts (package.json "imports": "#platform", `browser` condition), so a bundle gets
// no Node built-ins and no warnings about them.
import * as fs from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface NodeFiles {
  fs: typeof import('node:fs/promises');
  path: typeof import('node:path');
}

/** Node's file system and path modules (snapshot files, exports). */
export async function nodeFiles(): Promise<NodeFiles> {
  return { fs, path };
}

/** Imports a package as the application would: resolved from the working directory. */
export async function importFromWorkingDirectory(pkg: string): Promise<unknown> {
  const require = createRequire(`${process.cwd()}/`);
  return import(pathToFileURL(require.resolve(pkg)).href);
}

/** Hardware threads of this machine. */
export async function nodeHardwareThreads(): Promise<number> {
  return availableParallelism?.() ?? cpus().length;
}
