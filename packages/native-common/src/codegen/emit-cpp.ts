import { buildProgram, freeVariables, programToC, type Expr, type KernelPlan, type Program } from '@brokenrecord/core';

/**
 * C++ source of a system's expression terms (plan.pairs, bonds, external, fields), from the trees
 * only: user names appear only as `v_<name>` (identifiers, validated by core). The programs run in
 * double over the state's float32 columns, as backend-ts's generated kernels do; the source has no
 * intrinsics, so one text compiles as the scalar, AVX2+FMA and AVX-512 variants with their -m
 * flags (the compiler vectorises the per-particle loops), always with -ffp-contract=off.
 *
 * The C ABI (version GENERATED_ABI_VERSION) is one struct of column pointers, counts and time
 * (`br_gen_input`, written out in ABI_HEADER) and three entry points:
 * - `uint32_t br_gen_abi_version(void)`;
 * - `int br_gen_accelerations(const br_gen_input*, uint32_t what, double* ax, double* ay, double* az)`:
 *   adds the accelerations of the terms selected by `what` (GEN_POSITION_TERMS: external forces,
 *   fields without velocities, pair and bond forces; GEN_VELOCITY_TERMS: fields reading vx vy vz);
 *   returns 0, GEN_ERROR_VERSION when the struct's version differs, GEN_ERROR_MEMORY when the cell
 *   grid cannot be allocated;
 * - `double br_gen_potential(const br_gen_input*)`: the terms' potential energy (NaN on error).
 */
export const GENERATED_ABI_VERSION = 1;
export const GEN_POSITION_TERMS = 1;
export const GEN_VELOCITY_TERMS = 2;
export const GEN_ERROR_VERSION = -1;
export const GEN_ERROR_MEMORY = -2;

/** What the caller puts behind the struct's arrays, in this order. */
export interface GeneratedLayout {
  /** `attributes[k]` is the state column of this name (plan.attributes). */
  attributes: string[];
  /** `bond_*[k]` are the tables of plan.bonds[k]; its per-bond values sit at `bond_params[paramOffset + p]`. */
  bonds: { group: string; perBond: string[]; paramOffset: number }[];
  /** The pair terms skip bonded pairs: `ex_start`/`ex_list` (CSR of every bond table's partners) are read. */
  exclusions: boolean;
}

export interface GeneratedSource {
  source: string;
  layout: GeneratedLayout;
}

export const ABI_HEADER = `#include <stdint.h>
#define BR_GEN_ABI_VERSION ${GENERATED_ABI_VERSION}
#define BR_GEN_EXPORT extern "C" __attribute__((visibility("default")))
struct br_gen_input {
  uint32_t version;
  uint32_t count;
  double t;
  const float *px, *py, *pz, *vx, *vy, *vz, *mass, *radius;
  const float* const* attributes;
  const uint32_t* bond_count;
  const int32_t* const* bond_i;
  const int32_t* const* bond_j;
  const float* const* bond_params;
  const uint32_t* ex_start;
  const uint32_t* ex_list;
};`;

const cName = (v: string): string => `v_${v}`;

