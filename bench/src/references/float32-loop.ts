/**
 * Reference: a plain JavaScript loop over Float32Array columns, written the way a careful JS
 * programmer would (columns and constants in locals, scratch allocated once), single-threaded.
 * This is the bar the TypeScript backend is held to.
 */
import { COLUMNS, type Column, type ParticleState } from '@brokenrecord/core';
import { finalStateOf } from '../check.js';
import { ljStepper, type LjStepper } from './lj-loop.js';
import { measureRepeated } from '../measure.js';
import { errorMessage, type Runner } from '../runner.js';
import { NotApplicable, type Physics, type Workload } from '../workload.js';

export type Columns = Record<Column, Float32Array> & { count: number };

export function columnsOf(state: ParticleState): Columns {
  const columns = { count: state.count } as Columns;
  for (const c of COLUMNS) columns[c] = Float32Array.from(state.column(c));
  return columns;
}

type Stepper = ((steps: number) => void) & { energies?: LjStepper['energies'] };

/** Builds the stepper for `physics` over `c`, allocating its scratch memory now, not while timed. */
export function float32Stepper(physics: Physics, c: Columns, dt: number): Stepper {
  switch (physics.kernel) {
    case 'freeFall':
      return freeFall(c, dt, physics.g);
    case 'pairGravity':
      return pairGravity(c, dt, physics.G, physics.softening);
    case 'contacts':
      return contacts(c, dt, physics.box, physics.restitution);
    case 'lennardJones':
      return ljStepper(c, dt, physics);
    case 'softSpheres':
      throw new NotApplicable('B5 has no JS loop row (the C program is its reference)');
  }
}

function freeFall(c: Columns, dt: number, g: readonly number[]): Stepper {
  const { px, py, pz, vx, vy, vz, count: n } = c;
  // a·dt is the same float64 every step; computing it once changes nothing but the time.
  const kx = g[0] * dt,
    ky = g[1] * dt,
    kz = g[2] * dt;
  return (steps) => {
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < n; i++) {
        vx[i] += kx;
        vy[i] += ky;
        vz[i] += kz;
        px[i] += vx[i] * dt;
        py[i] += vy[i] * dt;
        pz[i] += vz[i] * dt;
      }
    }
  };
}

function pairGravity(c: Columns, dt: number, G: number, softening: number): Stepper {
  const { px, py, pz, vx, vy, vz, mass, count: n } = c;
  const eps2 = softening * softening;
  const ax = new Float64Array(n),
    ay = new Float64Array(n),
    az = new Float64Array(n);
  return (steps) => {
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < n; i++) {
        const xi = px[i],
          yi = py[i],
          zi = pz[i];
        let sx = 0,
          sy = 0,
          sz = 0;
        // j === i adds exactly 0 (d = 0, ε > 0), cheaper than a branch in the hot loop.
        for (let j = 0; j < n; j++) {
          const dx = px[j] - xi,
            dy = py[j] - yi,
            dz = pz[j] - zi;
          const r2 = dx * dx + dy * dy + dz * dz + eps2;
          const inv = 1 / Math.sqrt(r2);
          const f = mass[j] * inv * inv * inv;
          sx += f * dx;
          sy += f * dy;
          sz += f * dz;
        }
        ax[i] = G * sx;
        ay[i] = G * sy;
        az[i] = G * sz;
      }
      // Positions move only after every acceleration of the step is known.
      for (let i = 0; i < n; i++) {
        vx[i] += ax[i] * dt;
        vy[i] += ay[i] * dt;
        vz[i] += az[i] * dt;
        px[i] += vx[i] * dt;
        py[i] += vy[i] * dt;
        pz[i] += vz[i] * dt;
      }
    }
  };
}

/**
 * Uniform grid (cell ≥ 2·r_max), counting sort by cell, every column gathered into cell order so a
 * stencil row of 3 cells is one contiguous range: the same algorithm as c/b3.c.
 */
