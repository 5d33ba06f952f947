import type { KernelPlan } from '@brokenrecord/core';
import { GEN_ERROR_MEMORY } from './abi.js';
import { literal } from './c-terms.js';

/**
 * The CPU translation unit's cutoff pair loop: a neighbour list with a skin, kept in the
 * caller's workspace (`br_gen_input.workspace`, made by `br_gen_workspace_create`) and rebuilt
 * when the particle count changed or any particle moved more than skin/2 since the last build (so
 * no pair within the cutoff is ever missed, whatever moved it: a step, a wrap, an edit). Each
 * particle lists every other within cutoff + skin (a full list: every particle sums only its own
 * force, so the per-particle loop runs on OpenMP threads with no shared writes, and the result does
 * not depend on the thread count). The separation is the nearest image in a periodic box (exact
 * for pairs within the cutoff, which is at most L/2) and the loop over a particle's neighbours is
 * vectorised (`omp simd`, its three sums reduced lane by lane, then across lanes).
 *
 * The list is built through a cell grid of cells ≥ cutoff + skin (27 neighbour cells, each
 * periodic axis wrapped; an axis with fewer than 3 cells lists every pair), in two passes (count,
 * then fill) over particles in parallel.
 */
export function neighbourList(box: KernelPlan['periodic'], reach: number): string[] {
  const skin = 0.12 * reach;
  const listReach = reach + skin;
  const L = box ? box.length.map(literal) : ['0.0', '0.0', '0.0'];
  // Nearest image of a separation of two wrapped coordinates (|d| < L): one conditional shift, no
  // division (exact: d ± L of float32 values is exact in double). At |d| = L/2 either image is.
  const half = box ? box.length.map((l) => literal(l / 2)) : [];
  const image = (d: string, a: number) =>
    box ? `${d} = ${d} > ${half[a]} ? ${d} - ${L[a]} : (${d} < -${half[a]} ? ${d} + ${L[a]} : ${d});` : '';
  return [
    `struct Workspace {`,
    `  std::vector<uint32_t> start, list, cell_start, cell_order, cell_of;`,
    `  std::vector<float> x0, y0, z0;`,
    `  std::vector<double> cx, cy, cz;`,
    `  std::vector<std::vector<uint32_t>> parts;`,
    `  std::vector<double> fx, fy, fz;`,
    `  uint32_t built_for = 0;`,
    `  bool valid = false;`,
    `};`,
    `static const double kListReach = ${literal(listReach)};`,
    `static const double kHalfSkin2 = ${literal((skin / 2) * (skin / 2))};`,
    `static bool list_is_current(const br_gen_input* in, const Workspace& w) {`,
    `  const uint32_t n = in->count;`,
    `  if (!w.valid || w.built_for != n) return false;`,
    `  bool moved = false;`,
    `#pragma omp parallel for schedule(static) reduction(|| : moved)`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    `    double dx = (double)in->px[i] - (double)w.x0[i], dy = (double)in->py[i] - (double)w.y0[i], dz = (double)in->pz[i] - (double)w.z0[i];`,
    ...[image('dx', 0), image('dy', 1), image('dz', 2)].filter(Boolean).map((l) => `    ${l}`),
    `    // NaN compares false: a diverged state keeps its list (its forces are NaN anyway).`,
    `    if (dx * dx + dy * dy + dz * dz > kHalfSkin2) moved = true;`,
    `  }`,
    `  return !moved;`,
    `}`,
    `/** Cell of x along one axis, clamped (a NaN goes to cell 0). */`,
    `static inline long cell_index(double x, double lo, double cell, long cells) {`,
    `  const double c = floor((x - lo) / cell);`,
    `  return c >= 0.0 ? (c < (double)cells ? (long)c : cells - 1) : 0;`,
    `}`,
    `/** Every j != i within kListReach of i, in cell order, given to visit(j); positions packed by cell in w.cx/cy/cz. */`,
    `template <class F>`,
    `static inline void scan_candidates(const br_gen_input* in, const Workspace& w, const long* nc, bool brute, uint32_t i, F&& visit) {`,
    `  const double r2max = kListReach * kListReach;`,
    `  const double xi = in->px[i], yi = in->py[i], zi = in->pz[i];`,
    `  const double* X = w.cx.data(); const double* Y = w.cy.data(); const double* Z = w.cz.data();`,
    `  auto slots = [&](uint32_t lo, uint32_t hi) {`,
    `    for (uint32_t s = lo; s < hi; s++) {`,
    `      double dx = X[s] - xi, dy = Y[s] - yi, dz = Z[s] - zi;`,
    ...[image('dx', 0), image('dy', 1), image('dz', 2)].filter(Boolean).map((l) => `      ${l}`),
    `      if (dx * dx + dy * dy + dz * dz < r2max) { const uint32_t j = w.cell_order[s]; if (j != i) visit(j); }`,
    `    }`,
    `  };`,
    `  if (brute) { slots(0, in->count); return; }`,
    `  const long c = (long)w.cell_of[i];`,
    `  const long cx = c % nc[0], cy = (c / nc[0]) % nc[1], cz = c / (nc[0] * nc[1]);`,
    `  for (long oz = -1; oz <= 1; oz++)`,
    `    for (long oy = -1; oy <= 1; oy++)`,
    `      for (long ox = -1; ox <= 1; ox++) {`,
    `        long g[3] = {cx + ox, cy + oy, cz + oz};`,
    `        bool outside = false;`,
    `        for (int a = 0; a < 3; a++) {`,
    `          if (g[a] < 0) { outside = outside || !${box ? 'true' : 'false'}; g[a] += nc[a]; }`,
    `          else if (g[a] >= nc[a]) { outside = outside || !${box ? 'true' : 'false'}; g[a] -= nc[a]; }`,
    `        }`,
    `        if (outside) continue;`,
    `        const size_t nb = (size_t)(g[0] + nc[0] * (g[1] + nc[1] * g[2]));`,
    `        slots(w.cell_start[nb], w.cell_start[nb + 1]);`,
    `      }`,
    `}`,
    `static int build_list(const br_gen_input* in, Workspace& w) {`,
    `  const uint32_t n = in->count;`,
    `  const float* P[3] = {in->px, in->py, in->pz};`,
    `  const double L[3] = {${L.join(', ')}};`,
    `  double lo[3] = {${box ? box.min.map(literal).join(', ') : '0.0, 0.0, 0.0'}}, cell[3];`,
    `  long nc[3];`,
    `  bool brute = false;`,
    `  for (int a = 0; a < 3; a++) {`,
    box
      ? `    nc[a] = (long)floor(L[a] / kListReach); if (nc[a] < 3) { brute = true; nc[a] = 1; } cell[a] = L[a] / (double)nc[a];`
      : `    double mn = (double)P[a][0], mx = mn;
    for (uint32_t i = 1; i < n; i++) { const double x = (double)P[a][i]; mn = x < mn ? x : mn; mx = x > mx ? x : mx; }
    if (!(mx - mn < 1e300)) { mn = 0.0; mx = 0.0; }  // NaN or infinite coordinates: one cell, clamped
    lo[a] = mn; cell[a] = kListReach;
    const double span = (mx - mn) / kListReach;
    nc[a] = span < 128.0 ? (long)span + 1 : 128;
    if (nc[a] == 128) cell[a] = (mx - mn) / 127.0;`,
    `  }`,
    `  (void)L;`,
    `  const size_t cells = (size_t)nc[0] * (size_t)nc[1] * (size_t)nc[2];`,
    `  try {`,
    `    w.cell_start.assign(cells + 1, 0); w.cell_order.resize(n); w.cell_of.resize(n); w.start.assign((size_t)n + 1, 0);`,
    `    w.x0.resize(n); w.y0.resize(n); w.z0.resize(n); w.cx.resize(n); w.cy.resize(n); w.cz.resize(n);`,
    `  } catch (...) { return ${GEN_ERROR_MEMORY}; }`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    `    long g[3];`,
    `    for (int a = 0; a < 3; a++) g[a] = cell_index((double)P[a][i], lo[a], cell[a], nc[a]);`,
    `    w.cell_of[i] = (uint32_t)(g[0] + nc[0] * (g[1] + nc[1] * g[2]));`,
    `    w.cell_start[w.cell_of[i] + 1]++;`,
    `  }`,
    `  for (size_t c = 0; c < cells; c++) w.cell_start[c + 1] += w.cell_start[c];`,
    `  {`,
    `    std::vector<uint32_t> fill(w.cell_start.begin(), w.cell_start.end() - 1);`,
    `    for (uint32_t i = 0; i < n; i++) {`,
    `      const uint32_t s = fill[w.cell_of[i]]++;`,
    `      w.cell_order[s] = i; w.cx[s] = in->px[i]; w.cy[s] = in->py[i]; w.cz[s] = in->pz[i];`,
    `    }`,
    `  }`,
    `  // One scan: each thread lists a contiguous range of particles into its own buffer; the buffers`,
    `  // are then joined in range order, so the list does not depend on the thread count.`,
    `  int failed = 0;`,
    `#pragma omp parallel`,
    `  {`,
    `#ifdef _OPENMP`,
    `    const uint32_t t = (uint32_t)omp_get_thread_num(), parties = (uint32_t)omp_get_num_threads();`,
    `#else`,
    `    const uint32_t t = 0, parties = 1;`,
    `#endif`,
    `#pragma omp single`,
    `    { try { w.parts.resize(parties); } catch (...) { failed = 1; } }`,
    `    const uint32_t lo_i = (uint32_t)((uint64_t)n * t / parties), hi_i = (uint32_t)((uint64_t)n * (t + 1) / parties);`,
    `    if (!failed) {`,
    `      std::vector<uint32_t>& part = w.parts[t];`,
    `      part.clear();`,
    `      try {`,
    `        for (uint32_t i = lo_i; i < hi_i; i++) {`,
    `          const size_t before = part.size();`,
    `          scan_candidates(in, w, nc, brute, i, [&](uint32_t j) { part.push_back(j); });`,
    `          w.start[i + 1] = (uint32_t)(part.size() - before);`,
    `        }`,
    `      } catch (...) {`,
    `#pragma omp atomic write`,
    `        failed = 1;`,
    `      }`,
    `    }`,
    `#pragma omp barrier`,
    `#pragma omp single`,
    `    {`,
    `      if (!failed) {`,
    `        for (uint32_t i = 0; i < n; i++) w.start[i + 1] += w.start[i];`,
    `        try { w.list.resize(w.start[n]); } catch (...) { failed = 1; }`,
    `      }`,
    `    }`,
    `    if (!failed && !w.parts[t].empty()) std::copy(w.parts[t].begin(), w.parts[t].end(), w.list.begin() + w.start[lo_i]);`,
    `  }`,
    `  if (failed) return ${GEN_ERROR_MEMORY};`,
    `  for (uint32_t i = 0; i < n; i++) { w.x0[i] = in->px[i]; w.y0[i] = in->py[i]; w.z0[i] = in->pz[i]; }`,
    `  w.built_for = n;`,
    `  w.valid = true;`,
    `  return 0;`,
    `}`,
    `/** fx/fy/fz[i] += Σ_j grid_force(i, j)·d over i's list (nearest image), particles on threads. */`,
    `static int list_forces(const br_gen_input* in, Workspace& w, double* fx, double* fy, double* fz) {`,
    `  if (!list_is_current(in, w)) { const int rc = build_list(in, w); if (rc != 0) { w.valid = false; return rc; } }`,
    `  const uint32_t n = in->count;`,
    `  const uint32_t* start = w.start.data();`,
    `  const uint32_t* list = w.list.data();`,
    `#pragma omp parallel for schedule(dynamic, 256)`,
    `  for (uint32_t i = 0; i < n; i++) {`,
    `    const double xi = in->px[i], yi = in->py[i], zi = in->pz[i];`,
    `    double sx = 0.0, sy = 0.0, sz = 0.0;`,
    `#pragma omp simd reduction(+ : sx, sy, sz)`,
    `    for (uint32_t k = start[i]; k < start[i + 1]; k++) {`,
    `      const uint32_t j = list[k];`,
    `      double dx = (double)in->px[j] - xi, dy = (double)in->py[j] - yi, dz = (double)in->pz[j] - zi;`,
    ...[image('dx', 0), image('dy', 1), image('dz', 2)].filter(Boolean).map((l) => `      ${l}`),
    `      const double r2 = dx * dx + dy * dy + dz * dz;`,
    `      const double s = grid_force(in, i, j, r2);`,
    `      sx += s * dx; sy += s * dy; sz += s * dz;`,
    `    }`,
    `    fx[i] += sx; fy[i] += sy; fz[i] += sz;`,
    `  }`,
    `  return 0;`,
    `}`,
  ];
}