/** Exact float64 literal with a '.' or exponent (String round-trips every finite double). */
function literal(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v} in a generated kernel`);
  const text = String(Math.abs(v));
  const body = /[.eE]/.test(text) ? text : `${text}.0`;
  return v < 0 || Object.is(v, -0) ? `(-${body})` : body;
}

function freeOf(p: Program): string[] {
  const temps = new Set(p.temps.map((t) => t.name));
  const names = new Set<string>();
  for (const e of [...p.temps.map((t) => t.expr), ...p.outputs]) for (const v of freeVariables(e)) if (!temps.has(v)) names.add(v);
  return [...names].sort();
}

function code(outputs: Expr[], prefix: string): { variables: string[]; statements: string[]; outputs: string[] } {
  const program = buildProgram(outputs, { prefix });
  const c = programToC(program, { name: cName, float: 'double' });
  return { variables: freeOf(program), ...c };
}

const indent = (lines: string[], depth: number): string[] => lines.map((l) => '  '.repeat(depth) + l);

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

function particleRead(name: string, attributes: readonly string[]): string {
  if (name === 't') return `const double ${cName(name)} = in->t;`;
  const column = PARTICLE_COLUMNS[name];
  if (column) return `const double ${cName(name)} = (double)in->${column}[i];`;
  const k = attributes.indexOf(name);
  if (k < 0) throw new Error(`per-particle term: no column for variable '${name}'`);
  return `const double ${cName(name)} = (double)in->attributes[${k}][i];`;
}

/** Reads of a two-body variable (`r`, `<base>1`, `<base>2`, per-bond values) for particles i, j and bond b. */
function twoBodyRead(name: string, attributes: readonly string[], perBond: readonly string[], paramOffset: number): string {
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

/** `static double NAME(in, i, j, r2)`: the sum of one tree per term, each behind its cutoff and exclusion test. */
function pairFunction(
  name: string,
  terms: KernelPlan['pairs'],
  pick: (t: KernelPlan['pairs'][number]) => Expr,
  attributes: readonly string[],
  prefix: string,
): string[] {
  const body: string[] = [];
  terms.forEach((term, k) => {
    const c = code([pick(term)], `${prefix}${k}_`);
    let lines = [...c.variables.map((v) => twoBodyRead(v, attributes, [], 0)), ...c.statements, `s += ${c.outputs[0]};`];
    if (term.excludeBonds) lines = [`if (!bonded(in, i, j)) {`, ...indent(lines, 1), `}`];
    if (term.cutoff !== null) lines = [`if (r2 < ${literal(term.cutoff * term.cutoff)}) {`, ...indent(lines, 1), `}`];
    body.push(`{`, ...indent(lines, 1), `}`);
  });
  return [
    `static inline double ${name}(const br_gen_input* in, uint32_t i, uint32_t j, double r2) {`,
    `  double s = 0.0;`,
    ...indent(body, 1),
    `  return s;`,
    `}`,
  ];
}

/** `static void NAME(in, ax, ay, az)`: per-particle terms; `perMass` divides a term's output by m. */
function particleFunction(name: string, outputs: Expr[][], perMass: boolean[], attributes: readonly string[], prefix: string): string[] {
  const c = code(outputs.flat(), prefix);
  const sums: string[] = [];
  perMass.forEach((divide, k) => {
    const tail = divide ? ' / mi' : '';
    sums.push(`sx += (${c.outputs[3 * k]})${tail};`, `sy += (${c.outputs[3 * k + 1]})${tail};`, `sz += (${c.outputs[3 * k + 2]})${tail};`);
  });
  return [
    `static void ${name}(const br_gen_input* in, double* ax, double* ay, double* az) {`,
    `  const uint32_t n = in->count;`,
    `#pragma omp simd`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    ...indent(
      [
        ...c.variables.map((v) => particleRead(v, attributes)),
        ...c.statements,
        `const double mi = (double)in->mass[i];`,
        `(void)mi;`,
        `double sx = 0.0, sy = 0.0, sz = 0.0;`,
        ...sums,
        `ax[i] += sx;`,
        `ay[i] += sy;`,
        `az[i] += sz;`,
      ],
      2,
    ),
    `  }`,
    `}`,
  ];
}

function particleEnergy(plan: KernelPlan, attributes: readonly string[]): string[] {
  if (plan.external.length === 0) return [`static double external_energy(const br_gen_input*) { return 0.0; }`];
  const c = code(
    plan.external.map((e) => e.energy),
    '_ue',
  );
  return [
    `static double external_energy(const br_gen_input* in) {`,
    `  double u = 0.0;`,
    `  for (uint32_t i = 0; i < in->count; i++) {`,
    ...indent([...c.variables.map((v) => particleRead(v, attributes)), ...c.statements, ...c.outputs.map((o) => `u += ${o};`)], 2),
    `  }`,
    `  return u;`,
    `}`,
  ];
}

function bondFunctions(plan: KernelPlan, layout: GeneratedLayout, attributes: readonly string[]): string[] {
  const lines: string[] = [];
  const image = (box: KernelPlan['periodic']) =>
    box ? (['dx', 'dy', 'dz'] as const).map((d, a) => `${d} -= ${literal(box.length[a])} * round(${d} / ${literal(box.length[a])});`) : [];
  plan.bonds.forEach((bond, k) => {
    const { perBond, paramOffset } = layout.bonds[k]!;
    for (const [kind, tree] of [
      ['force', bond.fScale],
      ['energy', bond.energy],
    ] as const) {
      const c = code([tree], `_b${kind[0]}${k}_`);
      const head = [
        `for (uint32_t b = 0; b < in->bond_count[${k}]; b++) {`,
        `  const uint32_t i = (uint32_t)in->bond_i[${k}][b], j = (uint32_t)in->bond_j[${k}][b];`,
        `  double dx = (double)in->px[j] - (double)in->px[i], dy = (double)in->py[j] - (double)in->py[i], dz = (double)in->pz[j] - (double)in->pz[i];`,
        ...indent(image(plan.periodic), 1),
        `  const double r2 = dx * dx + dy * dy + dz * dz;`,
        ...indent([...c.variables.map((v) => twoBodyRead(v, attributes, perBond, paramOffset)), ...c.statements], 1),
      ];
      if (kind === 'force') {
        lines.push(
          `static void bond_force_${k}(const br_gen_input* in, double* fx, double* fy, double* fz) {`,
          ...indent(head, 1),
          `    const double s = ${c.outputs[0]};`,
          `    fx[i] += s * dx; fy[i] += s * dy; fz[i] += s * dz;`,
          `    fx[j] -= s * dx; fy[j] -= s * dy; fz[j] -= s * dz;`,
          `  }`,
          `}`,
        );
      } else {
        lines.push(
          `static double bond_energy_${k}(const br_gen_input* in) {`,
          `  double u = 0.0;`,
          ...indent(head, 1),
          `    u += ${c.outputs[0]};`,
          `  }`,
          `  return u;`,
          `}`,
        );
      }
    }
  });
  return lines;
}

