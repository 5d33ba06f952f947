// The diagnostics array every BrokenRecord native addon returns from `diagnostics()`: a
// Float64Array of kDiagnosticsLength values, in this order and with these meanings, whatever the
// addon accumulates internally. @brokenrecord/native-common's readNativeDiagnostics turns it into
// core's Diagnostics; there is no other reader.
#ifndef BROKENRECORD_DIAGNOSTICS_ARRAY_H
#define BROKENRECORD_DIAGNOSTICS_ARRAY_H

namespace brokenrecord {

enum DiagnosticsSlot : int {
  kDiagKinetic = 0,          // Σ ½ m v²
  kDiagPotential = 1,        // the rules' potential energy
  kDiagMomentum = 2,         // Σ m v (slots 2, 3, 4)
  kDiagAngularMomentum = 5,  // Σ m x × v about the origin (slots 5, 6, 7)
  kDiagCenterOfMass = 8,     // Σ m x / Σ m, (0, 0, 0) without mass (slots 8, 9, 10)
  kDiagMass = 11,            // Σ m
  kDiagnosticsLength = 12,
};

/**
 * For addons that reduce Σ m x in slots 8-10 (the sums are what blocks and threads can add up):
 * divides them by the mass in place, so the array has the meaning above.
 */
inline void center_of_mass_from_sums(double* d) {
  for (int k = 0; k < 3; k++)
    d[kDiagCenterOfMass + k] = d[kDiagMass] > 0 ? d[kDiagCenterOfMass + k] / d[kDiagMass] : 0.0;
}

}  // namespace brokenrecord

#endif
