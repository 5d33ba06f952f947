import { ParticleState } from '@brokenrecord/core';
import { Random } from '@brokenrecord/conformance';

/** Spheres scattered in a cube of side `side`, random velocities and masses. */
export function scatteredSpheres(seed: number, n: number, side: number, radius: [number, number]): ParticleState {
  const random = new Random(seed);
  return ParticleState.from({
    position: Array.from({ length: n }, () => [random.uniform(0, side), random.uniform(0, side), random.uniform(0, side)]),
    velocity: Array.from({ length: n }, () => [random.gaussian(), random.gaussian(), random.gaussian()]),
    mass: Array.from({ length: n }, () => random.uniform(0.5, 2)),
    radius: Array.from({ length: n }, () => random.uniform(radius[0], radius[1])),
  });
}

/** The same kind of state built column by column: fast enough for hundreds of thousands of particles. */
export function randomColumns(seed: number, n: number, side: number, radius: [number, number]): ParticleState {
  const random = new Random(seed);
  const state = ParticleState.create(n);
  for (let i = 0; i < n; i++) {
    state.px[i] = random.uniform(0, side);
    state.py[i] = random.uniform(0, side);
    state.pz[i] = random.uniform(0, side);
    state.vx[i] = random.gaussian();
    state.vy[i] = random.gaussian();
    state.vz[i] = random.gaussian();
    state.mass[i] = random.uniform(0.5, 2);
    state.radius[i] = random.uniform(radius[0], radius[1]);
  }
  return state;
}