/**
 * The loops over pairs, shared by forces and energies: `for_grid_pairs` visits every ordered pair
 * (i, j), i ≠ j, with r² < reach² through a cell grid of cells ≥ reach (27 neighbour cells, so each
 * particle sums only its own force: no write to another particle's sum, ready for threads), with
 * the periodic shift of a wrapped neighbour cell as backend-ts does; in a periodic box under three
 * cells an axis, every pair with the nearest image. `for_all_pairs` visits every ordered pair.
 */
function pairLoops(box: KernelPlan['periodic']): string[] {
  const L = box ? box.length.map(literal) : ['0.0', '0.0', '0.0'];
  const lo = box ? box.min.map(literal) : ['0.0', '0.0', '0.0'];
  return [
    `static inline bool bonded(const br_gen_input* in, uint32_t i, uint32_t j) {`,
    `  for (uint32_t e = in->ex_start[i]; e < in->ex_start[i + 1]; e++) if (in->ex_list[e] == j) return true;`,
    `  return false;`,
    `}`,
    `template <class F>`,
    `static void for_all_pairs(const br_gen_input* in, F&& f) {`,
    `  const uint32_t n = in->count;`,
    `  for (uint32_t i = 0; i < n; i++)`,
    `    for (uint32_t j = 0; j < n; j++) {`,
    `      if (j == i) continue;`,
    `      const double dx = (double)in->px[j] - (double)in->px[i], dy = (double)in->py[j] - (double)in->py[i], dz = (double)in->pz[j] - (double)in->pz[i];`,
    `      f(i, j, dx, dy, dz, dx * dx + dy * dy + dz * dz);`,
    `    }`,
    `}`,
    `template <class F>`,
    `static int for_grid_pairs(const br_gen_input* in, double reach, F&& f) {`,
    `  const uint32_t n = in->count;`,
    `  if (n == 0) return 0;`,
    `  const bool periodic = ${box ? 'true' : 'false'};`,
    `  const double L[3] = {${L.join(', ')}};`,
    `  double lo[3] = {${lo.join(', ')}}, cell[3];`,
    `  long nc[3];`,
    `  const float* P[3] = {in->px, in->py, in->pz};`,
    `  const double reach2 = reach * reach;`,
    `  for (int a = 0; a < 3; a++) {`,
    `    if (periodic) {`,
    `      nc[a] = (long)floor(L[a] / reach);`,
    `      if (nc[a] < 3) {`,
    `        for (uint32_t i = 0; i < n; i++)`,
    `          for (uint32_t j = 0; j < n; j++) {`,
    `            if (j == i) continue;`,
    `            double d[3];`,
    `            for (int k = 0; k < 3; k++) { d[k] = (double)P[k][j] - (double)P[k][i]; d[k] -= L[k] * round(d[k] / L[k]); }`,
    `            const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];`,
    `            if (r2 < reach2) f(i, j, d[0], d[1], d[2], r2);`,
    `          }`,
    `        return 0;`,
    `      }`,
    `      cell[a] = L[a] / (double)nc[a];`,
    `    } else {`,
    `      double mn = (double)P[a][0], mx = mn;`,
    `      for (uint32_t i = 1; i < n; i++) { const double x = (double)P[a][i]; mn = x < mn ? x : mn; mx = x > mx ? x : mx; }`,
    `      lo[a] = mn;`,
    `      cell[a] = reach;`,
    `      const double span = (mx - mn) / reach;`,
    `      nc[a] = span < 128.0 ? (long)span + 1 : 128;`,
    `      if (nc[a] == 128) cell[a] = (mx - mn) / 127.0;`,
    `    }`,
    `  }`,
    `  const size_t cells = (size_t)nc[0] * (size_t)nc[1] * (size_t)nc[2];`,
    `  std::vector<uint32_t> start, order, of;`,
    `  try { start.assign(cells + 1, 0); order.resize(n); of.resize(n); } catch (...) { return ${GEN_ERROR_MEMORY}; }`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    `    long g[3];`,
    `    for (int a = 0; a < 3; a++) {`,
    `      long c = (long)floor(((double)P[a][i] - lo[a]) / cell[a]);`,
    `      g[a] = c < 0 ? 0 : c >= nc[a] ? nc[a] - 1 : c;`,
    `    }`,
    `    of[i] = (uint32_t)(g[0] + nc[0] * (g[1] + nc[1] * g[2]));`,
    `    start[of[i] + 1]++;`,
    `  }`,
    `  for (size_t c = 0; c < cells; c++) start[c + 1] += start[c];`,
    `  {`,
    `    std::vector<uint32_t> fill(start.begin(), start.end() - 1);`,
    `    for (uint32_t i = 0; i < n; i++) order[fill[of[i]]++] = i;`,
    `  }`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    `    const long c = (long)of[i];`,
    `    const long cx = c % nc[0], cy = (c / nc[0]) % nc[1], cz = c / (nc[0] * nc[1]);`,
    `    for (long oz = -1; oz <= 1; oz++)`,
    `      for (long oy = -1; oy <= 1; oy++)`,
    `        for (long ox = -1; ox <= 1; ox++) {`,
    `          long g[3] = {cx + ox, cy + oy, cz + oz};`,
    `          double sh[3] = {0.0, 0.0, 0.0};`,
    `          bool outside = false;`,
    `          for (int a = 0; a < 3; a++) {`,
    `            if (g[a] < 0) { if (!periodic) outside = true; g[a] += nc[a]; sh[a] = -L[a]; }`,
    `            else if (g[a] >= nc[a]) { if (!periodic) outside = true; g[a] -= nc[a]; sh[a] = L[a]; }`,
    `          }`,
    `          if (outside) continue;`,
    `          const size_t nb = (size_t)(g[0] + nc[0] * (g[1] + nc[1] * g[2]));`,
    `          for (uint32_t s = start[nb]; s < start[nb + 1]; s++) {`,
    `            const uint32_t j = order[s];`,
    `            if (j == i) continue;`,
    `            const double dx = (double)in->px[j] + sh[0] - (double)in->px[i];`,
    `            const double dy = (double)in->py[j] + sh[1] - (double)in->py[i];`,
    `            const double dz = (double)in->pz[j] + sh[2] - (double)in->pz[i];`,
    `            const double r2 = dx * dx + dy * dy + dz * dz;`,
    `            if (r2 < reach2) f(i, j, dx, dy, dz, r2);`,
    `          }`,
    `        }`,
    `  }`,
    `  return 0;`,
    `}`,
  ];
}

