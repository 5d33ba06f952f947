/**
 * B4's JavaScript reference: a Lennard-Jones fluid in a periodic cube, the way a careful JS
 * programmer writes it. float32 columns, float64 arithmetic, single-threaded.
 *
 * Physics (the same as c/b4.c and as `pairForce` + `periodic` with `verlet`):
 *   U = 4ε((σ/r)¹² − (σ/r)⁶) for r < rc (plain truncation, no shift), minimum image;
 *   velocity Verlet: v += a·dt/2; x += v·dt; wrap into [0, L); a = F/m at the new positions; v += a·dt/2.
 *
 * Cell list rebuilt every step: cells of side ≥ rc (G = floor(L/rc) ≥ 3 per axis), a counting sort
 * by cell with positions gathered into cell order, so every cell is one contiguous range; each
 * pair is visited once (its own cell, then 13 of the 26 neighbour cells) and Newton's third law
 * gives both forces. A neighbour cell across a face of the box carries the shift of ±L that makes
 * its particles the nearest images, which for rc ≤ L/2 is exactly the minimum image.
 */
import type { Columns } from './float32-loop.js';

export interface LjParameters {
  epsilon: number;
  sigma: number;
  cutoff: number;
  box: number;
}

export interface LjStepper {
  (steps: number): void;
  /** Potential and total energy of the columns as they are now (one force evaluation, not timed). */
  energies(): { potential: number; total: number };
}

/** The 13 neighbour offsets that, with the cell itself, visit each pair of cells once. */
export const HALF_STENCIL: readonly [number, number, number][] = (() => {
  const offsets: [number, number, number][] = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) if (dz > 0 || (dz === 0 && (dy > 0 || (dy === 0 && dx > 0)))) offsets.push([dx, dy, dz]);
  return offsets;
})();

