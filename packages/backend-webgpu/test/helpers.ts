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