/** The C++ translation unit for a plan's expression terms, and the layout its struct expects. */
export function generateCpp(plan: KernelPlan): GeneratedSource {
  const attributes = plan.attributes;
  let offset = 0;
  const layout: GeneratedLayout = {
    attributes: [...attributes],
    bonds: plan.bonds.map((b) => {
      const entry = { group: b.group, perBond: [...b.perBond], paramOffset: offset };
      offset += b.perBond.length;
      return entry;
    }),
    exclusions: plan.pairs.some((p) => p.excludeBonds),
  };
  const staticFields = plan.fields.filter((f) => !f.usesVelocity);
  const velocityFields = plan.fields.filter((f) => f.usesVelocity);
  const gridTerms = plan.pairs.filter((p) => p.cutoff !== null);
  const rowTerms = plan.pairs.filter((p) => p.cutoff === null);
  const reach = Math.max(0, ...gridTerms.map((p) => p.cutoff!));

  const lines: string[] = [
    '// Generated by @brokenrecord/backend-avx2 from a kernel plan: do not edit.',
    '#include <math.h>',
    '#include <stddef.h>',
    '#include <vector>',
    ABI_HEADER,
    'namespace {',
    ...pairLoops(plan.periodic),
  ];
  const particleOutputs = [...plan.external.map((e) => e.force), ...staticFields.map((f) => f.acceleration)];
  if (particleOutputs.length) {
    lines.push(
      ...particleFunction(
        'particle_terms',
        particleOutputs,
        [...plan.external.map(() => true), ...staticFields.map(() => false)],
        attributes,
        '_e',
      ),
    );
  }
  if (velocityFields.length) {
    lines.push(
      ...particleFunction(
        'velocity_terms',
        velocityFields.map((f) => f.acceleration),
        velocityFields.map(() => false),
        attributes,
        '_v',
      ),
    );
  }
  if (gridTerms.length) {
    lines.push(...pairFunction('grid_force', gridTerms, (t) => t.fScale, attributes, '_g'));
    lines.push(...pairFunction('grid_energy', gridTerms, (t) => t.energy, attributes, '_ug'));
  }
  if (rowTerms.length) {
    lines.push(...pairFunction('rows_force', rowTerms, (t) => t.fScale, attributes, '_a'));
    lines.push(...pairFunction('rows_energy', rowTerms, (t) => t.energy, attributes, '_ua'));
  }
  lines.push(...bondFunctions(plan, layout, attributes), ...particleEnergy(plan, attributes));

  const twoBody = gridTerms.length > 0 || rowTerms.length > 0 || plan.bonds.length > 0;
  lines.push(
    '}  // namespace',
    `BR_GEN_EXPORT uint32_t br_gen_abi_version(void) { return BR_GEN_ABI_VERSION; }`,
    `BR_GEN_EXPORT int br_gen_accelerations(const br_gen_input* in, uint32_t what, double* ax, double* ay, double* az) {`,
    `  if (in->version != BR_GEN_ABI_VERSION) return ${GEN_ERROR_VERSION};`,
    `  const uint32_t n = in->count;`,
    `  (void)n;`,
  );
  if (particleOutputs.length) lines.push(`  if (what & ${GEN_POSITION_TERMS}) particle_terms(in, ax, ay, az);`);
  if (velocityFields.length) lines.push(`  if (what & ${GEN_VELOCITY_TERMS}) velocity_terms(in, ax, ay, az);`);
  if (twoBody) {
    lines.push(
      `  if (what & ${GEN_POSITION_TERMS}) {`,
      `    std::vector<double> fx, fy, fz;`,
      `    try { fx.assign(n, 0.0); fy.assign(n, 0.0); fz.assign(n, 0.0); } catch (...) { return ${GEN_ERROR_MEMORY}; }`,
      `    auto add = [&](uint32_t i, uint32_t j, double s, double dx, double dy, double dz) { (void)j; fx[i] += s * dx; fy[i] += s * dy; fz[i] += s * dz; };`,
      `    (void)add;`,
    );
    if (gridTerms.length) {
      lines.push(
        `    const int rc = for_grid_pairs(in, ${literal(reach)}, [&](uint32_t i, uint32_t j, double dx, double dy, double dz, double r2) { add(i, j, grid_force(in, i, j, r2), dx, dy, dz); });`,
        `    if (rc != 0) return rc;`,
      );
    }
    if (rowTerms.length) {
      lines.push(
        `    for_all_pairs(in, [&](uint32_t i, uint32_t j, double dx, double dy, double dz, double r2) { add(i, j, rows_force(in, i, j, r2), dx, dy, dz); });`,
      );
    }
    plan.bonds.forEach((_, k) => lines.push(`    bond_force_${k}(in, fx.data(), fy.data(), fz.data());`));
    lines.push(
      `    for (uint32_t i = 0; i < n; i++) {`,
      `      const double mi = (double)in->mass[i];`,
      `      ax[i] += fx[i] / mi; ay[i] += fy[i] / mi; az[i] += fz[i] / mi;`,
      `    }`,
      `  }`,
    );
  }
  lines.push(`  return 0;`, `}`);
  lines.push(
    `BR_GEN_EXPORT double br_gen_potential(const br_gen_input* in) {`,
    `  if (in->version != BR_GEN_ABI_VERSION) return NAN;`,
    `  double u = external_energy(in);`,
  );
  if (gridTerms.length) {
    lines.push(
      `  double ug = 0.0;`,
      `  if (for_grid_pairs(in, ${literal(reach)}, [&](uint32_t i, uint32_t j, double, double, double, double r2) { if (j > i) ug += grid_energy(in, i, j, r2); }) != 0) return NAN;`,
      `  u += ug;`,
    );
  }
  if (rowTerms.length) {
    lines.push(
      `  double ua = 0.0;`,
      `  for_all_pairs(in, [&](uint32_t i, uint32_t j, double, double, double, double r2) { if (j > i) ua += rows_energy(in, i, j, r2); });`,
      `  u += ua;`,
    );
  }
  plan.bonds.forEach((_, k) => lines.push(`  u += bond_energy_${k}(in);`));
  lines.push(`  return u;`, `}`, '');
  return { source: lines.join('\n'), layout };
}
