#include "plan_from_js.h"

#include <brokenrecord/plan_from_js.h>

namespace brokenrecord {

/** The shared reader's terms, arranged as the executors use them (MotionPlan goes to every kernel). */
CudaPlan plan_from_js(const Napi::Object& o) {
  PlanTerms t = plan_terms_from_js(o);
  CudaPlan plan;
  MotionPlan& m = plan.motion;
  m.verlet = t.verlet;
  m.dt = t.dt;
  m.half = t.half;
  for (int k = 0; k < 3; k++) m.g[k] = t.g[k];
  m.k = t.k;
  for (int k = 0; k < 3; k++) m.active[k] = m.g[k] != 0.0f || m.k != 0.0f || !t.pairwise.empty() || t.contacts;
  m.walls = t.walls;
  for (int k = 0; k < 3; k++) m.axis_walls[k] = t.axis_walls[k];
  plan.pairwise = std::move(t.pairwise);
  plan.collisions = t.collisions;
  plan.bounce = t.bounce;
  plan.contacts = t.contacts;
  plan.contact_law = t.contact_law;
  plan.potentials = std::move(t.potentials);
  return plan;
}

}  // namespace brokenrecord
