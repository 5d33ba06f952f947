import type { KernelPlan } from '@brokenrecord/core';
import {
  ABI_HEADER,
  GEN_ERROR_MEMORY,
  GEN_ERROR_VERSION,
  GEN_POSITION_TERMS,
  GEN_VELOCITY_TERMS,
  generatedLayout,
  type GeneratedSource,
} from './abi.js';
import {
  bondTermFunction,
  CPU_TERMS,
  exclusionFunction,
  indent,
  literal,
  minimumImage,
  pairTermFunction,
  particleEnergyFunction,
  particleTermFunction,
} from './c-terms.js';
import { neighbourList } from './cpu-neighbours.js';

export {
  ABI_HEADER,
  GENERATED_ABI_VERSION,
  GEN_ERROR_MEMORY,
  GEN_ERROR_VERSION,
  GEN_POSITION_TERMS,
  GEN_VELOCITY_TERMS,
  type GeneratedLayout,
  type GeneratedSource,
} from './abi.js';

/**
 * The CPU translation unit of a system's expression terms (plan.pairs, bonds, external, fields)
 * behind the C ABI of abi.ts: the term bodies come from c-terms.ts, the loops over particles, pairs
 * and bonds are written here. The source has no intrinsics, so one text compiles as the scalar,
 * AVX2+FMA and AVX-512 variants with their -m flags (the compiler vectorises the per-particle
 * loops), always with -ffp-contract=off.
 */

/** `static void NAME(in, ax, ay, az)`: a loop over particles adding the per-particle function FN's sums. */
function particleLoop(name: string, fn: string): string[] {
  return [
    `static void ${name}(const br_gen_input* in, double* ax, double* ay, double* az) {`,
    `  const uint32_t n = in->count;`,
    `#pragma omp simd`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    `    double s[3] = {0.0, 0.0, 0.0};`,
    `    ${fn}(in, i, s);`,
    `    ax[i] += s[0];`,
    `    ay[i] += s[1];`,
    `    az[i] += s[2];`,
    `  }`,
    `}`,
  ];
}

function particleEnergy(plan: KernelPlan, attributes: readonly string[]): string[] {
  if (plan.external.length === 0) return [`static double external_energy(const br_gen_input*) { return 0.0; }`];
  return [
    ...particleEnergyFunction(
      'external_energy_at',
      plan.external.map((e) => e.energy),
      attributes,
      '_ue',
      CPU_TERMS,
    ),
    `static double external_energy(const br_gen_input* in) {`,
    `  double u = 0.0;`,
    `  for (uint32_t i = 0; i < in->count; i++) external_energy_at(in, i, &u);`,
    `  return u;`,
    `}`,
  ];
}

