// The per-particle kernels: one thread per particle, coalesced loads of the SoA columns, the
// physics/motion.h functions in between. Fused runs keep a particle in registers for all steps.
#include "device_check.h"
#include "kernels.h"
#include "../physics/motion.h"

namespace brokenrecord {

namespace {

constexpr int kBlock = 256;

unsigned blocks_for(unsigned n) { return (n + kBlock - 1) / kBlock; }

__device__ inline void load(const DeviceState& s, unsigned i, float (&x)[3], float (&v)[3]) {
  x[0] = s.px[i];
  x[1] = s.py[i];
  x[2] = s.pz[i];
  v[0] = s.vx[i];
  v[1] = s.vy[i];
  v[2] = s.vz[i];
}

__device__ inline void store(const DeviceState& s, unsigned i, const float (&x)[3], const float (&v)[3]) {
  s.px[i] = x[0];
  s.py[i] = x[1];
  s.pz[i] = x[2];
  s.vx[i] = v[0];
  s.vy[i] = v[1];
  s.vz[i] = v[2];
}

__global__ void advance_alone_kernel(MotionPlan plan, DeviceState s, int steps) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  float x[3], v[3];
  load(s, i, x, v);
  advance_alone(plan, x, v, plan.walls ? s.radius[i] : 0.0f, steps);
  store(s, i, x, v);
}

__global__ void kick_kernel(MotionPlan plan, DeviceState s, const float* fx, const float* fy, const float* fz,
                            float h) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  float v[3] = {s.vx[i], s.vy[i], s.vz[i]};
  if (fx) {
    const float f[3] = {fx[i], fy[i], fz[i]};
    kick_particle(plan, v, f, h);
  } else {
    kick_particle(plan, v, nullptr, h);
  }
  s.vx[i] = v[0];
  s.vy[i] = v[1];
  s.vz[i] = v[2];
}

__global__ void walls_and_drift_kernel(MotionPlan plan, DeviceState s) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= s.n) return;
  float x[3], v[3];
  load(s, i, x, v);
  walls_and_drift(plan, x, v, plan.walls ? s.radius[i] : 0.0f);
  store(s, i, x, v);
}

}  // namespace

void launch_advance_alone(const MotionPlan& plan, const DeviceState& s, int steps, cudaStream_t stream) {
  advance_alone_kernel<<<blocks_for(s.n), kBlock, 0, stream>>>(plan, s, steps);
  check_launch("advance_alone_kernel");
}

void launch_kick(const MotionPlan& plan, const DeviceState& s, const float* fx, const float* fy, const float* fz,
                 float h, cudaStream_t stream) {
  kick_kernel<<<blocks_for(s.n), kBlock, 0, stream>>>(plan, s, fx, fy, fz, h);
  check_launch("kick_kernel");
}

void launch_walls_and_drift(const MotionPlan& plan, const DeviceState& s, cudaStream_t stream) {
  walls_and_drift_kernel<<<blocks_for(s.n), kBlock, 0, stream>>>(plan, s);
  check_launch("walls_and_drift_kernel");
}

}  // namespace brokenrecord
