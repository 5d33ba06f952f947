#include "plan_from_js.h"

#include <string>

namespace brokenrecord {

namespace {

double number_at(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("plan.") + key + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

void vec3_at(const Napi::Object& o, const char* key, double out[3]) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray() || v.As<Napi::Array>().Length() != 3) {
    throw Napi::TypeError::New(o.Env(), std::string("plan.") + key + " must be [x, y, z]");
  }
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t k = 0; k < 3; k++) out[k] = a.Get(k).As<Napi::Number>().DoubleValue();
}

}  // namespace

/**
 * { integrator, dt, gravity[3], drag, pairwise: [{G, eps2}], collisions: restitution | null,
 *   bounds: {min, max, restitution} | null, potentials: [{kind: 'uniform', g} | {kind: 'pairwise', G, eps2}] }
 */
StepPlan plan_from_js(const Napi::Object& o) {
  StepPlan plan;
  MotionPlan& m = plan.motion;
  m.verlet = o.Get("integrator").ToString().Utf8Value() == "verlet";
  const double dt = number_at(o, "dt");
  m.dt = (float)dt;
  m.half = (float)(dt * 0.5);
  double g[3];
  vec3_at(o, "gravity", g);
  for (int k = 0; k < 3; k++) m.g[k] = (float)g[k];
  m.k = (float)number_at(o, "drag");
  Napi::Array pairwise = o.Get("pairwise").As<Napi::Array>();
  for (uint32_t i = 0; i < pairwise.Length(); i++) {
    Napi::Object t = pairwise.Get(i).As<Napi::Object>();
    plan.pairwise.push_back(PairwiseTerm{number_at(t, "G"), (float)number_at(t, "eps2")});
  }
  for (int k = 0; k < 3; k++) m.active[k] = m.g[k] != 0.0f || m.k != 0.0f || !plan.pairwise.empty();
  Napi::Value collisions = o.Get("collisions");
  if (collisions.IsNumber()) {
    plan.collisions = true;
    plan.bounce = 1.0 + collisions.As<Napi::Number>().DoubleValue();
  }
  Napi::Value bounds = o.Get("bounds");
  if (bounds.IsObject()) {
    Napi::Object b = bounds.As<Napi::Object>();
    double lo[3], hi[3];
    vec3_at(b, "min", lo);
    vec3_at(b, "max", hi);
    const double e = number_at(b, "restitution");
    m.walls = true;
    // Walls are float32 values, like the state (docs/physics.md).
    for (int k = 0; k < 3; k++) m.axis_walls[k] = AxisWalls{(double)(float)lo[k], (double)(float)hi[k], -e, e == 1.0};
  }
  Napi::Array potentials = o.Get("potentials").As<Napi::Array>();
  for (uint32_t i = 0; i < potentials.Length(); i++) {
    Napi::Object p = potentials.Get(i).As<Napi::Object>();
    PotentialRule rule{};
    rule.pairwise = p.Get("kind").ToString().Utf8Value() == "pairwise";
    if (rule.pairwise) {
      rule.G = number_at(p, "G");
      rule.eps2 = number_at(p, "eps2");
    } else {
      vec3_at(p, "g", rule.g);
    }
    plan.potentials.push_back(rule);
  }
  return plan;
}

}  // namespace brokenrecord
