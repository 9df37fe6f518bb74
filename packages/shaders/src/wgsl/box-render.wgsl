// Instanced boxes lit by one directional light with a shadow map, a sky/ground ambient term and
// cheap contact darkening: the viewer's renderer (packages/sim-core/src/render/box-renderer.ts).
// Entry points: `vsShadow` (depth only, seen from the light) and `vsMain` + `fsMain` (colour).
// Draw 36 vertices per instance with no vertex buffer: the corners come from the vertex index,
// the box from `boxes[instance_index]`. Colours are sRGB in, sRGB out (gamma 2.2 both ways, so
// a white light scales a colour without changing its hue); the target is a non-sRGB format.
// #requires quat
// #struct RenderFrame
// #struct BoxInstance

// BoxInstance.flags bits (BOX_FLAGS in render-layouts.ts).
const BOX_GROUND: u32 = 1u;
const BOX_NO_SHADOW: u32 = 2u;
const GAMMA: f32 = 2.2;

@group(0) @binding(0) var<uniform> frame: RenderFrame;
@group(0) @binding(1) var<storage, read> boxes: array<BoxInstance>;
@group(1) @binding(0) var shadowMap: texture_depth_2d;
@group(1) @binding(1) var shadowSampler: sampler_comparison;

// One corner of a box in its own frame: position, outward face normal, position on the face
// (metres along the face's two tangents) and the face's half sizes along them.
struct BoxCorner {
  local: vec3f,
  normal: vec3f,
  faceCoord: vec2f,
  faceHalf: vec2f,
}

// Corner `vertex` (0..35) of a box of half extents `half`: face = vertex / 6 (+x, -x, +y, -y,
// +z, -z), two triangles per face, counter-clockwise seen from outside.
fn boxCorner(vertex: u32, half: vec3f) -> BoxCorner {
  var faceUv = array<vec2f, 6>(vec2f(-1.0, -1.0), vec2f(1.0, -1.0), vec2f(1.0, 1.0), vec2f(-1.0, -1.0), vec2f(1.0, 1.0), vec2f(-1.0, 1.0));
  let face = vertex / 6u;
  let axis = face / 2u;
  let positive = (face & 1u) == 0u;
  var uv = faceUv[vertex % 6u];
  // A mirrored face keeps the winding counter-clockwise as seen from its outside.
  if (!positive) {
    uv = uv.yx;
  }
  var n = vec3f(0.0);
  n[axis] = select(-1.0, 1.0, positive);
  var t1 = vec3f(0.0);
  t1[(axis + 1u) % 3u] = 1.0;
  var t2 = vec3f(0.0);
  t2[(axis + 2u) % 3u] = 1.0;
  let faceHalf = vec2f(dot(t1, half), dot(t2, half));
  let local = (n + uv.x * t1 + uv.y * t2) * half;
  return BoxCorner(local, n, uv * faceHalf, faceHalf);
}

fn viewProj() -> mat4x4f {
  return mat4x4f(frame.viewProj[0], frame.viewProj[1], frame.viewProj[2], frame.viewProj[3]);
}

fn lightViewProj() -> mat4x4f {
  return mat4x4f(frame.lightViewProj[0], frame.lightViewProj[1], frame.lightViewProj[2], frame.lightViewProj[3]);
}

@vertex
fn vsShadow(@builtin(vertex_index) vertex: u32, @builtin(instance_index) instance: u32) -> @builtin(position) vec4f {
  let box = boxes[instance];
  if ((box.flags & BOX_NO_SHADOW) != 0u) {
    return vec4f(0.0, 0.0, 2.0, 1.0); // beyond the far plane: clipped
  }
  let corner = boxCorner(vertex, box.halfExtents);
  return lightViewProj() * vec4f(box.center + quatRotate(box.rotation, corner.local), 1.0);
}

