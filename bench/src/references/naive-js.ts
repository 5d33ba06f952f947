/**
 * Reference: the seed's style, an array of `{ position: [x,y,z], velocity: [x,y,z], mass, radius }`
 * objects stepped with straightforward loops (float64 numbers, allocation where it is natural,
 * a Map keyed by "x,y,z" strings as the spatial hash). It shows what the engine replaces.
 */
import type { ParticleState } from '@brokenrecord/core';
import { finalStateOf } from '../check.js';
import { measureRepeated } from '../measure.js';
import { errorMessage, type Runner } from '../runner.js';
import { NotApplicable, type Physics, type Workload } from '../workload.js';

export interface SeedParticle {
  position: number[];
  velocity: number[];
  mass: number;
  radius: number;
}

export function seedParticlesOf(state: ParticleState): SeedParticle[] {
  return Array.from({ length: state.count }, (_, i) => ({
    position: [state.px[i], state.py[i], state.pz[i]],
    velocity: [state.vx[i], state.vy[i], state.vz[i]],
    mass: state.mass[i],
    radius: state.radius[i],
  }));
}

export function naiveStep(physics: Physics, particles: SeedParticle[], dt: number, steps: number): void {
  for (let s = 0; s < steps; s++) {
    switch (physics.kernel) {
      case 'freeFall':
        freeFall(particles, dt, physics.g);
        break;
      case 'pairGravity':
        pairGravity(particles, dt, physics.G, physics.softening);
        break;
      case 'contacts':
        contacts(particles, dt, physics.box, physics.restitution);
        break;
      case 'lennardJones':
        throw new NotApplicable('B4 has no naive-objects row (the JS Float32Array loop is its JS reference)');
      case 'softSpheres':
        throw new NotApplicable('B5 has no naive-objects row (the C program is its reference)');
    }
  }
}

function freeFall(particles: SeedParticle[], dt: number, g: readonly number[]): void {
  for (const p of particles) {
    for (let k = 0; k < 3; k++) {
      p.velocity[k] += g[k] * dt;
      p.position[k] += p.velocity[k] * dt;
    }
  }
}

function pairGravity(particles: SeedParticle[], dt: number, G: number, softening: number): void {
  const acceleration = particles.map(() => [0, 0, 0]);
  for (let i = 0; i < particles.length; i++) {
    const p = particles[i];
    for (let j = 0; j < particles.length; j++) {
      if (i === j) continue;
      const q = particles[j];
      const dx = q.position[0] - p.position[0];
      const dy = q.position[1] - p.position[1];
      const dz = q.position[2] - p.position[2];
      const strength = (G * q.mass) / Math.pow(dx * dx + dy * dy + dz * dz + softening * softening, 1.5);
      acceleration[i][0] += strength * dx;
      acceleration[i][1] += strength * dy;
      acceleration[i][2] += strength * dz;
    }
  }
  particles.forEach((p, i) => {
    for (let k = 0; k < 3; k++) {
      p.velocity[k] += acceleration[i][k] * dt;
      p.position[k] += p.velocity[k] * dt;
    }
  });
}

function contacts(particles: SeedParticle[], dt: number, box: number, e: number): void {
  const rMax = particles.reduce((max, p) => Math.max(max, p.radius), 0);
  const cellSize = box / Math.max(1, Math.floor(box / (2 * rMax)));
  const cellOf = (p: SeedParticle) => p.position.map((x) => Math.floor(x / cellSize));
  const grid = new Map<string, SeedParticle[]>();
  for (const p of particles) {
    const key = cellOf(p).join(',');
    const list = grid.get(key);
    if (list) list.push(p);
    else grid.set(key, [p]);
  }
  // Impulses from the velocities as the phase began (Jacobi), applied once all are known.
  const changes = particles.map((p) => {
    const change = [0, 0, 0];
    const [cx, cy, cz] = cellOf(p);
    for (let ox = -1; ox <= 1; ox++) {
      for (let oy = -1; oy <= 1; oy++) {
        for (let oz = -1; oz <= 1; oz++) {
          for (const q of grid.get(`${cx + ox},${cy + oy},${cz + oz}`) ?? []) {
            if (q === p) continue;
            const dx = q.position[0] - p.position[0];
            const dy = q.position[1] - p.position[1];
            const dz = q.position[2] - p.position[2];
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 >= (p.radius + q.radius) ** 2 || d2 === 0) continue;
            const dist = Math.sqrt(d2);
            const n = [dx / dist, dy / dist, dz / dist];
            const u =
              (q.velocity[0] - p.velocity[0]) * n[0] + (q.velocity[1] - p.velocity[1]) * n[1] + (q.velocity[2] - p.velocity[2]) * n[2];
            if (u >= 0) continue;
            const J = (-(1 + e) * u) / (1 / p.mass + 1 / q.mass);
            for (let k = 0; k < 3; k++) change[k] -= (J * n[k]) / p.mass;
          }
        }
      }
    }
    return change;
  });
  particles.forEach((p, i) => {
    for (let k = 0; k < 3; k++) {
      p.velocity[k] += changes[i][k];
      if (p.position[k] - p.radius <= 0 && p.velocity[k] < 0) p.velocity[k] = -e * p.velocity[k];
      if (p.position[k] + p.radius >= box && p.velocity[k] > 0) p.velocity[k] = -e * p.velocity[k];
      p.position[k] = Math.min(Math.max(p.position[k] + p.velocity[k] * dt, p.radius), box - p.radius);
    }
  });
}

export const naiveRunner: Runner = {
  id: 'naive-js',
  label: 'naive JS objects',
  kind: 'reference',
  appliesTo: (workload) => workload.physics.kernel !== 'lennardJones' && workload.physics.kernel !== 'softSpheres',
  async measure(workload: Workload, plan) {
    try {
      const initial = seedParticlesOf(workload.createState());
      const particles = seedParticlesOf(workload.createState());
      const stats = await measureRepeated(plan, {
        // Overwrite in place: rebuilding a million objects per run would leave the GC work to a timed run.
        reset: () => {
          particles.forEach((p, i) => {
            const from = initial[i];
            for (let k = 0; k < 3; k++) {
              p.position[k] = from.position[k];
              p.velocity[k] = from.velocity[k];
            }
          });
        },
        run: () => naiveStep(workload.physics, particles, workload.dt, workload.steps),
      });
      const final = finalStateOf(particles.length, (i) => particles[i].position as [number, number, number]);
      return { status: 'ok', stats, final };
    } catch (error) {
      return { status: 'failed', reason: errorMessage(error) };
    }
  },
};
