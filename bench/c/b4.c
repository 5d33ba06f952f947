/*
 * B4 reference: a Lennard-Jones fluid in a periodic cube, velocity Verlet (docs/physics.md):
 *   U = 4ε((σ/r)¹² − (σ/r)⁶) for r < rc (plain truncation), minimum image, ε = σ = m = 1;
 *   v += a·dt/2; x += v·dt; wrap into [0, L); a = F/m at the new positions; v += a·dt/2.
 * float32 state and arithmetic (the potential energy is summed in double).
 *
 * Cell list rebuilt every step, the same algorithm as bench/src/references/lj-loop.ts: cells of
 * side ≥ rc (G = floor(L/rc) ≥ 3 per axis), counting sort by cell with positions gathered into
 * cell order, each pair visited once (its own cell and 13 of the 26 neighbours, each with the ±L
 * shift that makes its particles the nearest images) and Newton's third law for both forces.
 * With OpenMP every thread accumulates forces in its own buffer (no atomics), summed afterwards.
 *
 * Initial state (same generator and the same double arithmetic as bench/src/cases/b4.ts, seed 4):
 * fcc lattice of `cells`³ unit cells (x fastest, 4 atoms per cell), lattice constant box/cells;
 * velocities uniform in [−0.5, 0.5) per component, the mean removed, scaled to `temperature` with
 * 3N − 3 degrees of freedom, then rounded to float32.
 *
 * usage: b4 <n> <steps> <dt> <cells> <box> <temperature> <cutoff> <repeats> <threads>
 * Every repeat starts from the initial state; the step loop (its first force evaluation included)
 * is timed. Energies at the start and after the run are computed outside the clock.
 */
#include "common.h"
#include <math.h>
#include <string.h>

#define SEED 4u

typedef struct {
  int G;
  float L, inv_cell, rc2;
  long cells;
  int *start, *cursor, *cell_of, *order;
  int* neighbour; /* 13 per cell */
  float* shift;   /* 13 × 3 per cell */
  float *sx, *sy, *sz;
  float *fx, *fy, *fz; /* threads × n */
  int threads;
} Cells;

static const int HALF_STENCIL[13][3] = {
    {1, 0, 0},  {-1, 1, 0}, {0, 1, 0}, {1, 1, 0},  {-1, -1, 1}, {0, -1, 1}, {1, -1, 1},
    {-1, 0, 1}, {0, 0, 1},  {1, 0, 1}, {-1, 1, 1}, {0, 1, 1},   {1, 1, 1},
};

static void init_state(long cells, double box, double temperature, long n, float* px, float* py, float* pz, float* vx,
                       float* vy, float* vz, double* scratch) {
  static const double basis[4][3] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  double a = box / (double)cells;
  long i = 0;
  for (long cz = 0; cz < cells; cz++)
    for (long cy = 0; cy < cells; cy++)
      for (long cx = 0; cx < cells; cx++)
        for (int b = 0; b < 4; b++, i++) {
          px[i] = (float)(((double)cx + basis[b][0]) * a);
          py[i] = (float)(((double)cy + basis[b][1]) * a);
          pz[i] = (float)(((double)cz + basis[b][2]) * a);
        }
  uint32_t rng = SEED;
  for (long k = 0; k < 3 * n; k++) scratch[k] = next_uniform(&rng) - 0.5;
  for (int c = 0; c < 3; c++) {
    double sum = 0;
    for (long j = 0; j < n; j++) sum += scratch[3 * j + c];
    double mean = sum / (double)n;
    for (long j = 0; j < n; j++) scratch[3 * j + c] -= mean;
  }
  double sumsq = 0;
  for (long k = 0; k < 3 * n; k++) {
    /* volatile: the product is rounded on its own, never fused into the sum (as in JavaScript). */
    volatile double square = scratch[k] * scratch[k];
    sumsq += square;
  }
  double scale = sqrt(temperature * (double)(3 * n - 3) / sumsq);
  for (long j = 0; j < n; j++) {
    vx[j] = (float)(scratch[3 * j] * scale);
    vy[j] = (float)(scratch[3 * j + 1] * scale);
    vz[j] = (float)(scratch[3 * j + 2] * scale);
  }
}

