/*
 * B3 reference: elastic sphere collisions in a closed box, semi-implicit Euler with no force rule
 * (docs/physics.md, "Contacts"):
 *   collisions (sequential exact binary impulses over the touching pairs in lexicographic order,
 *   swept until none approaches: the pair search in parallel, the sweeps on one thread),
 *   then bounds (reflect outward velocity at a touched wall), then x += v·dt and clamp into the box.
 * Broadphase: uniform grid with cell size ≥ 2·r_max, particles counting-sorted by cell and their
 * data gathered in cell order, so the 3 cells of a stencil row are one contiguous range.
 *
 * Initial state (same generator as bench/src/random.ts, seed 3): a k×k×k lattice (k³ ≥ n, x fastest)
 * of spacing h = box/k, each site jittered by up to ±0.45·(h − 2r) per axis so no spheres overlap
 * at the start, velocities uniform in [−speed, speed]³; radius 0.5, mass 1, restitution 1.
 *
 * usage: b3 <n> <steps> <dt> <box> <speed> <repeats> <threads>
 * Every repeat starts from the initial state; only the step loop (grid build included) is timed.
 */
#include "common.h"
#include <math.h>

#define SEED 3u
#define RADIUS 0.5f
#define MASS 1.0f
#define RESTITUTION 1.0f

typedef struct {
  float *px, *py, *pz, *vx, *vy, *vz, *r, *m;
} Particles;

typedef struct {
  int cells_per_axis;
  float inv_cell;
  int* cell_of; /* per particle */
  int* start;   /* per cell + 1: first sorted slot of each cell */
  int* cursor;  /* scratch for the scatter */
  int* order;   /* sorted slot -> particle */
  Particles sorted;
} Grid;

static void alloc_particles(Particles* p, long n) {
  float** cols[] = {&p->px, &p->py, &p->pz, &p->vx, &p->vy, &p->vz, &p->r, &p->m};
  for (int c = 0; c < 8; c++) *cols[c] = checked_alloc(n * sizeof(float));
}

static long lattice_side(long n) {
  long k = 1;
  while (k * k * k < n) k++;
  return k;
}

static void init_state(long n, double box, double speed, Particles* p) {
  uint32_t rng = SEED;
  long k = lattice_side(n);
  double h = box / (double)k;
  double jitter = 0.9 * (h - 2.0 * (double)RADIUS);
  for (long i = 0; i < n; i++) {
    long site[3] = {i % k, (i / k) % k, i / (k * k)};
    float* pos[3] = {p->px, p->py, p->pz};
    for (int a = 0; a < 3; a++) pos[a][i] = (float)(((double)site[a] + 0.5) * h + (next_uniform(&rng) - 0.5) * jitter);
    p->vx[i] = (float)(speed * (2.0 * next_uniform(&rng) - 1.0));
    p->vy[i] = (float)(speed * (2.0 * next_uniform(&rng) - 1.0));
    p->vz[i] = (float)(speed * (2.0 * next_uniform(&rng) - 1.0));
    p->r[i] = RADIUS;
    p->m[i] = MASS;
  }
}

static int cell_coord(float x, const Grid* g) {
  int c = (int)floorf(x * g->inv_cell);
  return c < 0 ? 0 : c >= g->cells_per_axis ? g->cells_per_axis - 1 : c;
}

/* Serial counting sort by cell, then a gather of every column into cell order. */
static void build_grid(long n, const Particles* p, Grid* g) {
  int G = g->cells_per_axis;
  long cells = (long)G * G * G;
  for (long c = 0; c <= cells; c++) g->start[c] = 0;
  for (long i = 0; i < n; i++) {
    int c = (cell_coord(p->pz[i], g) * G + cell_coord(p->py[i], g)) * G + cell_coord(p->px[i], g);
    g->cell_of[i] = c;
    g->start[c + 1]++;
  }
  for (long c = 0; c < cells; c++) g->start[c + 1] += g->start[c];
  for (long c = 0; c < cells; c++) g->cursor[c] = g->start[c];
  for (long i = 0; i < n; i++) g->order[g->cursor[g->cell_of[i]]++] = (int)i;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
  for (long s = 0; s < n; s++) {
    int i = g->order[s];
    g->sorted.px[s] = p->px[i];
    g->sorted.py[s] = p->py[i];
    g->sorted.pz[s] = p->pz[i];
    g->sorted.vx[s] = p->vx[i];
    g->sorted.vy[s] = p->vy[i];
    g->sorted.vz[s] = p->vz[i];
    g->sorted.r[s] = p->r[i];
    g->sorted.m[s] = p->m[i];
  }
}

