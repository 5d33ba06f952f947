/*
 * B5 reference: soft spheres (DEM) settling in a box under gravity, velocity Verlet with the force
 * evaluated at every kick (docs/physics.md, "Soft-sphere contacts"):
 *   a = g + Σ_contacts F/m  at (x, v);  v += a·dt/2;  walls reflect outward v (restitution e);
 *   x += v·dt and clamp into the box;  a = g + Σ F/m  at (x, v_half);  v += a·dt/2.
 * Contact (hooke): for |d|² < (r_i + r_j)², δ = r_i + r_j − |d|, n = d/|d|, u = (v_j − v_i)·n,
 * m_eff = m_i m_j/(m_i + m_j), c = β·sqrt(k·m_eff) with β = 2|ln e|/sqrt(π² + ln² e),
 * F_i = −(k·δ − c·u)·n. Each particle sums its own contacts (no atomics, race-free with OpenMP).
 * Broadphase: uniform grid of cells ≥ 2·r over the box, particles counting-sorted by cell and
 * their data gathered in cell order, as bench/c/b3.c. Float32 arithmetic throughout.
 *
 * Initial state (same generator as bench/src/random.ts, seed 5): see bench/src/cases/b5.ts.
 *
 * usage: b5 <n> <steps> <dt> <stiffness> <restitution> <repeats> <threads>
 * Every repeat starts from the initial state; only the step loop (grid builds included) is timed.
 */
#include "common.h"
#include <math.h>

#define SEED 5u
#define RADIUS 0.5f
#define MASS 1.0f
#define SPACING 0.99
#define JITTER 0.01
#define COLUMNS 47
#define GRAVITY (-9.81f)
#define PI 3.14159265358979323846
static const double BOX[3] = {47, 60, 47};

typedef struct {
  float *px, *py, *pz, *vx, *vy, *vz, *r, *m;
} Particles;

typedef struct {
  int dims[3];
  float inv_cell;
  int *cell_of, *start, *cursor, *order;
  Particles sorted;
} Grid;

static void alloc_particles(Particles* p, long n) {
  float** cols[] = {&p->px, &p->py, &p->pz, &p->vx, &p->vy, &p->vz, &p->r, &p->m};
  for (int c = 0; c < 8; c++) *cols[c] = checked_alloc(n * sizeof(float));
}

static void init_state(long n, Particles* p) {
  uint32_t rng = SEED;
  float* pos[3] = {p->px, p->py, p->pz};
  for (long i = 0; i < n; i++) {
    long site[3] = {i % COLUMNS, i / (COLUMNS * COLUMNS), (i / COLUMNS) % COLUMNS};
    for (int a = 0; a < 3; a++)
      pos[a][i] = (float)((double)RADIUS + (double)site[a] * SPACING + (next_uniform(&rng) - 0.5) * JITTER);
    p->vx[i] = p->vy[i] = p->vz[i] = 0;
    p->r[i] = RADIUS;
    p->m[i] = MASS;
  }
}

static int cell_coord(float x, int dim, float inv_cell) {
  int c = (int)floorf(x * inv_cell);
  return c < 0 ? 0 : c >= dim ? dim - 1 : c;
}