export function ljStepper(c: Columns, dt: number, p: LjParameters): LjStepper {
  const { px, py, pz, vx, vy, vz, mass, count: n } = c;
  const L = p.box;
  const G = Math.floor(L / p.cutoff);
  if (G < 3) throw new Error(`box ${L} holds fewer than 3 cells of the cutoff ${p.cutoff} per axis`);
  const cells = G * G * G;
  const invCell = G / L;
  const rc2 = p.cutoff * p.cutoff;
  const sig2 = p.sigma * p.sigma;
  const eps4 = 4 * p.epsilon,
    eps24 = 24 * p.epsilon;

  // Per cell: its 13 half-stencil neighbours and the shift (−L, 0, +L per axis) of each.
  const neighbour = new Int32Array(cells * 13);
  const shift = new Float64Array(cells * 13 * 3);
  for (let cz = 0; cz < G; cz++)
    for (let cy = 0; cy < G; cy++)
      for (let cx = 0; cx < G; cx++) {
        const cell = (cz * G + cy) * G + cx;
        HALF_STENCIL.forEach(([ox, oy, oz], k) => {
          const coord = [cx + ox, cy + oy, cz + oz];
          for (let a = 0; a < 3; a++) {
            let s = 0;
            if (coord[a] >= G) {
              coord[a] -= G;
              s = L;
            } else if (coord[a] < 0) {
              coord[a] += G;
              s = -L;
            }
            shift[(cell * 13 + k) * 3 + a] = s;
          }
          neighbour[cell * 13 + k] = (coord[2] * G + coord[1]) * G + coord[0];
        });
      }

  const start = new Int32Array(cells + 1),
    cursor = new Int32Array(cells);
  const cellOf = new Int32Array(n),
    order = new Int32Array(n);
  const sx = new Float64Array(n),
    sy = new Float64Array(n),
    sz = new Float64Array(n);
  const fx = new Float64Array(n),
    fy = new Float64Array(n),
    fz = new Float64Array(n);
  const ax = new Float64Array(n),
    ay = new Float64Array(n),
    az = new Float64Array(n);
  const cellIndex = (x: number) => {
    const k = Math.floor(x * invCell);
    return k < 0 ? 0 : k >= G ? G - 1 : k;
  };

  /** Accelerations at the current positions into ax/ay/az; returns the potential energy when asked. */
  const forces = (withEnergy: boolean): number => {
    start.fill(0);
    for (let i = 0; i < n; i++) {
      const k = (cellIndex(pz[i]) * G + cellIndex(py[i])) * G + cellIndex(px[i]);
      cellOf[i] = k;
      start[k + 1]++;
    }
    for (let k = 0; k < cells; k++) start[k + 1] += start[k];
    cursor.set(start.subarray(0, cells));
    for (let i = 0; i < n; i++) order[cursor[cellOf[i]]++] = i;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      sx[s] = px[i];
      sy[s] = py[i];
      sz[s] = pz[i];
    }
    fx.fill(0);
    fy.fill(0);
    fz.fill(0);
    let potential = 0;
    for (let cell = 0; cell < cells; cell++) {
      const first = start[cell],
        last = start[cell + 1];
      for (let a = first; a < last; a++) {
        const xi = sx[a],
          yi = sy[a],
          zi = sz[a];
        let fxi = 0,
          fyi = 0,
          fzi = 0;
        // The cell itself (pairs b > a), then its 13 neighbours with their image shifts.
        for (let k = -1; k < 13; k++) {
          let b0: number,
            b1: number,
            ox = 0,
            oy = 0,
            oz = 0;
          if (k < 0) {
            b0 = a + 1;
            b1 = last;
          } else {
            const other = neighbour[cell * 13 + k];
            b0 = start[other];
            b1 = start[other + 1];
            const at = (cell * 13 + k) * 3;
            ox = shift[at];
            oy = shift[at + 1];
            oz = shift[at + 2];
          }
          const x = xi - ox,
            y = yi - oy,
            z = zi - oz;
          for (let b = b0; b < b1; b++) {
            const dx = sx[b] - x,
              dy = sy[b] - y,
              dz = sz[b] - z;
            const r2 = dx * dx + dy * dy + dz * dz;
            if (r2 >= rc2) continue;
            const inv2 = 1 / r2;
            const s2 = sig2 * inv2;
            const s6 = s2 * s2 * s2;
            // F_i = −(24ε(2s¹² − s⁶)/r²)·d with d = x_j − x_i (repulsive for positive ff); F_j = −F_i.
            const ff = eps24 * s6 * (2 * s6 - 1) * inv2;
            fxi -= ff * dx;
            fyi -= ff * dy;
            fzi -= ff * dz;
            fx[b] += ff * dx;
            fy[b] += ff * dy;
            fz[b] += ff * dz;
            if (withEnergy) potential += eps4 * s6 * (s6 - 1);
          }
        }
        fx[a] += fxi;
        fy[a] += fyi;
        fz[a] += fzi;
      }
    }
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const invM = 1 / mass[i];
      ax[i] = fx[s] * invM;
      ay[i] = fy[s] * invM;
      az[i] = fz[s] * invM;
    }
    return potential;
  };

  const wrap = (x: number) => (x < 0 ? x + L : x >= L ? x - L : x);
  const halfDt = 0.5 * dt;

  const step = ((steps: number) => {
    if (steps === 0) return;
    forces(false);
    for (let s = 0; s < steps; s++) {
      for (let i = 0; i < n; i++) {
        vx[i] += ax[i] * halfDt;
        vy[i] += ay[i] * halfDt;
        vz[i] += az[i] * halfDt;
        // The stored (float32) velocity drives the drift, as in every engine that stores float32.
        px[i] = wrap(px[i] + vx[i] * dt);
        py[i] = wrap(py[i] + vy[i] * dt);
        pz[i] = wrap(pz[i] + vz[i] * dt);
        // Rounding to float32 can land exactly on L, which is the face at 0.
        if (px[i] >= L) px[i] = 0;
        if (py[i] >= L) py[i] = 0;
        if (pz[i] >= L) pz[i] = 0;
      }
      forces(false);
      for (let i = 0; i < n; i++) {
        vx[i] += ax[i] * halfDt;
        vy[i] += ay[i] * halfDt;
        vz[i] += az[i] * halfDt;
      }
    }
  }) as LjStepper;

  step.energies = () => {
    const potential = forces(true);
    let kinetic = 0;
    for (let i = 0; i < n; i++) kinetic += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    return { potential, total: potential + kinetic };
  };
  return step;
}
