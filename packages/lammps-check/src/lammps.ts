/**
 * LAMMPS as a live reference: finding `lmp`, writing a data file of exactly our atoms, running an
 * input script in a temporary directory, reading back its thermo values, dumps and loop times.
 *
 * `lmp` runs as one process without `mpirun` (Open MPI's singleton start), which also works as
 * root; `BROKENRECORD_LMP` names another executable (a path, or a command on PATH).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type LammpsProbe =
  { available: true; command: string; version: string; pairStyles: string[] } | { available: false; command: string; reason: string };

let probed: Promise<LammpsProbe> | null = null;

export function lammpsCommand(env: Record<string, string | undefined> = process.env): string {
  return env.BROKENRECORD_LMP || 'lmp';
}

/** Whether `lmp` runs here and offers `lj/cut`; never throws. Cached per process. */
export function probeLammps(): Promise<LammpsProbe> {
  probed ??= (async (): Promise<LammpsProbe> => {
    const command = lammpsCommand();
    let stdout: string;
    try {
      ({ stdout } = await run(command, ['-h'], { env: lammpsEnv(), maxBuffer: 16 << 20, timeout: 60_000 }));
    } catch (error) {
      const e = error as { code?: string; message?: string };
      const reason =
        e.code === 'ENOENT'
          ? `'${command}' not found (install LAMMPS: scripts/install-lammps.sh, i.e. apt-get install lammps; or set BROKENRECORD_LMP)`
          : `'${command} -h' failed: ${e.message ?? String(error)}`;
      return { available: false, command, reason };
    }
    const version = /Large-scale Atomic\/Molecular Massively Parallel Simulator - ([^\n]+)/.exec(stdout)?.[1]?.trim() ?? 'unknown version';
    const pairSection = /\* Pair styles:([\s\S]*?)\n\* /.exec(stdout)?.[1] ?? '';
    const pairStyles = pairSection.split(/\s+/).filter(Boolean);
    if (!pairStyles.includes('lj/cut')) {
      return { available: false, command, reason: `'${command}' (LAMMPS ${version}) has no pair style lj/cut` };
    }
    return { available: true, command, version, pairStyles };
  })();
  return probed;
}

/** One thread per LAMMPS process, whatever the caller's environment says. */
function lammpsEnv(): NodeJS.ProcessEnv {
  return { ...process.env, OMP_NUM_THREADS: '1' };
}

/** Round-trip formatting: the shortest decimal that reads back as the very same double. */
export function exact(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  return String(x);
}

export interface DataFileAtoms {
  /** Cubic box [0, box)³. */
  box: number;
  /** Per atom, interleaved x y z. */
  position: ArrayLike<number>;
  velocity?: ArrayLike<number>;
  /** 0-based type per atom (LAMMPS type = index + 1); all type 0 when absent. */
  type?: ArrayLike<number>;
  /** Mass per type. */
  typeMasses: number[];
}

/** A LAMMPS data file (`atom_style atomic`) with these exact numbers. */
export function lammpsDataFile(atoms: DataFileAtoms): string {
  const n = atoms.position.length / 3;
  const L = exact(atoms.box);
  const lines = [
    'LAMMPS data file: BrokenRecord comparison configuration',
    '',
    `${n} atoms`,
    `${atoms.typeMasses.length} atom types`,
    '',
    `0 ${L} xlo xhi`,
    `0 ${L} ylo yhi`,
    `0 ${L} zlo zhi`,
    '',
    'Masses',
    '',
    ...atoms.typeMasses.map((m, t) => `${t + 1} ${exact(m)}`),
    '',
    'Atoms # atomic',
    '',
  ];
  const p = atoms.position;
  for (let i = 0; i < n; i++) {
    const t = (atoms.type?.[i] ?? 0) + 1;
    lines.push(`${i + 1} ${t} ${exact(p[3 * i])} ${exact(p[3 * i + 1])} ${exact(p[3 * i + 2])} 0 0 0`);
  }
  if (atoms.velocity) {
    const v = atoms.velocity;
    lines.push('', 'Velocities', '');
    for (let i = 0; i < n; i++) lines.push(`${i + 1} ${exact(v[3 * i])} ${exact(v[3 * i + 1])} ${exact(v[3 * i + 2])}`);
  }
  lines.push('');
  return lines.join('\n');
}

