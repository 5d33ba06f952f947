import { nodeFiles } from '#platform';
import { SnapshotError } from './errors.js';

/**
 * Atomic file writes (temp file in the same directory, flushed, renamed over the target). Every
 * failure is a `SnapshotError` naming the path and the file system's reason (`cause` keeps the
 * original error, `errno` its code such as EISDIR, ENOENT, EROFS, EACCES, ENOSPC), and the temp
 * file is removed before the error leaves. Temp names carry the writer's pid,
 * `<target>.tmp-<pid>-<stamp>`, so the next save to the same path removes what a killed process
 * left behind (its pid no longer runs) without touching a live writer's file.
 */
export class FileWriteError extends SnapshotError {
  readonly path: string;
  /** The file system's error code (EISDIR, ENOENT, ...), when it gave one. */
  readonly errno: string | undefined;
  constructor(path: string, what: string, cause: unknown) {
    const errno = (cause as { code?: unknown } | null)?.code;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`cannot save ${path}: ${what} failed (${reason})`);
    this.path = path;
    this.errno = typeof errno === 'string' ? errno : undefined;
    Object.defineProperty(this, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  }
}

const TEMP_MARK = '.tmp-';

/** The temp file name used for `path` by process `pid`. */
export function tempPathFor(path: string, pid: number, stamp: string): string {
  return `${path}${TEMP_MARK}${pid}-${stamp}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Removes `<path>.tmp-<pid>-*` files whose writer process no longer runs (best effort). */
export async function removeStaleTemps(path: string): Promise<string[]> {
  const { fs, path: nodePath } = await nodeFiles();
  const { basename, dirname, join } = nodePath;
  const dir = dirname(path);
  const prefix = basename(path) + TEMP_MARK;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const match = /^(\d+)-[0-9a-z]+$/.exec(name.slice(prefix.length));
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    try {
      await fs.rm(join(dir, name), { force: true });
      removed.push(join(dir, name));
    } catch {
      // Another writer removed it first, or it is not ours to remove: leave it.
    }
  }
  return removed;
}

let sequence = 0;

/**
 * Writes bytes atomically: to a temporary file in the same directory, flushed, then renamed over
 * the target, so a crash leaves either the old file or the new one, never half of one.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  if (typeof path !== 'string' || path === '')
    throw new FileWriteError(String(path), 'checking the path', new Error('expected a file path'));
  const { fs } = await nodeFiles();
  await removeStaleTemps(path);
  const temp = tempPathFor(path, process.pid, `${Date.now().toString(36)}${(sequence++).toString(36)}`);
  let step = 'creating the temporary file';
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      step = 'writing';
      await handle.writeFile(bytes);
      step = 'flushing';
      await handle.sync();
    } finally {
      await handle.close();
    }
    step = 'renaming the temporary file over the target';
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw new FileWriteError(path, step, error);
  }
}