static void init_cells(Cells* c, long n, float L, float cutoff, int threads) {
  c->G = (int)floorf(L / cutoff);
  if (c->G < 3) {
    fprintf(stderr, "box %g holds fewer than 3 cells of %g per axis\n", L, cutoff);
    exit(2);
  }
  int G = c->G;
  c->L = L;
  c->inv_cell = (float)G / L;
  c->rc2 = cutoff * cutoff;
  c->cells = (long)G * G * G;
  c->threads = threads;
  c->start = checked_alloc((c->cells + 1) * sizeof(int));
  c->cursor = checked_alloc(c->cells * sizeof(int));
  c->cell_of = checked_alloc(n * sizeof(int));
  c->order = checked_alloc(n * sizeof(int));
  c->neighbour = checked_alloc(c->cells * 13 * sizeof(int));
  c->shift = checked_alloc(c->cells * 13 * 3 * sizeof(float));
  c->sx = checked_alloc(n * sizeof(float));
  c->sy = checked_alloc(n * sizeof(float));
  c->sz = checked_alloc(n * sizeof(float));
  c->fx = checked_alloc((size_t)threads * n * sizeof(float));
  c->fy = checked_alloc((size_t)threads * n * sizeof(float));
  c->fz = checked_alloc((size_t)threads * n * sizeof(float));
  for (int cz = 0; cz < G; cz++)
    for (int cy = 0; cy < G; cy++)
      for (int cx = 0; cx < G; cx++) {
        long cell = ((long)cz * G + cy) * G + cx;
        for (int k = 0; k < 13; k++) {
          int coord[3] = {cx + HALF_STENCIL[k][0], cy + HALF_STENCIL[k][1], cz + HALF_STENCIL[k][2]};
          for (int a = 0; a < 3; a++) {
            float s = 0;
            if (coord[a] >= G)
              coord[a] -= G, s = L;
            else if (coord[a] < 0)
              coord[a] += G, s = -L;
            c->shift[(cell * 13 + k) * 3 + a] = s;
          }
          c->neighbour[cell * 13 + k] = (coord[2] * G + coord[1]) * G + coord[0];
        }
      }
}

static int cell_coord(float x, const Cells* c) {
  int k = (int)floorf(x * c->inv_cell);
  return k < 0 ? 0 : k >= c->G ? c->G - 1 : k;
}