/* The touching pairs (i < j) of the current positions, lexicographic, and each pair's constants. */
typedef struct {
  long cap;
  int* count; /* per particle + 1: its pairs with larger partners, then their first index */
  int *pi, *pj;
  float *nx, *ny, *nz, *w;
} Pairs;

static void grow_pairs(Pairs* q, long need) {
  if (need <= q->cap) return;
  long cap = need + need / 2;
  free(q->pi), free(q->pj), free(q->nx), free(q->ny), free(q->nz), free(q->w);
  q->pi = checked_alloc(cap * sizeof(int));
  q->pj = checked_alloc(cap * sizeof(int));
  q->nx = checked_alloc(cap * sizeof(float));
  q->ny = checked_alloc(cap * sizeof(float));
  q->nz = checked_alloc(cap * sizeof(float));
  q->w = checked_alloc(cap * sizeof(float));
  q->cap = cap;
}

/* Visits particle i's partners j > i through the grid; writes them from out[0] when out != NULL. */
static int partners_of(long i, const Particles* p, const Grid* g, int* out) {
  const Particles* q = &g->sorted;
  int G = g->cells_per_axis, c = g->cell_of[i], found = 0;
  int cx = c % G, cy = (c / G) % G, cz = c / (G * G);
  float xi = p->px[i], yi = p->py[i], zi = p->pz[i], ri = p->r[i];
  int x0 = cx > 0 ? cx - 1 : 0, x1 = cx < G - 1 ? cx + 1 : G - 1;
  for (int z = cz - 1; z <= cz + 1; z++) {
    if (z < 0 || z >= G) continue;
    for (int y = cy - 1; y <= cy + 1; y++) {
      if (y < 0 || y >= G) continue;
      int row = (z * G + y) * G;
      for (int b = g->start[row + x0], last = g->start[row + x1 + 1]; b < last; b++) {
        int j = g->order[b];
        if (j <= i) continue;
        float dx = q->px[b] - xi, dy = q->py[b] - yi, dz = q->pz[b] - zi;
        float d2 = dx * dx + dy * dy + dz * dz, reach = ri + q->r[b];
        if (!(d2 < reach * reach && d2 > 0.0f)) continue;
        if (out) {
          int k = found; /* insertion in ascending j */
          while (k > 0 && out[k - 1] > j) out[k] = out[k - 1], k--;
          out[k] = j;
        }
        found++;
      }
    }
  }
  return found;
}

/* Sequential exact binary impulses, pair after pair in lexicographic order, swept until no touching
 * pair approaches or 64 sweeps ran (docs/physics.md, "Collisions"); the pair search is parallel. */
