/** Core's Diagnostics, structurally (this package does not depend on core). */
export interface NativeDiagnostics {
  kinetic: number;
  potential: number;
  total: number;
  momentum: [number, number, number];
  angularMomentum: [number, number, number];
  centerOfMass: [number, number, number];
  mass: number;
}

/**
 * Slots of the array every native addon's `diagnostics()` returns (include/brokenrecord/
 * diagnostics_array.h, the one definition): kinetic, potential, momentum (3), angular momentum
 * (3), centre of mass (3, already divided by the mass), mass.
 */
export const DIAGNOSTICS_SLOTS = {
  kinetic: 0,
  potential: 1,
  momentum: 2,
  angularMomentum: 5,
  centerOfMass: 8,
  mass: 11,
  length: 12,
} as const;

/** The one reader of that array. */
export function readNativeDiagnostics(d: Float64Array): NativeDiagnostics {
  if (d.length !== DIAGNOSTICS_SLOTS.length)
    throw new Error(`the addon returned ${d.length} diagnostics values, expected ${DIAGNOSTICS_SLOTS.length}`);
  const s = DIAGNOSTICS_SLOTS;
  const v3 = (at: number): [number, number, number] => [d[at]!, d[at + 1]!, d[at + 2]!];
  return {
    kinetic: d[s.kinetic]!,
    potential: d[s.potential]!,
    total: d[s.kinetic]! + d[s.potential]!,
    momentum: v3(s.momentum),
    angularMomentum: v3(s.angularMomentum),
    centerOfMass: v3(s.centerOfMass),
    mass: d[s.mass]!,
  };
}
