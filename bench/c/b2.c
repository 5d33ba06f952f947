/*
 * B2 reference: all-pairs softened gravity (G = 1), semi-implicit Euler (docs/physics.md):
 *   a_i = G Σ_j m_j d / (|d|² + ε²)^{3/2},  d = x_j − x_i;  v += a·dt;  x += v·dt
 * Initial state (same generator as bench/src/random.ts, seed 2): positions uniform in [−1, 1]³
 * drawn x, y, z per particle, at rest, mass 1/n each.
 *
 * usage: b2 <n> <steps> <dt> <softening> <repeats> <threads>
 * Every repeat starts from the initial state; only the step loop is timed.
 */
#include "common.h"
#include <math.h>

#define SEED 2u
/* Targets processed together: one vector register per coordinate. Each target keeps its own
 * accumulator and sums its sources in index order, like the scalar formula, so the compiler can
 * vectorise across targets without reassociating any sum. */
#define BLOCK 16

static void init_state(long n, float* px, float* py, float* pz, float* vx, float* vy, float* vz, float* m) {
  uint32_t rng = SEED;
  for (long i = 0; i < n; i++) {
    px[i] = (float)(2.0 * next_uniform(&rng) - 1.0);
    py[i] = (float)(2.0 * next_uniform(&rng) - 1.0);
    pz[i] = (float)(2.0 * next_uniform(&rng) - 1.0);
    vx[i] = vy[i] = vz[i] = 0.0f;
    m[i] = (float)(1.0 / (double)n);
  }
}

static void accelerations(long n, const float* restrict px, const float* restrict py, const float* restrict pz,
                          const float* restrict m, float eps2, float* restrict ax, float* restrict ay,
                          float* restrict az) {
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
  for (long i0 = 0; i0 < n; i0 += BLOCK) {
    float xi[BLOCK], yi[BLOCK], zi[BLOCK], sx[BLOCK], sy[BLOCK], sz[BLOCK];
    long count = n - i0 < BLOCK ? n - i0 : BLOCK;
    for (int b = 0; b < BLOCK; b++) {
      /* A short last block repeats its first target; those lanes are computed and dropped. */
      long i = i0 + (b < count ? b : 0);
      xi[b] = px[i];
      yi[b] = py[i];
      zi[b] = pz[i];
      sx[b] = sy[b] = sz[b] = 0.0f;
    }
    for (long j = 0; j < n; j++) {
      const float xj = px[j], yj = py[j], zj = pz[j], mj = m[j];
      for (int b = 0; b < BLOCK; b++) {
        float dx = xj - xi[b], dy = yj - yi[b], dz = zj - zi[b];
        /* j == i gives d = 0 and adds exactly 0, so no branch is needed when ε > 0. */
        float r2 = dx * dx + dy * dy + dz * dz + eps2;
        float inv = 1.0f / sqrtf(r2);
        float f = mj * inv * inv * inv;
        sx[b] += f * dx;
        sy[b] += f * dy;
        sz[b] += f * dz;
      }
    }
    for (int b = 0; b < count; b++) {
      ax[i0 + b] = sx[b];
      ay[i0 + b] = sy[b];
      az[i0 + b] = sz[b];
    }
  }
}

static void gravity_steps(long n, long steps, float dt, float eps2, float* restrict px, float* restrict py,
                          float* restrict pz, float* restrict vx, float* restrict vy, float* restrict vz,
                          const float* restrict m, float* restrict ax, float* restrict ay, float* restrict az) {
#ifdef _OPENMP
#pragma omp parallel
#endif
  for (long s = 0; s < steps; s++) {
    /* The implicit barrier after the force loop matters: no position may move before every
     * acceleration of this step has been computed from the old positions. */
    accelerations(n, px, py, pz, m, eps2, ax, ay, az);
#ifdef _OPENMP
#pragma omp for schedule(static)
#endif
    for (long i = 0; i < n; i++) {
      vx[i] += ax[i] * dt;
      vy[i] += ay[i] * dt;
      vz[i] += az[i] * dt;
      px[i] += vx[i] * dt;
      py[i] += vy[i] * dt;
      pz[i] += vz[i] * dt;
    }
  }
}

int main(int argc, char** argv) {
  long n = arg_long(argc, argv, 1, "n");
  long steps = arg_long(argc, argv, 2, "steps");
  float dt = (float)arg_double(argc, argv, 3, "dt");
  double softening = arg_double(argc, argv, 4, "softening");
  int repeats = (int)arg_long(argc, argv, 5, "repeats");
  int threads = use_threads(arg_long(argc, argv, 6, "threads"));
  float eps2 = (float)(softening * softening);

  size_t bytes = n * sizeof(float);
  float *px = checked_alloc(bytes), *py = checked_alloc(bytes), *pz = checked_alloc(bytes);
  float *vx = checked_alloc(bytes), *vy = checked_alloc(bytes), *vz = checked_alloc(bytes);
  float *m = checked_alloc(bytes), *ax = checked_alloc(bytes), *ay = checked_alloc(bytes);
  float* az = checked_alloc(bytes);
  double* seconds = checked_alloc((repeats + 1) * sizeof(double));

  double warmup = 0;
  for (int r = -1; r < repeats; r++) {
    init_state(n, px, py, pz, vx, vy, vz, m);
    double t0 = now_seconds();
    gravity_steps(n, steps, dt, eps2, px, py, pz, vx, vy, vz, m, ax, ay, az);
    double t = now_seconds() - t0;
    if (r < 0)
      warmup = t;
    else
      seconds[r] = t;
  }
  print_result("b2", n, steps, threads, warmup, seconds, repeats, px, py, pz);
  return 0;
}
