/**
 * A face-centred cubic lattice, the starting point of Lennard-Jones fluids: `cells³` cubic unit
 * cells of side `a`, four sites each, so the number density is 4/a³ (a = (4/ρ)^{1/3}). Sites sit a
 * quarter cell in from `origin`, so none lies on a face of the box [origin, origin + cells·a).
 */
export function fccPositions(cells: number, a: number, origin: readonly [number, number, number] = [0, 0, 0]): [number, number, number][] {
  const basis = [
    [0, 0, 0],
    [0.5, 0.5, 0],
    [0.5, 0, 0.5],
    [0, 0.5, 0.5],
  ];
  const out: [number, number, number][] = [];
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      for (let k = 0; k < cells; k++) {
        for (const b of basis) {
          out.push([origin[0] + (i + b[0] + 0.25) * a, origin[1] + (j + b[1] + 0.25) * a, origin[2] + (k + b[2] + 0.25) * a]);
        }
      }
    }
  }
  return out;
}

/** The fcc lattice constant for number density `rho`. */
export function fccLatticeConstant(rho: number): number {
  return Math.cbrt(4 / rho);
}