static void resolve_collisions(long n, Particles* p, const Grid* g, Pairs* q) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
  for (long i = 0; i < n; i++) q->count[i + 1] = partners_of(i, p, g, NULL);
  q->count[0] = 0;
  for (long i = 0; i < n; i++) q->count[i + 1] += q->count[i];
  long total = q->count[n];
  grow_pairs(q, total);
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
  for (long i = 0; i < n; i++) {
    int at = q->count[i], found = partners_of(i, p, g, q->pj + at);
    for (int k = at; k < at + found; k++) {
      int j = q->pj[k];
      float dx = p->px[j] - p->px[i], dy = p->py[j] - p->py[i], dz = p->pz[j] - p->pz[i];
      float dist = sqrtf(dx * dx + dy * dy + dz * dz);
      q->pi[k] = (int)i;
      q->nx[k] = dx / dist, q->ny[k] = dy / dist, q->nz[k] = dz / dist;
      q->w[k] = 1.0f / p->m[i] + 1.0f / p->m[j];
    }
  }
  for (int sweep = 0; sweep < 64; sweep++) {
    long applied = 0;
    for (long k = 0; k < total; k++) {
      int i = q->pi[k], j = q->pj[k];
      float u = (p->vx[j] - p->vx[i]) * q->nx[k] + (p->vy[j] - p->vy[i]) * q->ny[k] + (p->vz[j] - p->vz[i]) * q->nz[k];
      if (!(u < 0.0f)) continue;
      float J = -(1.0f + RESTITUTION) * u / q->w[k];
      p->vx[i] -= J * q->nx[k] / p->m[i], p->vy[i] -= J * q->ny[k] / p->m[i], p->vz[i] -= J * q->nz[k] / p->m[i];
      p->vx[j] += J * q->nx[k] / p->m[j], p->vy[j] += J * q->ny[k] / p->m[j], p->vz[j] += J * q->nz[k] / p->m[j];
      applied++;
    }
    if (applied == 0) break;
  }
}

static void bounds_and_drift(long n, float dt, float lo, float hi, Particles* p) {
  float *pos[3] = {p->px, p->py, p->pz}, *vel[3] = {p->vx, p->vy, p->vz};
  for (int k = 0; k < 3; k++) {
    float* restrict x = pos[k], * restrict v = vel[k];
    const float* restrict r = p->r;
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (long i = 0; i < n; i++) {
      float vi = v[i];
      if (x[i] - r[i] <= lo && vi < 0.0f) vi = -RESTITUTION * vi;
      if (x[i] + r[i] >= hi && vi > 0.0f) vi = -RESTITUTION * vi;
      float xi = x[i] + vi * dt;
      xi = fminf(fmaxf(xi, lo + r[i]), hi - r[i]);
      v[i] = vi;
      x[i] = xi;
    }
  }
}

int main(int argc, char** argv) {
  long n = arg_long(argc, argv, 1, "n");
  long steps = arg_long(argc, argv, 2, "steps");
  float dt = (float)arg_double(argc, argv, 3, "dt");
  double box = arg_double(argc, argv, 4, "box");
  double speed = arg_double(argc, argv, 5, "speed");
  int repeats = (int)arg_long(argc, argv, 6, "repeats");
  int threads = use_threads(arg_long(argc, argv, 7, "threads"));

  Particles p;
  Grid g;
  alloc_particles(&p, n);
  alloc_particles(&g.sorted, n);
  g.cells_per_axis = (int)floor(box / (2.0 * RADIUS));
  if (g.cells_per_axis < 1) g.cells_per_axis = 1;
  g.inv_cell = (float)(g.cells_per_axis / box);
  long cells = (long)g.cells_per_axis * g.cells_per_axis * g.cells_per_axis;
  g.start = checked_alloc((cells + 1) * sizeof(int));
  g.cursor = checked_alloc(cells * sizeof(int));
  g.cell_of = checked_alloc(n * sizeof(int));
  g.order = checked_alloc(n * sizeof(int));
  Pairs pairs = {0, checked_alloc((n + 1) * sizeof(int)), NULL, NULL, NULL, NULL, NULL, NULL};
  double* seconds = checked_alloc((repeats + 1) * sizeof(double));

  double warmup = 0;
  for (int r = -1; r < repeats; r++) {
    init_state(n, box, speed, &p);
    double t0 = now_seconds();
    for (long s = 0; s < steps; s++) {
      build_grid(n, &p, &g);
      resolve_collisions(n, &p, &g, &pairs);
      bounds_and_drift(n, dt, 0.0f, (float)box, &p);
    }
    double t = now_seconds() - t0;
    if (r < 0)
      warmup = t;
    else
      seconds[r] = t;
  }
  print_result("b3", n, steps, threads, warmup, seconds, repeats, p.px, p.py, p.pz);
  return 0;
}
