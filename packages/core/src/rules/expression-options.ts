import { ValidationError } from '../errors.js';
import { parseExpression, type Expr } from '../expr/index.js';
import { finiteNumber } from './rule.js';

/**
 * Options shared by the rules a user writes as math (pairForce, externalForce, bondForce, field):
 * named constants and the per-particle attribute columns the expressions read. Validation happens
 * here, in the factory, so a typo is a ValidationError with a caret before any backend exists.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Names the language gives a meaning of its own; parameters and columns may not reuse them. */
const RESERVED = new Set(['x', 'y', 'z', 'vx', 'vy', 'vz', 'r', 't', 'm', 'radius', 'px', 'py', 'pz', 'mass']);

export function identifier(field: string, name: unknown): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new ValidationError(field, `${JSON.stringify(name)} is not an identifier ([A-Za-z_][A-Za-z0-9_]*)`);
  }
  return name;
}

/** An identifier that does not shadow a variable of the language (parameters, columns, per-bond values). */
export function ownName(field: string, name: unknown): string {
  identifier(field, name);
  if (RESERVED.has(name as string)) throw new ValidationError(field, `'${name as string}' is a variable name of the expression language`);
  return name as string;
}

/** `{ k: 2 }`: finite numbers under identifiers that no variable uses. */
export function parameterTable(rule: string, value: unknown): Readonly<Record<string, number>> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValidationError(`${rule}.parameters`, 'expected an object of numbers, e.g. { k: 2 }');
  }
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(value)) {
    ownName(`${rule}.parameters.${name}`, name);
    out[name] = finiteNumber(`${rule}.parameters.${name}`, v);
  }
  return out;
}

/** `['q', 'sigma']`: attribute columns of the state, read as `q` (external, field) or `q1`/`q2` (pair, bond). */
export function columnList(rule: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ValidationError(`${rule}.perParticle`, "expected an array of attribute names, e.g. ['q']");
  const seen = new Set<string>();
  for (const [i, name] of value.entries()) {
    ownName(`${rule}.perParticle[${i}]`, name);
    if (seen.has(name as string)) throw new ValidationError(`${rule}.perParticle[${i}]`, `'${name}' is listed twice`);
    seen.add(name as string);
  }
  return [...seen];
}

/** No name may mean two things: a parameter and a column (or a per-bond value) with one name is ambiguous. */
export function checkDistinct(rule: string, groups: Record<string, readonly string[]>): void {
  const owner = new Map<string, string>();
  for (const [group, names] of Object.entries(groups)) {
    for (const name of names) {
      const other = owner.get(name);
      if (other) throw new ValidationError(`${rule}.${group}`, `'${name}' is also one of ${other}`);
      owner.set(name, group);
    }
  }
}

/** Variables a pair or bond expression may read: r, and each particle's values with suffix 1 and 2. */
export function twoBodyVariables(columns: readonly string[], extra: readonly string[] = []): string[] {
  const names = ['r'];
  for (const base of ['m', 'radius', ...columns]) names.push(`${base}1`, `${base}2`);
  return [...names, ...extra];
}

/** Parses one expression option; the tree is what every backend's code is generated from. */
export function expression(field: string, source: unknown, variables: Iterable<string>): Expr {
  if (typeof source !== 'string' || source.trim() === '') {
    throw new ValidationError(field, 'expected an expression string');
  }
  return parseExpression(source, { variables, field });
}

export function positiveOrNull(field: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  return finiteNumber(field, value, (v) => (v > 0 ? null : 'must be > 0'));
}