struct ColorVertex {
  @builtin(position) clip: vec4f,
  @location(0) world: vec3f,
  @location(1) normal: vec3f,
  // Linear RGB.
  @location(2) color: vec3f,
  @location(3) faceCoord: vec2f,
  @location(4) @interpolate(flat) faceHalf: vec2f,
  @location(5) @interpolate(flat) flags: u32,
}

@vertex
fn vsMain(@builtin(vertex_index) vertex: u32, @builtin(instance_index) instance: u32) -> ColorVertex {
  let box = boxes[instance];
  let corner = boxCorner(vertex, box.halfExtents);
  let world = box.center + quatRotate(box.rotation, corner.local);
  var out: ColorVertex;
  out.clip = viewProj() * vec4f(world, 1.0);
  out.world = world;
  out.normal = quatRotate(box.rotation, corner.normal);
  out.color = pow(clamp(box.color.rgb, vec3f(0.0), vec3f(1.0)), vec3f(GAMMA));
  out.faceCoord = corner.faceCoord;
  out.faceHalf = corner.faceHalf;
  out.flags = box.flags;
  return out;
}

// Fraction of sunlight reaching `world` (1 = lit): 3×3 comparison taps, each bilinearly
// filtered by the comparison sampler. Points outside the light's frustum are lit.
fn sunVisibility(world: vec3f) -> f32 {
  let p = lightViewProj() * vec4f(world, 1.0);
  let ndc = p.xyz / p.w;
  let uv = vec2f(ndc.x * 0.5 + 0.5, 0.5 - ndc.y * 0.5);
  let texel = 1.0 / vec2f(textureDimensions(shadowMap));
  var lit = 0.0;
  for (var y = -1; y <= 1; y++) {
    for (var x = -1; x <= 1; x++) {
      lit += textureSampleCompareLevel(shadowMap, shadowSampler, uv + vec2f(f32(x), f32(y)) * texel, ndc.z);
    }
  }
  let inside = all(uv >= vec2f(0.0)) && all(uv <= vec2f(1.0)) && ndc.z <= 1.0;
  return select(1.0, lit / 9.0, inside);
}

@fragment
fn fsMain(v: ColorVertex) -> @location(0) vec4f {
  let n = normalize(v.normal);
  let ground = (v.flags & BOX_GROUND) != 0u;
  // Derivatives first, in uniform control flow.
  let gridCoord = v.world.xy / frame.gridSpacing;
  let gridWidth = max(fwidth(gridCoord), vec2f(1e-6));
  let faceWidth = max(fwidth(v.faceCoord), vec2f(1e-6));

  // Normal offset by a texel and a half: no self-shadowing acne on lit faces.
  let sun = max(dot(n, -frame.lightDir), 0.0) * sunVisibility(v.world + n * frame.shadowTexel * 1.5);
  let ambient = mix(frame.ambientGround, frame.ambientSky, n.z * 0.5 + 0.5);
  // Contact darkening ("ambient occlusion lite"): faces darken within 2.5 cm of the table top.
  let contact = select(mix(0.55, 1.0, smoothstep(0.0, 0.025, v.world.z)), 1.0, ground);

  // One-pixel lines: box edges, and the grid on the top face of ground boxes.
  let toEdge = (v.faceHalf - abs(v.faceCoord)) / faceWidth;
  let edge = 1.0 - clamp(min(toEdge.x, toEdge.y) - 0.5, 0.0, 1.0);
  let toLine = abs(fract(gridCoord + 0.5) - 0.5) / gridWidth;
  let line = 1.0 - clamp(min(toLine.x, toLine.y) - 0.5, 0.0, 1.0);
  let gridLine = select(0.0, line, ground && n.z > 0.5);

  let shade = (ambient * contact + frame.sunIntensity * sun) * (1.0 - frame.edgeDarkening * edge) * (1.0 - 0.15 * gridLine);
  let rgb = clamp(v.color * shade, vec3f(0.0), vec3f(1.0));
  return vec4f(pow(rgb, vec3f(1.0 / GAMMA)), 1.0);
}
