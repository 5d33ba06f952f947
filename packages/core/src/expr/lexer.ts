import { sourceError } from './source-error.js';

/** One token; `pos` is its column in the source, used for caret diagnostics. */
export type Token =
  | { readonly kind: 'num'; readonly value: number; readonly text: string; readonly pos: number }
  | { readonly kind: 'ident'; readonly text: string; readonly pos: number }
  | { readonly kind: 'op'; readonly text: string; readonly pos: number }
  | { readonly kind: 'end'; readonly text: ''; readonly pos: number };

const OPERATORS = new Set(['+', '-', '*', '/', '^', '(', ')', ',', ';', '=']);
const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Splits the source into tokens; the last token is always `end` (at column = source length). */
export function tokenize(source: string, field: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = source.slice(i);
    const n = NUMBER.exec(rest);
    if (n) {
      const text = n[0];
      // `1e` or `2.5E+` would otherwise lex as a number followed by an identifier: say what is wrong.
      const after = rest.slice(text.length);
      if (/^[eE]/.test(after)) throw sourceError(field, `malformed number '${text}${after[0]}'`, source, i);
      const value = Number(text);
      if (!Number.isFinite(value)) throw sourceError(field, `number '${text}' is too large`, source, i);
      tokens.push({ kind: 'num', value, text, pos: i });
      i += text.length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id) {
      tokens.push({ kind: 'ident', text: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (OPERATORS.has(c)) {
      tokens.push({ kind: 'op', text: c, pos: i });
      i++;
      continue;
    }
    throw sourceError(field, `unexpected character '${c}'`, source, i);
  }
  tokens.push({ kind: 'end', text: '', pos: source.length });
  return tokens;
}