function contacts(c: Columns, dt: number, box: number, e: number): Stepper {
  const { px, py, pz, vx, vy, vz, mass, radius, count: n } = c;
  let rMax = 0;
  for (let i = 0; i < n; i++) rMax = Math.max(rMax, radius[i]);
  const G = Math.max(1, Math.floor(box / Math.max(2 * rMax, 1e-30)));
  const invCell = G / box;
  const cellCount = G * G * G;
  const start = new Int32Array(cellCount + 1),
    cursor = new Int32Array(cellCount);
  const cellOf = new Int32Array(n),
    order = new Int32Array(n);
  const sx = new Float32Array(n),
    sy = new Float32Array(n),
    sz = new Float32Array(n);
  const su = new Float32Array(n),
    sv = new Float32Array(n),
    sw = new Float32Array(n);
  const sr = new Float32Array(n),
    sm = new Float32Array(n);
  const cell = (x: number) => {
    const k = Math.floor(x * invCell);
    return k < 0 ? 0 : k >= G ? G - 1 : k;
  };

  const buildGrid = () => {
    start.fill(0);
    for (let i = 0; i < n; i++) {
      const k = (cell(pz[i]) * G + cell(py[i])) * G + cell(px[i]);
      cellOf[i] = k;
      start[k + 1]++;
    }
    for (let k = 0; k < cellCount; k++) start[k + 1] += start[k];
    cursor.set(start.subarray(0, cellCount));
    for (let i = 0; i < n; i++) order[cursor[cellOf[i]]++] = i;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      sx[s] = px[i];
      sy[s] = py[i];
      sz[s] = pz[i];
      su[s] = vx[i];
      sv[s] = vy[i];
      sw[s] = vz[i];
      sr[s] = radius[i];
      sm[s] = mass[i];
    }
  };

  // Reads only the sorted copies, i.e. velocities as the contact phase began (Jacobi).
  const resolveCollisions = () => {
    for (let a = 0; a < n; a++) {
      const i = order[a],
        k = cellOf[i];
      const cx = k % G,
        cy = Math.floor(k / G) % G,
        cz = Math.floor(k / (G * G));
      const xi = sx[a],
        yi = sy[a],
        zi = sz[a],
        ui = su[a],
        vi = sv[a],
        wi = sw[a];
      const ri = sr[a],
        invMi = 1 / sm[a];
      let du = 0,
        dv = 0,
        dw = 0;
      const x0 = cx > 0 ? cx - 1 : 0,
        x1 = cx < G - 1 ? cx + 1 : G - 1;
      for (let z = cz - 1; z <= cz + 1; z++) {
        if (z < 0 || z >= G) continue;
        for (let y = cy - 1; y <= cy + 1; y++) {
          if (y < 0 || y >= G) continue;
          const row = (z * G + y) * G;
          const last = start[row + x1 + 1];
          for (let b = start[row + x0]; b < last; b++) {
            const dx = sx[b] - xi,
              dy = sy[b] - yi,
              dz = sz[b] - zi;
            const d2 = dx * dx + dy * dy + dz * dz;
            const reach = ri + sr[b];
            // d2 > 0 also excludes the particle itself.
            if (!(d2 < reach * reach && d2 > 0)) continue;
            const dist = Math.sqrt(d2);
            const nx = dx / dist,
              ny = dy / dist,
              nz = dz / dist;
            const u = (su[b] - ui) * nx + (sv[b] - vi) * ny + (sw[b] - wi) * nz;
            if (u >= 0) continue;
            const J = (-(1 + e) * u) / (invMi + 1 / sm[b]);
            du -= J * nx * invMi;
            dv -= J * ny * invMi;
            dw -= J * nz * invMi;
          }
        }
      }
      vx[i] = ui + du;
      vy[i] = vi + dv;
      vz[i] = wi + dw;
    }
  };

  const boundsAndDrift = (x: Float32Array, v: Float32Array) => {
    for (let i = 0; i < n; i++) {
      const r = radius[i];
      let vi = v[i];
      if (x[i] - r <= 0 && vi < 0) vi = -e * vi;
      if (x[i] + r >= box && vi > 0) vi = -e * vi;
      v[i] = vi;
      x[i] = Math.min(Math.max(x[i] + vi * dt, r), box - r);
    }
  };

  return (steps) => {
    for (let s = 0; s < steps; s++) {
      buildGrid();
      resolveCollisions();
      boundsAndDrift(px, vx);
      boundsAndDrift(py, vy);
      boundsAndDrift(pz, vz);
    }
  };
}

export const float32Runner: Runner = {
  id: 'float32',
  label: 'JS Float32Array loop',
  kind: 'reference',
  appliesTo: (workload) => workload.physics.kernel !== 'softSpheres',
  async measure(workload: Workload, plan) {
    try {
      const initial = columnsOf(workload.createState());
      const working = columnsOf(workload.createState());
      const step = float32Stepper(workload.physics, working, workload.dt);
      // Energies (when the workload checks them) of the initial state and after the last timed run.
      const before = workload.energyCheck && step.energies ? step.energies() : null;
      const stats = await measureRepeated(plan, {
        reset: () => {
          for (const c of COLUMNS) working[c].set(initial[c]);
        },
        run: () => step(workload.steps),
      });
      const final = finalStateOf(working.count, (i) => [working.px[i], working.py[i], working.pz[i]]);
      if (before && step.energies) final.energy = { potential0: before.potential, total0: before.total, total1: step.energies().total };
      return { status: 'ok', stats, final };
    } catch (error) {
      return { status: 'failed', reason: errorMessage(error) };
    }
  },
};
