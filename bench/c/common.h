/*
 * Shared plumbing of the C references: a monotonic clock, the same pseudo-random generator as
 * bench/src/random.ts (so both sides build bit-identical initial states without passing files),
 * argument parsing and the JSON line the bench parses.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define SAMPLE_COUNT 8

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* mulberry32, bit for bit the TypeScript version: uniform in [0, 1) with 2^-32 resolution. */
static double next_uniform(uint32_t* state) {
  uint32_t a = (*state += 0x6D2B79F5u);
  uint32_t t = (a ^ (a >> 15)) * (1u | a);
  t = (t + ((t ^ (t >> 7)) * (61u | t))) ^ t;
  return (double)(t ^ (t >> 14)) / 4294967296.0;
}

static long arg_long(int argc, char** argv, int index, const char* name) {
  if (index >= argc) {
    fprintf(stderr, "missing argument %d (%s)\n", index, name);
    exit(2);
  }
  return strtol(argv[index], NULL, 10);
}

static double arg_double(int argc, char** argv, int index, const char* name) {
  if (index >= argc) {
    fprintf(stderr, "missing argument %d (%s)\n", index, name);
    exit(2);
  }
  return strtod(argv[index], NULL);
}

/* Returns the thread count actually used, so a build without OpenMP reports 1 honestly. */
static int use_threads(long requested) {
#ifdef _OPENMP
  omp_set_num_threads((int)requested);
  return (int)requested;
#else
  (void)requested;
  return 1;
#endif
}

static void* checked_alloc(size_t bytes) {
  /* 64-byte alignment: full cache lines and aligned vector loads for every column. */
  void* p = aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (!p) {
    fprintf(stderr, "out of memory (%zu bytes)\n", bytes);
    exit(3);
  }
  return p;
}

/* Same indices as sampleIndices() in bench/src/check.ts. */
static long sample_index(long k, long n) { return k * (n - 1) / (SAMPLE_COUNT - 1); }

/*
 * One JSON object on stdout: kernel timings (warm-up separate) and enough of the final state to
 * check it against the TypeScript side: a few positions and the sum of all coordinates.
 */
static void print_result(const char* kernel, long n, long steps, int threads, double warmup, const double* seconds,
                         int repeats, const float* px, const float* py, const float* pz) {
  double checksum = 0;
  for (long i = 0; i < n; i++) checksum += (double)px[i] + (double)py[i] + (double)pz[i];
  printf("{\"kernel\":\"%s\",\"n\":%ld,\"steps\":%ld,\"threads\":%d,\"warmup\":%.9g,\"seconds\":[", kernel, n, steps,
         threads, warmup);
  for (int r = 0; r < repeats; r++) printf("%s%.9g", r ? "," : "", seconds[r]);
  printf("],\"checksum\":%.17g,\"sample\":[", checksum);
  for (long k = 0; k < SAMPLE_COUNT && n > 0; k++) {
    long i = sample_index(k, n);
    printf("%s[%.9g,%.9g,%.9g]", k ? "," : "", (double)px[i], (double)py[i], (double)pz[i]);
  }
  printf("]}\n");
}

#endif