function bondFunctions(plan: KernelPlan, layout: GeneratedSource['layout'], attributes: readonly string[]): string[] {
  const lines: string[] = [];
  plan.bonds.forEach((bond, k) => {
    const { perBond, paramOffset } = layout.bonds[k]!;
    lines.push(
      ...bondTermFunction(`bond_fscale_${k}`, bond.fScale, attributes, perBond, paramOffset, `_bf${k}_`, CPU_TERMS),
      ...bondTermFunction(`bond_energy_at_${k}`, bond.energy, attributes, perBond, paramOffset, `_be${k}_`, CPU_TERMS),
    );
    const head = [
      `for (uint32_t b = 0; b < in->bond_count[${k}]; b++) {`,
      `  const uint32_t i = (uint32_t)in->bond_i[${k}][b], j = (uint32_t)in->bond_j[${k}][b];`,
      `  double dx = (double)in->px[j] - (double)in->px[i], dy = (double)in->py[j] - (double)in->py[i], dz = (double)in->pz[j] - (double)in->pz[i];`,
      ...indent(minimumImage(plan.periodic), 1),
      `  const double r2 = dx * dx + dy * dy + dz * dz;`,
    ];
    lines.push(
      `static void bond_force_${k}(const br_gen_input* in, double* fx, double* fy, double* fz) {`,
      ...indent(head, 1),
      `    const double s = bond_fscale_${k}(in, b, i, j, r2);`,
      `    fx[i] += s * dx; fy[i] += s * dy; fz[i] += s * dz;`,
      `    fx[j] -= s * dx; fy[j] -= s * dy; fz[j] -= s * dz;`,
      `  }`,
      `}`,
      `static double bond_energy_${k}(const br_gen_input* in) {`,
      `  double u = 0.0;`,
      ...indent(head, 1),
      `    u += bond_energy_at_${k}(in, b, i, j, r2);`,
      `  }`,
      `  return u;`,
      `}`,
    );
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
    ...exclusionFunction(CPU_TERMS),
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

/**
 * fx/fy/fz[i] += Σ_{j≠i} rows_force(i, j)·d over every other particle: particles on threads, the
 * loop over j vectorised (j = i selected away after the lanes computed it).
 */
function rowForces(): string[] {
  return [
    `static void row_forces(const br_gen_input* in, double* fx, double* fy, double* fz) {`,
    `  const uint32_t n = in->count;`,
    `#pragma omp parallel for schedule(dynamic, 64)`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    `    const double xi = in->px[i], yi = in->py[i], zi = in->pz[i];`,
    `    double sx = 0.0, sy = 0.0, sz = 0.0;`,
    `#pragma omp simd reduction(+ : sx, sy, sz)`,
    `    for (uint32_t j = 0; j < n; j++) {`,
    `      const double dx = (double)in->px[j] - xi, dy = (double)in->py[j] - yi, dz = (double)in->pz[j] - zi;`,
    `      const double f = rows_force(in, i, j, dx * dx + dy * dy + dz * dz);`,
    `      const double s = j != i ? f : 0.0;`,
    `      sx += s * dx; sy += s * dy; sz += s * dz;`,
    `    }`,
    `    fx[i] += sx; fy[i] += sy; fz[i] += sz;`,
    `  }`,
    `}`,
  ];
}

/** The C++ translation unit for a plan's expression terms, and the layout its struct expects. */
export function generateCpp(plan: KernelPlan): GeneratedSource {
  const attributes = plan.attributes;
  const layout = generatedLayout(plan);
  const staticFields = plan.fields.filter((f) => !f.usesVelocity);
  const velocityFields = plan.fields.filter((f) => f.usesVelocity);
  const gridTerms = plan.pairs.filter((p) => p.cutoff !== null);
  const rowTerms = plan.pairs.filter((p) => p.cutoff === null);
  const reach = Math.max(0, ...gridTerms.map((p) => p.cutoff!));

  const lines: string[] = [
    '// Generated by @brokenrecord/native-common from a kernel plan: do not edit.',
    '#include <math.h>',
    '#include <stddef.h>',
    '#include <algorithm>',
    '#include <vector>',
    '#ifdef _OPENMP',
    '#include <omp.h>',
    '#endif',
    ABI_HEADER,
    'namespace {',
    ...pairLoops(plan.periodic),
  ];
  // Without a cutoff pair term the workspace holds only the force sums.
  if (!gridTerms.length) lines.push(`struct Workspace { std::vector<double> fx, fy, fz; };`);
  const particleOutputs = [...plan.external.map((e) => e.force), ...staticFields.map((f) => f.acceleration)];
  if (particleOutputs.length) {
    lines.push(
      ...particleTermFunction(
        'particle_terms_at',
        particleOutputs,
        [...plan.external.map(() => true), ...staticFields.map(() => false)],
        attributes,
        '_e',
        CPU_TERMS,
      ),
      ...particleLoop('particle_terms', 'particle_terms_at'),
    );
  }
  if (velocityFields.length) {
    lines.push(
      ...particleTermFunction(
        'velocity_terms_at',
        velocityFields.map((f) => f.acceleration),
        velocityFields.map(() => false),
        attributes,
        '_v',
        CPU_TERMS,
      ),
      ...particleLoop('velocity_terms', 'velocity_terms_at'),
    );
  }
  if (gridTerms.length) {
    lines.push(...pairTermFunction('grid_force', gridTerms, (t) => t.fScale, attributes, '_g', CPU_TERMS));
    lines.push(...neighbourList(plan.periodic, reach));
    lines.push(...pairTermFunction('grid_energy', gridTerms, (t) => t.energy, attributes, '_ug', CPU_TERMS));
  }
  if (rowTerms.length) {
    lines.push(...pairTermFunction('rows_force', rowTerms, (t) => t.fScale, attributes, '_a', CPU_TERMS));
    lines.push(...rowForces());
    lines.push(...pairTermFunction('rows_energy', rowTerms, (t) => t.energy, attributes, '_ua', CPU_TERMS));
  }
  lines.push(...bondFunctions(plan, layout, attributes), ...particleEnergy(plan, attributes));

  const twoBody = gridTerms.length > 0 || rowTerms.length > 0 || plan.bonds.length > 0;
  lines.push(
    '}  // namespace',
    `BR_GEN_EXPORT uint32_t br_gen_abi_version(void) { return BR_GEN_ABI_VERSION; }`,
    `BR_GEN_EXPORT void* br_gen_workspace_create(void) { try { return new Workspace(); } catch (...) { return nullptr; } }`,
    `BR_GEN_EXPORT void br_gen_workspace_destroy(void* w) { delete static_cast<Workspace*>(w); }`,
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
      `    Workspace local;`,
      `    Workspace& w = in->workspace ? *static_cast<Workspace*>(in->workspace) : local;`,
      `    try { w.fx.assign(n, 0.0); w.fy.assign(n, 0.0); w.fz.assign(n, 0.0); } catch (...) { return ${GEN_ERROR_MEMORY}; }`,
      `    double* fx = w.fx.data(); double* fy = w.fy.data(); double* fz = w.fz.data();`,
      `    (void)fx; (void)fy; (void)fz;`,
    );
    if (gridTerms.length) lines.push(`    { const int rc = list_forces(in, w, fx, fy, fz); if (rc != 0) return rc; }`);
    if (rowTerms.length) lines.push(`    row_forces(in, fx, fy, fz);`);
    plan.bonds.forEach((_, k) => lines.push(`    bond_force_${k}(in, fx, fy, fz);`));
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
