import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPathFor } from '../src/atomic-file.js';
import { defineSystem, FileWriteError, ParticleState, saveSnapshot, SnapshotError, uniformGravity, writeFileAtomic } from '../src/index.js';

const data = {
  system: defineSystem({ rules: [uniformGravity()] }),
  state: ParticleState.from({ position: [[1, 2, 3]], mass: 1 }),
  dt: 0.01,
  step: 3,
  time: 0.03,
};

const temps = (dir: string) => readdirSync(dir).filter((f) => f.includes('.tmp-'));

async function saveError(path: string): Promise<FileWriteError> {
  const error = await saveSnapshot(path, data).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SnapshotError);
  expect(error).toBeInstanceOf(FileWriteError);
  expect((error as SnapshotError).code).toBe('SNAPSHOT');
  expect((error as Error).message).toContain(path);
  expect((error as FileWriteError).path).toBe(path);
  expect((error as Error & { cause?: unknown }).cause).toBeInstanceOf(Error);
  return error as FileWriteError;
}

describe('atomic snapshot files', () => {
  it('a directory at the target path is a SnapshotError (EISDIR), and the temp file is removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'br-atomic-'));
    const target = join(dir, 'run.brsnap');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'x'); // a non-empty directory: rename cannot replace it
    const error = await saveError(target);
    expect(['EISDIR', 'ENOTEMPTY', 'EEXIST']).toContain(error.errno);
    expect(temps(dir)).toEqual([]);
  });

  it('a missing directory is a SnapshotError (ENOENT)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'br-atomic-'));
    const error = await saveError(join(dir, 'missing', 'run.brsnap'));
    expect(error.errno).toBe('ENOENT');
    expect(temps(dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only directory is a SnapshotError (EACCES)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'br-atomic-'));
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      const error = await saveError(join(locked, 'run.brsnap'));
      expect(error.errno).toBe('EACCES');
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('writeFileAtomic (also used for other outputs) reports the same typed error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'br-atomic-'));
    await expect(writeFileAtomic(join(dir, 'no', 'plot.svg'), 'x')).rejects.toBeInstanceOf(SnapshotError);
  });

  it('the next save removes temp files of dead writers, keeps those of live ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'br-atomic-'));
    const target = join(dir, 'run.brsnap');
    // A pid that certainly ran and has exited: a child that is waited for.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    const dead = tempPathFor(target, deadPid, 'abc');
    const live = tempPathFor(target, process.ppid, 'def'); // the test runner's parent is alive
    const other = join(dir, 'other.brsnap.tmp-1-x'); // another target's temp: not ours to judge
    for (const f of [dead, live, other]) writeFileSync(f, new Uint8Array(1024));
    await saveSnapshot(target, data);
    const left = readdirSync(dir).sort();
    expect(left).toEqual(['other.brsnap.tmp-1-x', 'run.brsnap', live.slice(dir.length + 1)].sort());
    expect(readFileSync(target).length).toBeGreaterThan(0);
  });
});
