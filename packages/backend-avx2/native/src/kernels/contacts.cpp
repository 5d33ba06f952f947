// Soft-sphere contacts, the parts every instruction set shares (compiled with baseline flags).
#include "contacts.h"

#include "broadphase.h"

namespace brokenrecord {

void kick_axis_with_contacts(float* v, const float* a, const double* contact, float h, size_t lo, size_t hi) {
  for (size_t i = lo; i < hi; i++) v[i] = kick_with_contacts(v[i], a[i], contact[i], h);
}

double contact_potential(const Columns& c, const ContactLaw& law) {
  Grid grid;  // outside any parallel region: built by this thread alone
  if (!grid.build(c.px, c.py, c.pz, c.radius, c.n)) return 0;
  const int32_t* order = grid.order();
  int32_t ranges[18];
  double u = 0;
  for (size_t i = 0; i < c.n; i++) {
    const int slices = grid.neighbour_ranges(i, ranges);
    for (int s = 0; s < slices; s++) {
      for (int32_t k = ranges[2 * s]; k < ranges[2 * s + 1]; k++) {
        const size_t j = (size_t)order[k];
        if (j <= i) continue;  // each pair once
        u += pair_contact_energy<double>(law, c.px[i], c.py[i], c.pz[i], c.radius[i], c.px[j], c.py[j], c.pz[j],
                                         c.radius[j]);
      }
    }
  }
  return u;
}

}  // namespace brokenrecord
