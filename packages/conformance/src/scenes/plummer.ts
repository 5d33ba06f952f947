import { ParticleState } from '@brokenrecord/core';
import { Random } from '../helpers/random.js';

/** Plummer scale length in Hénon units (G = M = 1, E = −1/4): a = 3π/16, virial radius 1. */
export const PLUMMER_SCALE = (3 * Math.PI) / 16;
/** Hénon units' crossing time 2√2 (= G M^{5/2} / (2|E|)^{3/2}). */
export const HENON_CROSSING_TIME = 2 * Math.SQRT2;

/**
 * An equal-mass Plummer sphere of n bodies in Hénon units, in virial equilibrium (Aarseth, Hénon &
 * Wielen 1974): radii from the inverted cumulative mass, speeds by rejection from the isotropic
 * distribution function, both directions isotropic; shifted to the centre-of-mass frame.
 * `truncate` drops draws beyond that fraction of the mass (0.999 keeps outliers from inflating
 * the bounding box).
 */
export function plummerSphere(n: number, seed: number, truncate = 0.999): ParticleState {
  const random = new Random(seed);
  const state = ParticleState.create(n);
  const { px, py, pz, vx, vy, vz, mass } = state;
  const a = PLUMMER_SCALE;
  const c = [0, 0, 0, 0, 0, 0];
  const direction = (length: number): [number, number, number] => {
    const z = random.uniform(-1, 1);
    const phi = random.uniform(0, 2 * Math.PI);
    const s = Math.sqrt(1 - z * z);
    return [length * s * Math.cos(phi), length * s * Math.sin(phi), length * z];
  };
  for (let i = 0; i < n; i++) {
    let x = 0;
    while (x === 0 || x > truncate) x = random.next();
    const r = a / Math.sqrt(x ** (-2 / 3) - 1);
    // q = v / v_esc with density ∝ q² (1 − q²)^{7/2}; its maximum is below 0.1.
    let q = 0;
    for (;;) {
      q = random.next();
      if (random.uniform(0, 0.1) < q * q * (1 - q * q) ** 3.5) break;
    }
    const escape = (Math.SQRT2 * (1 + (r * r) / (a * a)) ** -0.25) / Math.sqrt(a);
    const p = direction(r);
    const v = direction(q * escape);
    px[i] = p[0];
    py[i] = p[1];
    pz[i] = p[2];
    vx[i] = v[0];
    vy[i] = v[1];
    vz[i] = v[2];
    mass[i] = 1 / n;
    for (let k = 0; k < 3; k++) {
      c[k] += p[k] / n;
      c[k + 3] += v[k] / n;
    }
  }
  for (let i = 0; i < n; i++) {
    px[i] -= c[0];
    py[i] -= c[1];
    pz[i] -= c[2];
    vx[i] -= c[3];
    vy[i] -= c[4];
    vz[i] -= c[5];
  }
  return state;
}

/** A cold (at rest) uniform sphere of n equal masses summing to 1, radius 1. */
export function coldUniformSphere(n: number, seed: number): ParticleState {
  const random = new Random(seed);
  const state = ParticleState.create(n);
  for (let i = 0; i < n; i++) {
    const [x, y, z] = random.inBall(1);
    state.px[i] = x;
    state.py[i] = y;
    state.pz[i] = z;
    state.mass[i] = 1 / n;
  }
  return state;
}
