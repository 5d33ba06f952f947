// Reads the kernel plan object built by core's compileKernelPlan into PlanTerms:
// { integrator, dt, gravity[3], drag, pairwise: [{G, eps2, method, theta}], collisions: restitution | null,
//   contacts: {model: 'hooke' | 'hertz', stiffness, dampingRate, dampingRatio} | null,
//   bounds: {min, max, restitution} | null,
//   potentials: [{kind: 'uniform', g} | {kind: 'pairwise', G, eps2, method, theta}] }
// One reader for every addon, so a plan field means the same thing to all of them.
#ifndef BROKENRECORD_PLAN_FROM_JS_H
#define BROKENRECORD_PLAN_FROM_JS_H

#include <napi.h>
#include <string>
#include "plan_terms.h"

namespace brokenrecord {

namespace plan_js {

inline double number_at(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string("plan.") + key + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

inline void vec3_at(const Napi::Object& o, const char* key, double out[3]) {
  Napi::Value v = o.Get(key);
  if (!v.IsArray() || v.As<Napi::Array>().Length() != 3) {
    throw Napi::TypeError::New(o.Env(), std::string("plan.") + key + " must be [x, y, z]");
  }
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t k = 0; k < 3; k++) out[k] = a.Get(k).As<Napi::Number>().DoubleValue();
}

/** pairwiseGravity's method: 'direct' | 'tree' | 'auto' (validated by core; anything else is a TypeError). */
inline GravityMethod gravity_method_at(const Napi::Object& o) {
  const std::string m = o.Get("method").ToString().Utf8Value();
  if (m == "direct") return GravityMethod::kDirect;
  if (m == "tree") return GravityMethod::kTree;
  if (m == "auto") return GravityMethod::kAuto;
  throw Napi::TypeError::New(o.Env(), "plan.method must be 'direct', 'tree' or 'auto'");
}

}  // namespace plan_js

inline PlanTerms plan_terms_from_js(const Napi::Object& o) {
  using plan_js::gravity_method_at;
  using plan_js::number_at;
  using plan_js::vec3_at;
  PlanTerms plan;
  plan.verlet = o.Get("integrator").ToString().Utf8Value() == "verlet";
  const double dt = number_at(o, "dt");
  plan.dt = (float)dt;
  plan.half = (float)(dt * 0.5);
  double g[3];
  vec3_at(o, "gravity", g);
  for (int k = 0; k < 3; k++) plan.g[k] = (float)g[k];
  plan.k = (float)number_at(o, "drag");
  Napi::Array pairwise = o.Get("pairwise").As<Napi::Array>();
  for (uint32_t i = 0; i < pairwise.Length(); i++) {
    Napi::Object t = pairwise.Get(i).As<Napi::Object>();
    plan.pairwise.push_back(
        PairwiseTerm{number_at(t, "G"), (float)number_at(t, "eps2"), gravity_method_at(t), number_at(t, "theta")});
  }
  Napi::Value collisions = o.Get("collisions");
  if (collisions.IsNumber()) {
    plan.collisions = true;
    plan.bounce = 1.0 + collisions.As<Napi::Number>().DoubleValue();
  }
  Napi::Value contacts = o.Get("contacts");
  if (contacts.IsObject()) {
    Napi::Object t = contacts.As<Napi::Object>();
    plan.contacts = true;
    plan.contact_law.hertz = t.Get("model").ToString().Utf8Value() == "hertz";
    plan.contact_law.k = number_at(t, "stiffness");
    plan.contact_law.gamma = number_at(t, "dampingRate");
    plan.contact_law.beta = number_at(t, "dampingRatio");
  }
  Napi::Value bounds = o.Get("bounds");
  if (bounds.IsObject()) {
    Napi::Object b = bounds.As<Napi::Object>();
    double lo[3], hi[3];
    vec3_at(b, "min", lo);
    vec3_at(b, "max", hi);
    const double e = number_at(b, "restitution");
    plan.walls = true;
    // Walls are float32 like the state, so every backend finds the same wall positions.
    for (int k = 0; k < 3; k++)
      plan.axis_walls[k] = AxisWalls{(double)(float)lo[k], (double)(float)hi[k], -e, e == 1.0};
  }
  Napi::Array potentials = o.Get("potentials").As<Napi::Array>();
  for (uint32_t i = 0; i < potentials.Length(); i++) {
    Napi::Object p = potentials.Get(i).As<Napi::Object>();
    PotentialRule rule{};
    rule.pairwise = p.Get("kind").ToString().Utf8Value() == "pairwise";
    if (rule.pairwise) {
      rule.G = number_at(p, "G");
      rule.eps2 = number_at(p, "eps2");
      rule.method = gravity_method_at(p);
      rule.theta = number_at(p, "theta");
    } else {
      vec3_at(p, "g", rule.g);
    }
    plan.potentials.push_back(rule);
  }
  return plan;
}

}  // namespace brokenrecord

#endif
