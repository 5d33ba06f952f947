import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '@brokenrecord/core';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

describe('brokenrecord run --out / --plot', () => {
  const dir = tempDir();
  const at = (name: string) => join(dir, name);
  // 250 steps, a frame every 100: frames at steps 0, 100, 200 and the final 250.
  const result = cli(
    [
      'run',
      'solar-system',
      '--steps',
      '250',
      '--every',
      '100',
      '--out',
      't.csv',
      '--out',
      't.xyz',
      '--out',
      't.vtk',
      '--out',
      'end.brsnap',
      '--plot',
      'drift.svg',
    ],
    { cwd: dir },
  );
  const frames = [0, 100, 200, 250];

  it('succeeds and lists what it wrote', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote t.csv: 4 frames (CSV)');
    expect(result.stdout).toContain('wrote t.xyz: 4 frames (XYZ)');
    expect(result.stdout).toContain('wrote t_*.vtk: 4 files (VTK), t_000000.vtk … t_000250.vtk');
    expect(result.stdout).toContain('wrote end.brsnap: snapshot at step 250');
    expect(result.stdout).toMatch(/wrote drift\.svg: drift plot \(\d+ samples\)/);
  });

  it('CSV: one header, then 4 particles per frame with step and time columns', () => {
    const lines = readFileSync(at('t.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('step,time,id,x,y,z,vx,vy,vz,mass,radius');
    expect(lines).toHaveLength(1 + frames.length * 4);
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    expect(rows.every((r) => r.length === 11 && r.every(Number.isFinite))).toBe(true);
    expect([...new Set(rows.map((r) => r[0]))]).toEqual(frames);
    expect(rows.map((r) => r[2])).toEqual(frames.flatMap(() => [0, 1, 2, 3]));
    expect(rows.find((r) => r[0] === 250)![1]).toBeCloseTo(2.5, 12);
    expect(rows[0].slice(3)).toEqual([0, 0, 0, 0, -0.03125, 0, 1000, 5]); // the sun at step 0
  });

  it('XYZ: per frame a count line, a comment with the column layout and step, one line per particle', () => {
    const lines = readFileSync(at('t.xyz'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(frames.length * (2 + 4));
    frames.forEach((step, f) => {
      const block = lines.slice(f * 6, (f + 1) * 6);
      expect(block[0]).toBe('4');
      expect(block[1]).toMatch(/^Properties=species:S:1:pos:R:3:velo:R:3:mass:R:1:radius:R:1 /);
      expect(block[1]).toContain(`step=${step} `);
      for (const row of block.slice(2)) expect(row.split(' ')).toHaveLength(9);
    });
  });

  it('VTK: one legacy polydata file per frame, numbered by step', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.vtk'))
      .sort();
    expect(files).toEqual(frames.map((s) => `t_${String(s).padStart(6, '0')}.vtk`));
    for (const file of files) {
      const lines = readFileSync(at(file), 'utf8').trimEnd().split('\n');
      expect(lines.slice(0, 5)).toEqual([
        '# vtk DataFile Version 3.0',
        expect.stringMatching(/^BrokenRecord step \d+/),
        'ASCII',
        'DATASET POLYDATA',
        'POINTS 4 float',
      ]);
      expect(lines).toContain('VERTICES 4 8');
      expect(lines).toContain('POINT_DATA 4');
      expect(lines).toContain('VECTORS velocity float');
      const points = lines.slice(5, 9).map((l) => l.split(' ').map(Number));
      expect(points.every((p) => p.length === 3 && p.every(Number.isFinite))).toBe(true);
    }
  });

  it('snapshot: the final state at step 250, readable by core', async () => {
    const snap = await loadSnapshot(at('end.brsnap'));
    expect(snap.step).toBe(250);
    expect(snap.dt).toBe(0.01);
    expect(snap.state.count).toBe(4);
    expect(snap.system.conserves).toEqual(['energy', 'momentum', 'angularMomentum']);
    // The same state as the last CSV frame (CSV prints float32 values exactly as JavaScript numbers).
    const lastFrame = readFileSync(at('t.csv'), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-4)
      .map((l) => l.split(',').map(Number));
    lastFrame.forEach((row, i) =>
      expect([snap.state.px[i], snap.state.py[i], snap.state.vx[i], snap.state.vy[i]]).toEqual([row[3], row[4], row[6], row[7]]),
    );
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]); // the atomic write left no temp file
  });

  it('plot: a well-formed SVG with one panel and line per quantity', () => {
    const svg = readFileSync(at('drift.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(unbalancedTag(svg)).toBeNull();
    expect(unbalancedTag(svg.replace('</g>', ''))).not.toBeNull(); // the check itself can fail
    for (const label of ['energy', 'momentum', 'angular momentum', 'relative drift', 'simulated time'])
      expect(svg).toContain(`>${label}</text>`);
    // Each line mark's path runs through every sample: start, one per pause, so far more than 2 points.
    const paths = [...svg.matchAll(/<g class="mark-line[^>]*>\s*<path [^>]*?d="(M[^"]+)"/g)].map((m) => m[1]);
    expect(paths).toHaveLength(3);
    for (const d of paths) expect(d.split('L').length).toBeGreaterThan(50);
  });
});

/** The first element that is not properly closed (a small XML well-formedness check), or null. */
function unbalancedTag(xml: string): string | null {
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([A-Za-z][\w:-]*)(?:\s[^<>]*?)?(\/?)>/g)) {
    if (selfClosing) continue;
    if (!closing) stack.push(name);
    else if (stack.pop() !== name) return name;
  }
  return stack.length ? stack[stack.length - 1] : null;
}
