import { ParticleState } from '@brokenrecord/core';
import { mulberry32 } from './random.js';

/** Plummer scale length in Hénon units (G = M = 1, E = −1/4). */
const SCALE = (3 * Math.PI) / 16;

/**
 * An equal-mass Plummer sphere of n bodies in Hénon units (Aarseth, Hénon & Wielen 1974), at rest
 * in its centre-of-mass frame, draws beyond 99.9 % of the mass rejected. The same recipe as the
 * conformance suite's scene (packages/conformance/src/scenes/plummer.ts), written into the
 * columns directly: B6 asks for a million bodies.
 */
export function plummerState(n: number, seed: number): ParticleState {
  const random = mulberry32(seed);
  const state = ParticleState.create(n);
  const { px, py, pz, vx, vy, vz, mass } = state;
  const c = [0, 0, 0, 0, 0, 0];
  const direction = (length: number): [number, number, number] => {
    const z = 2 * random() - 1;
    const phi = 2 * Math.PI * random();
    const s = Math.sqrt(1 - z * z);
    return [length * s * Math.cos(phi), length * s * Math.sin(phi), length * z];
  };
  for (let i = 0; i < n; i++) {
    let x = 0;
    while (x === 0 || x > 0.999) x = random();
    const r = SCALE / Math.sqrt(x ** (-2 / 3) - 1);
    let q = 0;
    for (;;) {
      q = random();
      if (0.1 * random() < q * q * (1 - q * q) ** 3.5) break;
    }
    const escape = (Math.SQRT2 * (1 + (r * r) / (SCALE * SCALE)) ** -0.25) / Math.sqrt(SCALE);
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
