import { ParticleState } from '@brokenrecord/core';
import { Random } from '../helpers/random.js';

/**
 * Configurations that break careless broadphases: each is stepped once with only the collisions
 * rule and compared with the brute-force pair set. Velocities are random and O(1), so a pair the
 * grid misses or invents changes some velocity by O(1).
 */
export interface ContactConfiguration {
  name: string;
  state: ParticleState;
}

function build(random: Random, position: number[][], radius: number[]): ParticleState {
  return ParticleState.from({
    position,
    velocity: position.map(() => [random.gaussian(), random.gaussian(), random.gaussian()]),
    mass: position.map(() => random.uniform(0.2, 5)),
    radius,
  });
}

/** Mixed radii (a factor ten apart) scattered uniformly, a few contacts per particle. */
function mixedRadii(seed: number): ContactConfiguration {
  const random = new Random(seed);
  const position: number[][] = [];
  const radius: number[] = [];
  for (let i = 0; i < 400; i++) {
    position.push([random.uniform(-4, 4), random.uniform(-4, 4), random.uniform(-4, 4)]);
    radius.push(random.uniform(0.05, 0.5));
  }
  return { name: 'mixed radii, uniform scatter', state: build(random, position, radius) };
}

/**
 * Centres on multiples of 2·r_max (= 1, the smallest legal cell size), i.e. exactly on cell borders,
 * plus dyadic offsets that straddle the borders, reach exactly r_i + r_j (touching: no contact) or
 * fall just short of it; negative coordinates included (floor versus truncation when hashing).
 * Some centres coincide, which the pair condition |d|² > 0 excludes.
 */
function cellBorders(seed: number): ContactConfiguration {
  const random = new Random(seed);
  const offsets = [0, 0, 0, 0.25, -0.25, 0.5, -0.5, 0.5 - 2 ** -10, -(0.5 - 2 ** -10), 0.125];
  const radii = [0.5, 0.5, 0.25, 0.375, 0.125];
  const position: number[][] = [];
  const radius: number[] = [];
  for (let i = 0; i < 360; i++) {
    position.push([0, 1, 2].map(() => random.int(9) - 4 + random.pick(offsets)));
    radius.push(random.pick(radii));
  }
  return { name: 'centres on cell borders (multiples of 2·r_max)', state: build(random, position, radius) };
}

/** Dense clusters: dozens of spheres overlapping one another in a few small balls. */
function denseClusters(seed: number): ContactConfiguration {
  const random = new Random(seed);
  const position: number[][] = [];
  const radius: number[] = [];
  for (let c = 0; c < 4; c++) {
    const centre = [random.uniform(-5, 5), random.uniform(-5, 5), random.uniform(-5, 5)];
    for (let i = 0; i < 60; i++) {
      const p = random.inBall(0.8);
      position.push(p.map((x, k) => centre[k] + x));
      radius.push(random.uniform(0.2, 0.4));
    }
  }
  return { name: 'dense clusters', state: build(random, position, radius) };
}

/**
 * Overlapping pairs scattered over a wide, mostly empty region on both sides of the origin, and
 * one sphere ten times larger than the rest (r_max, hence the cell size, set by a single particle).
 */
function sparseWideWithGiant(seed: number): ContactConfiguration {
  const random = new Random(seed);
  const position: number[][] = [[0.5, -0.5, 0.25]];
  const radius: number[] = [3];
  for (let i = 0; i < 80; i++) {
    const centre = [random.uniform(-100, 100), random.uniform(-100, 100), random.uniform(-100, 100)];
    const offset = random.inBall(0.3);
    position.push(
      centre,
      centre.map((x, k) => x + offset[k]),
    );
    radius.push(0.2, 0.25);
  }
  // Small spheres around the giant, some inside its reach and some just outside.
  for (let i = 0; i < 60; i++) {
    const direction = random.inBall(1);
    const len = Math.hypot(...direction) || 1;
    const distance = random.uniform(2.5, 3.6);
    position.push(direction.map((x, k) => position[0][k] + (x / len) * distance));
    radius.push(0.3);
  }
  return { name: 'sparse wide region with one giant sphere', state: build(random, position, radius) };
}

/**
 * Point particles (radius 0) mixed with spheres: two points never collide (r_i + r_j = 0), a point
 * inside a sphere does (|d| < r_i + r_j).
 */
function pointsAmongSpheres(seed: number): ContactConfiguration {
  const random = new Random(seed);
  const position: number[][] = [];
  const radius: number[] = [];
  for (let i = 0; i < 200; i++) {
    position.push([random.uniform(-2, 2), random.uniform(-2, 2), random.uniform(-2, 2)]);
    radius.push(i % 2 === 0 ? 0 : random.uniform(0.2, 0.5));
  }
  return { name: 'point particles among spheres', state: build(random, position, radius) };
}

export function contactConfigurations(): ContactConfiguration[] {
  return [mixedRadii(101), cellBorders(202), denseClusters(303), sparseWideWithGiant(404), pointsAmongSpheres(505)];
}
