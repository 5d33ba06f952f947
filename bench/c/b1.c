/*
 * B1 reference: free fall under uniform gravity, semi-implicit Euler (docs/physics.md):
 *   v += g·dt; x += v·dt
 * Initial state: position (0, 0, i), velocity (1, 0, 0), mass 1 (mass does not enter uniform gravity).
 *
 * usage: b1 <n> <steps> <dt> <gy> <repeats> <threads>
 * Every repeat starts from the initial state; only the step loop is timed.
 */
#include "common.h"

static void init_state(long n, float* px, float* py, float* pz, float* vx, float* vy, float* vz) {
  for (long i = 0; i < n; i++) {
    px[i] = 0.0f;
    py[i] = 0.0f;
    pz[i] = (float)i;
    vx[i] = 1.0f;
    vy[i] = 0.0f;
    vz[i] = 0.0f;
  }
}

/* One step for particles [first, last). Kept out of line so it is compiled (and vectorised) as a
 * plain function: inside an OpenMP-outlined body GCC does not vectorise this loop. */
static __attribute__((noinline)) void kick_drift(long first, long last, float dt, float gx, float gy, float gz,
                                                 float* restrict px, float* restrict py, float* restrict pz,
                                                 float* restrict vx, float* restrict vy, float* restrict vz) {
  for (long i = first; i < last; i++) {
    vx[i] += gx * dt;
    vy[i] += gy * dt;
    vz[i] += gz * dt;
    px[i] += vx[i] * dt;
    py[i] += vy[i] * dt;
    pz[i] += vz[i] * dt;
  }
}

static void free_fall(long n, long steps, float dt, float gx, float gy, float gz, float* px, float* py, float* pz,
                      float* vx, float* vy, float* vz) {
  /* One parallel region for all steps: a fork per step would cost more than a 10k-particle step.
   * Each particle only ever reads itself and every thread keeps the same slice each step, so the
   * threads need no barrier between steps. */
#ifdef _OPENMP
#pragma omp parallel
#endif
  {
    int thread = 0, threads = 1;
#ifdef _OPENMP
    thread = omp_get_thread_num();
    threads = omp_get_num_threads();
#endif
    /* Slices in multiples of 16 floats: no two threads write the same cache line. */
    long slice = (n + 16L * threads - 1) / (16L * threads) * 16;
    long first = thread * slice < n ? thread * slice : n;
    long last = first + slice < n ? first + slice : n;
    for (long s = 0; s < steps; s++) kick_drift(first, last, dt, gx, gy, gz, px, py, pz, vx, vy, vz);
  }
}

int main(int argc, char** argv) {
  long n = arg_long(argc, argv, 1, "n");
  long steps = arg_long(argc, argv, 2, "steps");
  float dt = (float)arg_double(argc, argv, 3, "dt");
  float gy = (float)arg_double(argc, argv, 4, "gy");
  int repeats = (int)arg_long(argc, argv, 5, "repeats");
  int threads = use_threads(arg_long(argc, argv, 6, "threads"));

  float *px = checked_alloc(n * sizeof(float)), *py = checked_alloc(n * sizeof(float));
  float *pz = checked_alloc(n * sizeof(float)), *vx = checked_alloc(n * sizeof(float));
  float *vy = checked_alloc(n * sizeof(float)), *vz = checked_alloc(n * sizeof(float));
  double* seconds = checked_alloc((repeats + 1) * sizeof(double));

  double warmup = 0;
  for (int r = -1; r < repeats; r++) {
    init_state(n, px, py, pz, vx, vy, vz);
    double t0 = now_seconds();
    free_fall(n, steps, dt, 0.0f, gy, 0.0f, px, py, pz, vx, vy, vz);
    double t = now_seconds() - t0;
    if (r < 0)
      warmup = t;
    else
      seconds[r] = t;
  }
  print_result("b1", n, steps, threads, warmup, seconds, repeats, px, py, pz);
  return 0;
}
