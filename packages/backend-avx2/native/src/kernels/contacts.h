// Soft-sphere contacts (docs/physics.md, "Soft-sphere contacts"): each particle sums the forces of
// its own contacts, found on the collision grid (cells >= 2*r_max), so the result does not depend
// on the thread split. The per-pair math is brokenrecord/contacts.h; the narrow phase is in
// contacts_{scalar,avx2,avx512}.cpp, this part is shared by every instruction set.
#ifndef BROKENRECORD_KERNELS_CONTACTS_H
#define BROKENRECORD_KERNELS_CONTACTS_H

#include <stddef.h>
#include <brokenrecord/contacts.h>
#include "../simd_plan.h"

namespace brokenrecord {

/** v = float(v + (a + contact)*h) on one axis for particles [lo, hi) (a: the local accelerations). */
void kick_axis_with_contacts(float* v, const float* a, const double* contact, float h, size_t lo, size_t hi);

/** Σ over overlapping pairs i < j of their elastic energy (diagnostics), on a grid of its own. */
double contact_potential(const Columns& c, const ContactLaw& law);

}  // namespace brokenrecord

#endif