/* Accelerations at the current positions; the potential energy when `energy` is set (else 0). */
static double forces(long n, const float* px, const float* py, const float* pz, Cells* c, float* ax, float* ay,
                     float* az, int energy) {
  int G = c->G;
  long cells = c->cells;
  memset(c->start, 0, (cells + 1) * sizeof(int));
  for (long i = 0; i < n; i++) {
    int k = (cell_coord(pz[i], c) * G + cell_coord(py[i], c)) * G + cell_coord(px[i], c);
    c->cell_of[i] = k;
    c->start[k + 1]++;
  }
  for (long k = 0; k < cells; k++) c->start[k + 1] += c->start[k];
  memcpy(c->cursor, c->start, cells * sizeof(int));
  for (long i = 0; i < n; i++) c->order[c->cursor[c->cell_of[i]]++] = (int)i;
  double pe = 0;
#ifdef _OPENMP
#pragma omp parallel reduction(+ : pe)
#endif
  {
#ifdef _OPENMP
    int t = omp_get_thread_num();
#else
    int t = 0;
#endif
    float* restrict fx = c->fx + (size_t)t * n, * restrict fy = c->fy + (size_t)t * n, * restrict fz = c->fz + (size_t)t * n;
    memset(fx, 0, n * sizeof(float));
    memset(fy, 0, n * sizeof(float));
    memset(fz, 0, n * sizeof(float));
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (long s = 0; s < n; s++) {
      int i = c->order[s];
      c->sx[s] = px[i];
      c->sy[s] = py[i];
      c->sz[s] = pz[i];
    }
    const float* restrict sx = c->sx, * restrict sy = c->sy, * restrict sz = c->sz;
    const float rc2 = c->rc2;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (long cell = 0; cell < cells; cell++) {
      int first = c->start[cell], last = c->start[cell + 1];
      for (int a = first; a < last; a++) {
        float xi = sx[a], yi = sy[a], zi = sz[a];
        float fxi = 0, fyi = 0, fzi = 0;
        double pei = 0;
        for (int k = -1; k < 13; k++) {
          int b0, b1;
          float x = xi, y = yi, z = zi;
          if (k < 0) {
            b0 = a + 1;
            b1 = last;
          } else {
            int other = c->neighbour[cell * 13 + k];
            b0 = c->start[other];
            b1 = c->start[other + 1];
            const float* sh = c->shift + (cell * 13 + k) * 3;
            x -= sh[0];
            y -= sh[1];
            z -= sh[2];
          }
          for (int b = b0; b < b1; b++) {
            float dx = sx[b] - x, dy = sy[b] - y, dz = sz[b] - z;
            float r2 = dx * dx + dy * dy + dz * dz;
            if (r2 >= rc2) continue;
            float inv2 = 1.0f / r2;
            float s6 = inv2 * inv2 * inv2;
            /* F_i = −(24ε(2s¹² − s⁶)/r²)·d with d = x_j − x_i; F_j = −F_i. */
            float ff = 24.0f * s6 * (2.0f * s6 - 1.0f) * inv2;
            fxi -= ff * dx;
            fyi -= ff * dy;
            fzi -= ff * dz;
            fx[b] += ff * dx;
            fy[b] += ff * dy;
            fz[b] += ff * dz;
            if (energy) pei += (double)(4.0f * s6 * (s6 - 1.0f));
          }
        }
        fx[a] += fxi;
        fy[a] += fyi;
        fz[a] += fzi;
        pe += pei;
      }
    }
    /* The implicit barrier above: every thread's buffer is complete. Sum them per particle. */
    int threads = c->threads;
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (long s = 0; s < n; s++) {
      float sumx = 0, sumy = 0, sumz = 0;
      for (int u = 0; u < threads; u++) {
        sumx += c->fx[(size_t)u * n + s];
        sumy += c->fy[(size_t)u * n + s];
        sumz += c->fz[(size_t)u * n + s];
      }
      int i = c->order[s];
      ax[i] = sumx; /* mass 1: the acceleration is the force */
      ay[i] = sumy;
      az[i] = sumz;
    }
  }
  return pe;
}

static float wrap(float x, float L) {
  if (x < 0.0f)
    x += L;
  else if (x >= L)
    x -= L;
  return x >= L ? 0.0f : x;
}

static double kinetic(long n, const float* vx, const float* vy, const float* vz) {
  double k = 0;
  for (long i = 0; i < n; i++) k += 0.5 * ((double)vx[i] * vx[i] + (double)vy[i] * vy[i] + (double)vz[i] * vz[i]);
  return k;
}

