/**
 * Instanced quads, one per particle, six vertices each, positioned from the simulation's own
 * storage buffers: the vertex shader reads x, y (column layout, see the backend's RenderSource)
 * and mass, radius by instance index, so no vertex buffer or readback is needed.
 */
export const UNIFORM_BYTES = 48;

export const PARTICLE_SPRITES_WGSL = /* wgsl */ `
struct View {
  center: vec2f,       // world point at the canvas centre
  ndcPerPixel: vec2f,  // 2 / canvas size
  pixelsPerUnit: f32,
  heavyMass: f32,
  minDot: f32,         // pixels
  xOffset: u32,        // column starts, in floats
  yOffset: u32,
  massOffset: u32,
  radiusOffset: u32,
}

@group(0) @binding(0) var<uniform> view: View;
@group(0) @binding(1) var<storage, read> positions: array<f32>;
@group(0) @binding(2) var<storage, read> properties: array<f32>;

struct Sprite {
  @builtin(position) position: vec4f,
  @location(0) local: vec2f,
  @location(1) color: vec3f,
}

@vertex
fn vs(@builtin(vertex_index) vertex: u32, @builtin(instance_index) i: u32) -> Sprite {
  var corners = array<vec2f, 6>(vec2f(-1, -1), vec2f(1, -1), vec2f(-1, 1), vec2f(-1, 1), vec2f(1, -1), vec2f(1, 1));
  let corner = corners[vertex];
  let world = vec2f(positions[view.xOffset + i], positions[view.yOffset + i]);
  let heavy = properties[view.massOffset + i] >= view.heavyMass;
  // The particle's true size, but never smaller than a visible dot (bigger for heavy bodies).
  let dot = select(view.minDot, 2.0 * view.minDot, heavy);
  let radius = max(dot, properties[view.radiusOffset + i] * view.pixelsPerUnit);
  let pixels = (world - view.center) * view.pixelsPerUnit + corner * radius;
  var out: Sprite;
  out.position = vec4f(pixels * view.ndcPerPixel, 0.0, 1.0);
  out.local = corner;
  out.color = select(vec3f(0.561, 0.827, 1.0), vec3f(1.0, 0.8, 0.333), heavy);
  return out;
}

@fragment
fn fs(sprite: Sprite) -> @location(0) vec4f {
  if (dot(sprite.local, sprite.local) > 1.0) {
    discard;
  }
  return vec4f(sprite.color, 1.0);
}
`;
