import { createSimulation, defineSystem, erf, erfc, field, ParticleState } from '@brokenrecord/core';

/**
 * Elementary functions in generated WGSL against float64 on the same float32 arguments: each
 * function is a field's x acceleration, read back after one Euler step of dt = 1 from rest.
 * `floor`: the error is relative to max(|exact|, floor) (absolute near a zero of the function).
 */
export const MATH_CASES: { expression: string; exact: (x: number) => number; range: [number, number]; floor: number; tolerance: number }[] =
  [
    { expression: 'sin(x)', exact: Math.sin, range: [-20, 20], floor: 1, tolerance: 4e-7 },
    { expression: 'cos(x)', exact: Math.cos, range: [-20, 20], floor: 1, tolerance: 4e-7 },
    { expression: 'tan(x)', exact: Math.tan, range: [-1.4, 1.4], floor: 1, tolerance: 4e-7 },
    { expression: 'exp(x)', exact: Math.exp, range: [-30, 30], floor: 0, tolerance: 4e-7 },
    { expression: 'log(x)', exact: Math.log, range: [1e-3, 1e3], floor: 1, tolerance: 4e-7 },
    { expression: 'x^1.5', exact: (x) => Math.pow(x, 1.5), range: [1e-2, 10], floor: 0, tolerance: 1e-6 },
    { expression: 'atan(x)', exact: Math.atan, range: [-10, 10], floor: 1, tolerance: 4e-7 },
    { expression: 'asin(x)', exact: Math.asin, range: [-1, 1], floor: 1, tolerance: 4e-7 },
    { expression: 'acos(x)', exact: Math.acos, range: [-1, 1], floor: 1, tolerance: 4e-7 },
    { expression: 'sinh(x)', exact: Math.sinh, range: [-5, 5], floor: 1, tolerance: 4e-7 },
    { expression: 'cosh(x)', exact: Math.cosh, range: [-5, 5], floor: 1, tolerance: 4e-7 },
    { expression: 'tanh(x)', exact: Math.tanh, range: [-5, 5], floor: 1, tolerance: 4e-7 },
    { expression: 'erf(x)', exact: erf, range: [-4, 4], floor: 1, tolerance: 4e-7 },
    { expression: 'erfc(x)', exact: erfc, range: [-4, 4], floor: 1, tolerance: 4e-7 },
  ];

/**
 * The worst error of each case on the webgpu backend, with the argument it occurred at. One
 * system evaluates every case (one shader compile): particle p of case k has mask_k = 1 and its
 * argument in arg_k, every other mask 0 and argument 0.5 (inside every range), so its x
 * acceleration is f_k(arg_k) plus exact zeros.
 */
export async function measureMath(perCase = 2001): Promise<{ expression: string; error: number; at: number; tolerance: number }[]> {
  const cases = MATH_CASES.length;
  const n = cases * perCase;
  const attributes: Record<string, number[]> = {};
  for (let k = 0; k < cases; k++) {
    attributes[`mask${k}`] = new Array<number>(n).fill(0);
    attributes[`arg${k}`] = new Array<number>(n).fill(0.5);
  }
  MATH_CASES.forEach((c, k) => {
    const [lo, hi] = c.range;
    for (let i = 0; i < perCase; i++) {
      attributes[`mask${k}`][k * perCase + i] = 1;
      attributes[`arg${k}`][k * perCase + i] = lo + ((hi - lo) * i) / (perCase - 1);
    }
  });
  const state = ParticleState.from({ position: new Float32Array(3 * n), mass: 1, attributes });
  const sum = MATH_CASES.map((c, k) => `mask${k}*(${c.expression.replace(/\bx\b/g, `arg${k}`)})`).join(' + ');
  const system = defineSystem({ rules: [field({ acceleration: [sum, '0', '0'], perParticle: Object.keys(attributes) })] });
  const sim = await createSimulation({ system, state: state.clone(), dt: 1, backend: 'webgpu' });
  try {
    await sim.step(1);
    const s = await sim.read();
    return MATH_CASES.map((c, k) => {
      const args = state.attribute(`arg${k}`);
      let error = 0;
      let at = NaN;
      for (let p = k * perCase; p < (k + 1) * perCase; p++) {
        const exact = c.exact(args[p]);
        const e = Math.abs(s.vx[p] - exact) / Math.max(Math.abs(exact), c.floor);
        if (!(e <= error)) {
          error = e;
          at = args[p];
        }
      }
      return { expression: c.expression, error, at, tolerance: c.tolerance };
    });
  } finally {
    sim.dispose();
  }
}
