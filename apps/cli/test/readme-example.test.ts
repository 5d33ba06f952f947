import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README's "Write your own physics" example is code users copy: this runs it exactly as it
 * stands there and compares what it prints with the output the README shows under it, so neither
 * can change without the other.
 */
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));
/** Resolves `@brokenrecord/core` (and discovers `@brokenrecord/backend-ts`) as an installed application would. */
const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const HEADING = '## Write your own physics';

function exampleOf(markdown: string): { code: string; output: string } {
  const at = markdown.indexOf(`\n${HEADING}\n`);
  if (at < 0) throw new Error(`README.md has no "${HEADING}" section`);
  const rest = markdown.slice(at + HEADING.length + 2);
  const next = rest.search(/^## /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  const block = (lang: string, from: number) => {
    const open = section.indexOf(`\n\`\`\`${lang}\n`, from);
    if (open < 0) throw new Error(`the section has no \`\`\`${lang} block`);
    const start = open + lang.length + 5;
    const end = section.indexOf('\n```\n', start - 1);
    if (end < 0) throw new Error(`the \`\`\`${lang} block is not closed`);
    return { text: section.slice(start, end + 1), end };
  };
  const code = block('js', 0);
  const output = block('text', code.end);
  return { code: code.text, output: output.text };
}

const NUMBER = /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g;

/** Same words, and every number within 2e-4 of the shown one (they are printed to 4 decimals). */
function expectSameOutput(actual: string, shown: string): void {
  const lines = (s: string) => s.trimEnd().split('\n');
  const [a, b] = [lines(actual), lines(shown)];
  expect(
    a.map((l) => l.replace(NUMBER, '#')),
    'the printed lines, numbers aside',
  ).toEqual(b.map((l) => l.replace(NUMBER, '#')));
  a.forEach((line, k) => {
    const got = (line.match(NUMBER) ?? []).map(Number);
    const want = (b[k].match(NUMBER) ?? []).map(Number);
    got.forEach((v, j) => expect(Math.abs(v - want[j]), `line ${k + 1}: ${line}`).toBeLessThanOrEqual(2e-4 + 1e-6 * Math.abs(want[j])));
  });
}

describe('README: Write your own physics', () => {
  const { code, output } = exampleOf(readFileSync(README, 'utf8'));

  it('runs as written and prints what the README shows', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, BROKENRECORD_BACKEND: 'ts' };
    delete env.NODE_PATH;
    const r = spawnSync(process.execPath, ['--input-type=module'], { input: code, cwd: APP_DIR, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectSameOutput(r.stdout, output);
  });

  it('compares numbers, so a different result fails', () => {
    expect(() => expectSameOutput('lowest bead at y = -9.8930', 'lowest bead at y = -9.8927')).toThrow();
    expect(() => expectSameOutput('lowest bead at y = -9.8928', 'lowest bead at y = -9.8927')).not.toThrow();
    expect(() => expectSameOutput('A after one turn', 'B after one turn')).toThrow();
  });
});