export interface LammpsRun {
  /** Everything LAMMPS wrote to its log. */
  log: string;
  /** Reads a file the script wrote (relative to the run directory). */
  files: Map<string, string>;
}

/**
 * Runs `input` in a fresh temporary directory holding `inputs` (e.g. the data file), then returns
 * the log and the contents of `outputs`. The directory is removed afterwards. A LAMMPS error
 * becomes an Error quoting its ERROR line.
 */
export async function runLammps(
  input: string,
  inputs: Record<string, string>,
  outputs: string[],
  options: { timeoutMs?: number } = {},
): Promise<LammpsRun> {
  const probe = await probeLammps();
  if (!probe.available) throw new Error(probe.reason);
  const dir = await mkdtemp(join(tmpdir(), 'brokenrecord-lammps-'));
  try {
    for (const [name, text] of Object.entries(inputs)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, 'in.lammps'), input);
    try {
      await run(probe.command, ['-in', 'in.lammps', '-log', 'log.lammps', '-screen', 'none', '-nocite'], {
        cwd: dir,
        env: lammpsEnv(),
        maxBuffer: 64 << 20,
        timeout: options.timeoutMs ?? 600_000,
      });
    } catch (error) {
      const log = await readFile(join(dir, 'log.lammps'), 'utf8').catch(() => '');
      const errorLine = log.split('\n').find((l) => l.startsWith('ERROR')) ?? (error as Error).message;
      throw new Error(`LAMMPS failed: ${errorLine}`);
    }
    const log = await readFile(join(dir, 'log.lammps'), 'utf8');
    const files = new Map<string, string>();
    for (const name of outputs) files.set(name, await readFile(join(dir, name), 'utf8'));
    return { log, files };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Columns of a `write_dump ... custom` file, by column name, rows in file order (sort them by id). */
export function parseDump(text: string): { columns: Map<string, Float64Array>; box: [number, number][] } {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith('ITEM: ATOMS'));
  const countAt = lines.findIndex((l) => l.startsWith('ITEM: NUMBER OF ATOMS'));
  const boxAt = lines.findIndex((l) => l.startsWith('ITEM: BOX BOUNDS'));
  if (at < 0 || countAt < 0 || boxAt < 0) throw new Error('not a LAMMPS custom dump');
  const n = Number(lines[countAt + 1]);
  const names = lines[at].slice('ITEM: ATOMS'.length).trim().split(/\s+/);
  const columns = new Map(names.map((name) => [name, new Float64Array(n)]));
  for (let r = 0; r < n; r++) {
    const fields = lines[at + 1 + r].trim().split(/\s+/);
    if (fields.length !== names.length) throw new Error(`dump row ${r}: ${fields.length} fields, expected ${names.length}`);
    names.forEach((name, c) => (columns.get(name)![r] = Number(fields[c])));
  }
  const box = [1, 2, 3].map((k) => lines[boxAt + k].trim().split(/\s+/).map(Number) as [number, number]);
  return { columns, box };
}

/** Interleaved x y z from three dump columns, ordered by atom id (1-based). */
export function dumpVectors(dump: ReturnType<typeof parseDump>, names: [string, string, string]): Float64Array {
  const id = dump.columns.get('id');
  if (!id) throw new Error('dump has no id column');
  const cols = names.map((name) => {
    const c = dump.columns.get(name);
    if (!c) throw new Error(`dump has no ${name} column`);
    return c;
  });
  const out = new Float64Array(3 * id.length);
  for (let r = 0; r < id.length; r++) {
    const i = id[r] - 1;
    for (let k = 0; k < 3; k++) out[3 * i + k] = cols[k][r];
  }
  return out;
}

/** Values printed by the script as `print "BR <name> $(<expr>:%.17g)"`. */
export function parsePrinted(log: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const m of log.matchAll(/^BR (\S+) (\S+)$/gm)) values.set(m[1], Number(m[2]));
  return values;
}

export interface LoopTime {
  seconds: number;
  procs: number;
  steps: number;
  atoms: number;
}

/** Every "Loop time of X on P procs for N steps with M atoms" line of a log, in order. */
export function parseLoopTimes(log: string): LoopTime[] {
  return [...log.matchAll(/^Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms/gm)].map((m) => ({
    seconds: Number(m[1]),
    procs: Number(m[2]),
    steps: Number(m[3]),
    atoms: Number(m[4]),
  }));
}