static void build_grid(long n, const Particles* p, Grid* g) {
  const int nx = g->dims[0], ny = g->dims[1], nz = g->dims[2];
  long cells = (long)nx * ny * nz;
  for (long c = 0; c <= cells; c++) g->start[c] = 0;
  for (long i = 0; i < n; i++) {
    int c = (cell_coord(p->pz[i], nz, g->inv_cell) * ny + cell_coord(p->py[i], ny, g->inv_cell)) * nx +
            cell_coord(p->px[i], nx, g->inv_cell);
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

/* a = g + Σ contact forces / m, from the sorted copies; each particle writes its own a once. */
static void accelerations(long n, const Grid* g, float k, float beta, float* ax, float* ay, float* az) {
  const Particles* q = &g->sorted;
  const int nx = g->dims[0], ny = g->dims[1], nz = g->dims[2];
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
  for (long a = 0; a < n; a++) {
    int i = g->order[a];
    int c = g->cell_of[i];
    int cx = c % nx, cy = (c / nx) % ny, cz = c / (nx * ny);
    float xi = q->px[a], yi = q->py[a], zi = q->pz[a];
    float vxi = q->vx[a], vyi = q->vy[a], vzi = q->vz[a];
    float ri = q->r[a], mi = q->m[a];
    float fx = 0, fy = 0, fz = 0;
    int x0 = cx > 0 ? cx - 1 : 0, x1 = cx < nx - 1 ? cx + 1 : nx - 1;
    for (int z = cz - 1; z <= cz + 1; z++) {
      if (z < 0 || z >= nz) continue;
      for (int y = cy - 1; y <= cy + 1; y++) {
        if (y < 0 || y >= ny) continue;
        int row = (z * ny + y) * nx;
        int first = g->start[row + x0], last = g->start[row + x1 + 1];
        for (int b = first; b < last; b++) {
          float dx = q->px[b] - xi, dy = q->py[b] - yi, dz = q->pz[b] - zi;
          float d2 = dx * dx + dy * dy + dz * dz;
          float reach = ri + q->r[b];
          /* d2 > 0 also excludes the particle itself. */
          if (!(d2 < reach * reach && d2 > 0.0f)) continue;
          float dist = sqrtf(d2);
          float nxv = dx / dist, nyv = dy / dist, nzv = dz / dist;
          float u = (q->vx[b] - vxi) * nxv + (q->vy[b] - vyi) * nyv + (q->vz[b] - vzi) * nzv;
          float mj = q->m[b];
          float meff = mi * mj / (mi + mj);
          float fn = k * (reach - dist) - beta * sqrtf(k * meff) * u;
          fx -= fn * nxv;
          fy -= fn * nyv;
          fz -= fn * nzv;
        }
      }
    }
    ax[i] = fx / mi;
    ay[i] = GRAVITY + fy / mi;
    az[i] = fz / mi;
  }
}

static void kick(long n, Particles* p, const float* ax, const float* ay, const float* az, float h) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
  for (long i = 0; i < n; i++) {
    p->vx[i] += ax[i] * h;
    p->vy[i] += ay[i] * h;
    p->vz[i] += az[i] * h;
  }
}

static void walls_and_drift(long n, float dt, float e, Particles* p) {
  float *pos[3] = {p->px, p->py, p->pz}, *vel[3] = {p->vx, p->vy, p->vz};
  for (int a = 0; a < 3; a++) {
    float* restrict x = pos[a];
    float* restrict v = vel[a];
    const float* restrict r = p->r;
    const float box = (float)BOX[a];
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (long i = 0; i < n; i++) {
      float lo = r[i], hi = box - r[i];
      float vi = v[i];
      if ((x[i] <= lo && vi < 0.0f) || (x[i] >= hi && vi > 0.0f)) vi = -e * vi;
      float xi = x[i] + vi * dt;
      v[i] = vi;
      x[i] = fminf(fmaxf(xi, lo), hi);
    }
  }
}

int main(int argc, char** argv) {
  long n = arg_long(argc, argv, 1, "n");
  long steps = arg_long(argc, argv, 2, "steps");
  float dt = (float)arg_double(argc, argv, 3, "dt");
  float k = (float)arg_double(argc, argv, 4, "stiffness");
  double e = arg_double(argc, argv, 5, "restitution");
  int repeats = (int)arg_long(argc, argv, 6, "repeats");
  int threads = use_threads(arg_long(argc, argv, 7, "threads"));
  const double l = log(e);
  const float beta = (float)(2.0 * fabs(l) / sqrt(PI * PI + l * l));

  Particles p;
  Grid g;
  alloc_particles(&p, n);
  alloc_particles(&g.sorted, n);
  g.inv_cell = 1.0f / (2.0f * RADIUS);
  long cells = 1;
  for (int a = 0; a < 3; a++) {
    g.dims[a] = (int)floor(BOX[a] / (2.0 * RADIUS));
    if (g.dims[a] < 1) g.dims[a] = 1;
    cells *= g.dims[a];
  }
  g.start = checked_alloc((cells + 1) * sizeof(int));
  g.cursor = checked_alloc(cells * sizeof(int));
  g.cell_of = checked_alloc(n * sizeof(int));
  g.order = checked_alloc(n * sizeof(int));
  float* ax = checked_alloc(n * sizeof(float));
  float* ay = checked_alloc(n * sizeof(float));
  float* az = checked_alloc(n * sizeof(float));
  double* seconds = checked_alloc((repeats + 1) * sizeof(double));

  double warmup = 0;
  for (int r = -1; r < repeats; r++) {
    init_state(n, &p);
    double t0 = now_seconds();
    for (long s = 0; s < steps; s++) {
      build_grid(n, &p, &g);
      accelerations(n, &g, k, beta, ax, ay, az);
      kick(n, &p, ax, ay, az, 0.5f * dt);
      walls_and_drift(n, dt, (float)e, &p);
      build_grid(n, &p, &g);
      accelerations(n, &g, k, beta, ax, ay, az);
      kick(n, &p, ax, ay, az, 0.5f * dt);
    }
    double t = now_seconds() - t0;
    if (r < 0)
      warmup = t;
    else
      seconds[r] = t;
  }
  print_result("b5", n, steps, threads, warmup, seconds, repeats, p.px, p.py, p.pz);
  return 0;
}