static void step_verlet(long n, long steps, float dt, float L, float* px, float* py, float* pz, float* vx, float* vy,
                        float* vz, float* ax, float* ay, float* az, Cells* c) {
  const float half = 0.5f * dt;
  forces(n, px, py, pz, c, ax, ay, az, 0);
  for (long s = 0; s < steps; s++) {
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (long i = 0; i < n; i++) {
      vx[i] += ax[i] * half;
      vy[i] += ay[i] * half;
      vz[i] += az[i] * half;
      px[i] = wrap(px[i] + vx[i] * dt, L);
      py[i] = wrap(py[i] + vy[i] * dt, L);
      pz[i] = wrap(pz[i] + vz[i] * dt, L);
    }
    forces(n, px, py, pz, c, ax, ay, az, 0);
#ifdef _OPENMP
#pragma omp parallel for schedule(static)
#endif
    for (long i = 0; i < n; i++) {
      vx[i] += ax[i] * half;
      vy[i] += ay[i] * half;
      vz[i] += az[i] * half;
    }
  }
}

int main(int argc, char** argv) {
  long n = arg_long(argc, argv, 1, "n");
  long steps = arg_long(argc, argv, 2, "steps");
  float dt = (float)arg_double(argc, argv, 3, "dt");
  long cells = arg_long(argc, argv, 4, "cells");
  double box = arg_double(argc, argv, 5, "box");
  double temperature = arg_double(argc, argv, 6, "temperature");
  double cutoff = arg_double(argc, argv, 7, "cutoff");
  int repeats = (int)arg_long(argc, argv, 8, "repeats");
  int threads = use_threads(arg_long(argc, argv, 9, "threads"));
  if (n != 4 * cells * cells * cells) {
    fprintf(stderr, "n = %ld is not 4·cells³ = %ld\n", n, 4 * cells * cells * cells);
    return 2;
  }
  float L = (float)box;

  float *px = checked_alloc(n * sizeof(float)), *py = checked_alloc(n * sizeof(float)),
        *pz = checked_alloc(n * sizeof(float));
  float *vx = checked_alloc(n * sizeof(float)), *vy = checked_alloc(n * sizeof(float)),
        *vz = checked_alloc(n * sizeof(float));
  float *ax = checked_alloc(n * sizeof(float)), *ay = checked_alloc(n * sizeof(float)),
        *az = checked_alloc(n * sizeof(float));
  double* scratch = checked_alloc(3 * n * sizeof(double));
  double* seconds = checked_alloc((repeats + 1) * sizeof(double));
  Cells c;
  init_cells(&c, n, L, (float)cutoff, threads);

  double warmup = 0, potential0 = 0, total0 = 0;
  for (int r = -1; r < repeats; r++) {
    init_state(cells, box, temperature, n, px, py, pz, vx, vy, vz, scratch);
    if (r == repeats - 1) {
      potential0 = forces(n, px, py, pz, &c, ax, ay, az, 1);
      total0 = potential0 + kinetic(n, vx, vy, vz);
    }
    double t0 = now_seconds();
    step_verlet(n, steps, dt, L, px, py, pz, vx, vy, vz, ax, ay, az, &c);
    double t = now_seconds() - t0;
    if (r < 0)
      warmup = t;
    else
      seconds[r] = t;
  }
  double total1 = forces(n, px, py, pz, &c, ax, ay, az, 1) + kinetic(n, vx, vy, vz);

  double checksum = 0;
  for (long i = 0; i < n; i++) checksum += (double)px[i] + (double)py[i] + (double)pz[i];
  printf("{\"kernel\":\"b4\",\"n\":%ld,\"steps\":%ld,\"threads\":%d,\"warmup\":%.9g,\"seconds\":[", n, steps, threads,
         warmup);
  for (int r = 0; r < repeats; r++) printf("%s%.9g", r ? "," : "", seconds[r]);
  printf("],\"checksum\":%.17g,\"sample\":[", checksum);
  for (long k = 0; k < SAMPLE_COUNT; k++) {
    long i = sample_index(k, n);
    printf("%s[%.9g,%.9g,%.9g]", k ? "," : "", (double)px[i], (double)py[i], (double)pz[i]);
  }
  printf("],\"energy\":{\"potential0\":%.17g,\"total0\":%.17g,\"total1\":%.17g}}\n", potential0, total0, total1);
  return 0;
}
