import type { CaseResult, RowResult } from './report.js';

export function formatSeconds(s: number): string {
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${(s * 1e6).toPrecision(3)} µs`;
}

/** 3 significant digits with an SI prefix: 81.0 M, 1.23 G. */
export function formatRate(x: number): string {
  const prefixes: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, prefix] of prefixes) if (x >= scale) return `${(x / scale).toPrecision(3)} ${prefix}`;
  return x.toPrecision(3);
}

export function formatRatio(r: number | undefined): string {
  if (r === undefined) return '—';
  return `${r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)}×`;
}

function positionCheck(row: RowResult): string {
  if (!row.check) return '';
  if (row.check === 'reference') return 'reference';
  const worst = row.check.worstRelative.toExponential(0);
  return row.check.ok ? `ok (${worst})` : `MISMATCH (${worst} vs ${row.check.against})`;
}

/** B4: "ΔE 2e-3, U₀ 2e-9, E₁ 1e-7" beside the position check; a figure out of bounds prefixes ENERGY. */
function checkCell(row: RowResult): string {
  const position = positionCheck(row);
  const e = row.energy;
  if (!e) return position;
  const figures = [`ΔE ${Number.isFinite(e.drift) ? e.drift.toExponential(0) : 'none'}`];
  if (e.potential0Relative !== null) figures.push(`U₀ ${e.potential0Relative.toExponential(0)}`);
  if (e.total1Relative !== null) figures.push(`E₁ ${e.total1Relative.toExponential(0)}`);
  return `${position}${position ? '; ' : ''}${e.ok ? '' : 'ENERGY '}${figures.join(', ')}`;
}

function targetCell(row: RowResult): string {
  if (!row.target) return '';
  const { text, verdict } = row.target;
  return `${text}: ${verdict === 'met' ? 'met' : verdict === 'missed' ? 'MISSED' : 'n/a'}`;
}

/** Left-aligned first column, right-aligned figures; rows without figures print their reason. */
function renderTable(header: string[], rows: (string[] | { label: string; text: string })[]): string {
  const full = rows.filter((r): r is string[] => Array.isArray(r));
  const widths = header.map((h, c) => Math.max(h.length, ...full.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 || c >= cells.length - 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(Array.isArray(r) ? line(r) : `${r.label.padEnd(widths[0])}  ${r.text}`);
  return out.join('\n');
}

export function renderCase(result: CaseResult): string {
  const showFlops = result.rows.some((r) => r.gflops !== undefined);
  const header = [
    'row',
    'median',
    'min–max',
    'runs',
    result.unit,
    ...(showFlops ? ['GFLOP/s'] : []),
    '× JS f32',
    '× C 1t',
    'other load',
    'target',
    'check',
  ];
  const rows = result.rows.map((row) => {
    if (row.status !== 'ok' || !row.seconds) {
      const target = row.target ? `   [target ${targetCell(row)}]` : '';
      // First line only: a stack trace belongs in the JSON, not in the table.
      const reason = (row.reason ?? '').split('\n')[0];
      return { label: row.label, text: `${row.status}: ${reason}${target}` };
    }
    const s = row.seconds;
    return [
      row.label,
      formatSeconds(s.median),
      `${formatSeconds(s.min)} – ${formatSeconds(s.max)}`,
      String(s.runs.length),
      formatRate(row.throughput!),
      ...(showFlops ? [row.gflops!.toPrecision(3)] : []),
      formatRatio(row.vsFloat32),
      formatRatio(row.vsC),
      row.otherLoad === null || row.otherLoad === undefined ? '?' : `${row.otherLoad.toFixed(1)} cores`,
      targetCell(row),
      checkCell(row),
    ];
  });
  const title = `${result.id}: ${result.title} — N = ${result.n.toLocaleString('en-US')}, ${result.steps} step${result.steps === 1 ? '' : 's'} of dt = ${result.dt} per run`;
  const notes = [
    `throughput: ${result.convention}, per second at the median time`,
    'other load: cores kept busy by other processes meanwhile (threaded rows suffer first)',
    ...result.notes,
    ...result.rows.filter((r) => r.detail).map((r) => `${r.label}: ${r.detail}`),
  ];
  return [title, '', renderTable(header, rows), '', ...notes.map((n) => `  ${n}`)].join('\n');
}
