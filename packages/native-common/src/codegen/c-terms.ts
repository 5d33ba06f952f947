import { buildProgram, freeVariables, programToC, type Expr, type KernelPlan, type Program } from '@brokenrecord/core';

/**
 * The bodies of a plan's expression terms as C-family functions, shared by every emitter that
 * writes its own loops around them (the CPU translation unit in emit-cpp.ts, a CUDA one). The
 * functions differ between emitters only in their qualifier (`fn`: `static inline` on the CPU,
 * `__device__ inline` under CUDA); they read the state through `const br_gen_input* in` (ABI_HEADER)
 * and evaluate in double over the float32 columns, as backend-ts's generated kernels do. User names
 * appear only as `v_<name>` (identifiers, validated by core).
 */
export interface TermOptions {
  /** Qualifier written before every function: `static inline`, `__device__ inline`. */
  fn: string;
}

export const CPU_TERMS: TermOptions = { fn: 'static inline' };

export const cName = (v: string): string => `v_${v}`;

/** Exact float64 literal with a '.' or exponent (String round-trips every finite double). */
export function literal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v} in a generated kernel`);
  const text = String(Math.abs(v));
  const body = /[.eE]/.test(text) ? text : `${text}.0`;
  return v < 0 || Object.is(v, -0) ? `(-${body})` : body;
}

export const indent = (lines: string[], depth: number): string[] => lines.map((l) => '  '.repeat(depth) + l);

function freeOf(p: Program): string[] {
  const temps = new Set(p.temps.map((t) => t.name));
  const names = new Set<string>();
  for (const e of [...p.temps.map((t) => t.expr), ...p.outputs]) for (const v of freeVariables(e)) if (!temps.has(v)) names.add(v);
  return [...names].sort();
}

/** The trees as one program: its free variables, `const double` statements and output expressions. */
export function termCode(outputs: Expr[], prefix: string): { variables: string[]; statements: string[]; outputs: string[] } {
  const program = buildProgram(outputs, { prefix });
  const c = programToC(program, { name: cName, float: 'double' });
  return { variables: freeOf(program), ...c };
}

const PARTICLE_COLUMNS: Record<string, string> = {
  x: 'px',
  y: 'py',
  z: 'pz',
  vx: 'vx',
  vy: 'vy',
  vz: 'vz',
  m: 'mass',
  radius: 'radius',
};

/** The read of a per-particle variable (`t`, a particle column or an attribute) for particle i. */
export function particleRead(name: string, attributes: readonly string[]): string {
  if (name === 't') return `const double ${cName(name)} = in->t;`;
  const column = PARTICLE_COLUMNS[name];
  if (column) return `const double ${cName(name)} = (double)in->${column}[i];`;
  const k = attributes.indexOf(name);
  if (k < 0) throw new Error(`per-particle term: no column for variable '${name}'`);
  return `const double ${cName(name)} = (double)in->attributes[${k}][i];`;
}

/** Reads of a two-body variable (`r`, `<base>1`, `<base>2`, per-bond values) for particles i, j and bond b. */
export function twoBodyRead(name: string, attributes: readonly string[], perBond: readonly string[], paramOffset: number): string {
  if (name === 'r') return `const double ${cName(name)} = sqrt(r2);`;
  const p = perBond.indexOf(name);
  if (p >= 0) return `const double ${cName(name)} = (double)in->bond_params[${paramOffset + p}][b];`;
  const side = name.endsWith('1') ? 'i' : name.endsWith('2') ? 'j' : null;
  const base = name.slice(0, -1);
  if (side) {
    if (base === 'm') return `const double ${cName(name)} = (double)in->mass[${side}];`;
    if (base === 'radius') return `const double ${cName(name)} = (double)in->radius[${side}];`;
    const k = attributes.indexOf(base);
    if (k >= 0) return `const double ${cName(name)} = (double)in->attributes[${k}][${side}];`;
  }
  throw new Error(`two-body term: no source for variable '${name}'`);
}

/** `bool bonded(in, i, j)`: j is in i's exclusion list (CSR `ex_start`/`ex_list`). */
export function exclusionFunction(o: TermOptions): string[] {
  return [
    `${o.fn} bool bonded(const br_gen_input* in, uint32_t i, uint32_t j) {`,
    `  for (uint32_t e = in->ex_start[i]; e < in->ex_start[i + 1]; e++) if (in->ex_list[e] == j) return true;`,
    `  return false;`,
    `}`,
  ];
}

/** `double NAME(in, i, j, r2)`: the sum of one tree per term, each behind its cutoff and exclusion test (needs `bonded`). */
export function pairTermFunction(
  name: string,
  terms: KernelPlan['pairs'],
  pick: (t: KernelPlan['pairs'][number]) => Expr,
  attributes: readonly string[],
  prefix: string,
  o: TermOptions,
): string[] {
  const body: string[] = [];
  terms.forEach((term, k) => {
    const c = termCode([pick(term)], `${prefix}${k}_`);
    let lines = [...c.variables.map((v) => twoBodyRead(v, attributes, [], 0)), ...c.statements, `s += ${c.outputs[0]};`];
    if (term.excludeBonds) lines = [`if (!bonded(in, i, j)) {`, ...indent(lines, 1), `}`];
    if (term.cutoff !== null) lines = [`if (r2 < ${literal(term.cutoff * term.cutoff)}) {`, ...indent(lines, 1), `}`];
    body.push(`{`, ...indent(lines, 1), `}`);
  });
  return [
    `${o.fn} double ${name}(const br_gen_input* in, uint32_t i, uint32_t j, double r2) {`,
    `  double s = 0.0;`,
    ...indent(body, 1),
    `  return s;`,
    `}`,
  ];
}

/**
 * `void NAME(in, i, double* s)`: adds particle i's per-particle terms (three trees each) to s[0..2],
 * term by term; `perMass[k]` divides term k's output by m (a force, not an acceleration).
 */
export function particleTermFunction(
  name: string,
  outputs: Expr[][],
  perMass: boolean[],
  attributes: readonly string[],
  prefix: string,
  o: TermOptions,
): string[] {
  const c = termCode(outputs.flat(), prefix);
  const sums: string[] = [];
  perMass.forEach((divide, k) => {
    const tail = divide ? ' / mi' : '';
    sums.push(
      `s[0] += (${c.outputs[3 * k]})${tail};`,
      `s[1] += (${c.outputs[3 * k + 1]})${tail};`,
      `s[2] += (${c.outputs[3 * k + 2]})${tail};`,
    );
  });
  return [
    `${o.fn} void ${name}(const br_gen_input* in, uint32_t i, double* s) {`,
    ...indent(
      [
        ...c.variables.map((v) => particleRead(v, attributes)),
        ...c.statements,
        `const double mi = (double)in->mass[i];`,
        `(void)mi;`,
        ...sums,
      ],
      1,
    ),
    `}`,
  ];
}

/** `void NAME(in, i, double* u)`: adds particle i's energy trees to *u, one by one. */
export function particleEnergyFunction(
  name: string,
  trees: Expr[],
  attributes: readonly string[],
  prefix: string,
  o: TermOptions,
): string[] {
  const c = termCode(trees, prefix);
  return [
    `${o.fn} void ${name}(const br_gen_input* in, uint32_t i, double* u) {`,
    ...indent([...c.variables.map((v) => particleRead(v, attributes)), ...c.statements, ...c.outputs.map((out) => `*u += ${out};`)], 1),
    `}`,
  ];
}

/** `double NAME(in, b, i, j, r2)`: one bond term's tree for bond b of its table, between particles i and j. */
export function bondTermFunction(
  name: string,
  tree: Expr,
  attributes: readonly string[],
  perBond: readonly string[],
  paramOffset: number,
  prefix: string,
  o: TermOptions,
): string[] {
  const c = termCode([tree], prefix);
  return [
    `${o.fn} double ${name}(const br_gen_input* in, uint32_t b, uint32_t i, uint32_t j, double r2) {`,
    `  (void)b; (void)i; (void)j; (void)r2;`,
    ...indent([...c.variables.map((v) => twoBodyRead(v, attributes, perBond, paramOffset)), ...c.statements], 1),
    `  return ${c.outputs[0]};`,
    `}`,
  ];
}

/** Statements that bring `dx dy dz` to the nearest periodic image (none without a box). */
export function minimumImage(box: KernelPlan['periodic']): string[] {
  return box
    ? (['dx', 'dy', 'dz'] as const).map((d, a) => `${d} -= ${literal(box.length[a])} * round(${d} / ${literal(box.length[a])});`)
    : [];
}
