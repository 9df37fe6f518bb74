// GENERATED from src/wgsl/*.wgsl by scripts/embed-wgsl.ts — do not edit.
// After changing a .wgsl file run: npm run gen -w @gripgen/shaders
import type { WgslSourceEntry } from '../wgsl-source-entry.js';

/** The raw text and directives of every .wgsl file in src/wgsl, by file name. */
export const WGSL_SOURCES = {
  'box-render': {
    file: 'box-render.wgsl',
    requires: ["quat"],
    structs: ["RenderFrame","BoxInstance"],
    fragment: false,
    source: `// Instanced boxes lit by one directional light with a shadow map, a sky/ground ambient term and
// cheap contact darkening: the viewer's renderer (packages/sim-core/src/render/box-renderer.ts).
// Entry points: \`vsShadow\` (depth only, seen from the light) and \`vsMain\` + \`fsMain\` (colour).
// Draw 36 vertices per instance with no vertex buffer: the corners come from the vertex index,
// the box from \`boxes[instance_index]\`. Colours are sRGB in, sRGB out (gamma 2.2 both ways, so
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

// Corner \`vertex\` (0..35) of a box of half extents \`half\`: face = vertex / 6 (+x, -x, +y, -y,
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

// Fraction of sunlight reaching \`world\` (1 = lit): 3×3 comparison taps, each bilinearly
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
`,
  },
  'collide-box-face': {
    file: 'collide-box-face.wgsl',
    requires: ["collide"],
    structs: [],
    fragment: false,
    source: `// A fast path of box–box contact for a box resting on the top face of a larger box: the WGSL
// twin of packages/sim-core/src/backends/webgpu/reference/collide-box-face.ts (read its header).
// Results go to the private \`manifold\` of collide.wgsl.
// #requires collide

// Contacts of box \`top\` on the +z face of box \`base\` within \`margin\`, the normal from \`base\` to
// \`top\`; -1 when the fast path does not apply (use collideBoxes).
fn collideBoxOnFace(base: Box, top: Box, margin: f32) -> i32 {
  let rt = transpose(base.r);
  let c = rt * (top.c - base.c);
  let extent = top.h.x * abs(rt * top.r[0]) + top.h.y * abs(rt * top.r[1]) + top.h.z * abs(rt * top.r[2]);
  if (abs(c.x) + extent.x > base.h.x || abs(c.y) + extent.y > base.h.y || c.z - extent.z < 0.0) {
    return -1;
  }
  let n = base.r[2];
  manifold.n = n;
  var count = 0u;
  for (var k = 0u; k < 8u; k++) {
    let sx = select(-1.0, 1.0, (k & 1u) != 0u);
    let sy = select(-1.0, 1.0, (k & 2u) != 0u);
    let sz = select(-1.0, 1.0, (k & 4u) != 0u);
    let corner = top.c + sx * top.h.x * top.r[0] + sy * top.h.y * top.r[1] + sz * top.h.z * top.r[2];
    let z = dot(corner - base.c, n) - base.h.z;
    if (z > margin) {
      continue;
    }
    manifold.p[count] = corner - 0.5 * z * n;
    manifold.d[count] = z;
    count++;
  }
  manifold.count = reduceManifold(count);
  return i32(manifold.count);
}
`,
  },
  'collide-cylinder': {
    file: 'collide-cylinder.wgsl',
    requires: ["collide"],
    structs: [],
    fragment: false,
    source: `// Contact generation for solid cylinders against oriented boxes and against each other: the WGSL
// twin of packages/sim-core/src/backends/webgpu/reference/collide-cylinder.ts (read its header
// for the algorithm: separating-axis search with the exact projected radii over closed-form
// candidates, 1-D searches and Newton steps; then a face clip or line/point contacts). Results go
// to collide.wgsl's private \`manifold\` (normal from shape A to shape B, points midway between the
// surfaces, signed separations, at most 4 points); clipA/clipB are its clipping buffers. Its own
// private memory is about 0.5 KB (the pair, the search state, 8 side planes).
// Library module: \`// #requires collide-cylinder\`.
// #requires collide

struct Cylinder {
  c: vec3f,
  // Column 2 is the axis in world coordinates (columns 0 and 1 span the caps).
  r: mat3x3f,
  radius: f32,
  halfHeight: f32,
}

// Thresholds and search sizes: see collide-cylinder.ts.
const CYL_FACE_ALIGN: f32 = 0.9999;
const CYL_FACE_TIE: f32 = 1e-5;
const CYL_CAP_INCIDENT: f32 = 0.70710678;
const CYL_SIDE_SIN: f32 = 1e-3;
const CYL_PARALLEL_SIN: f32 = 0.02;
const CYL_SEARCH_SAMPLES: u32 = 24u;
const CYL_SEARCH_STEPS: u32 = 20u;
const CYL_NEWTON_STEPS: u32 = 8u;
const CYL_CAP_POINTS: u32 = 8u;
const CYL_GOLDEN: f32 = 0.618034;
const CYL_PI: f32 = 3.14159265;

// The pair: shape A is cylBox (kind 0) or cylA (kind 1); shape B is cylB; cylT = B's centre − A's.
var<private> cylKind: u32;
var<private> cylBox: Box;
var<private> cylA: Cylinder;
var<private> cylB: Cylinder;
var<private> cylT: vec3f;
var<private> cylBest: vec3f;
var<private> cylBestSep: f32;
// 1-D search: mode 0 over axes cos φ·U + sin φ·V, mode 1 over rim points base + cos φ·U + sin φ·V.
var<private> cylSearchMode: u32;
var<private> cylSearchBase: vec3f;
var<private> cylSearchU: vec3f;
var<private> cylSearchV: vec3f;
// The axis of the last search evaluation.
var<private> cylLastDir: vec3f;
// Reference side planes: keep p·xyz ≤ w.
var<private> cylPlanes: array<vec4f, 8>;

struct CylFeature {
  p0: vec3f,
  p1: vec3f,
  // A line p0–p1 (else the point p0).
  line: bool,
}

fn cylAxisOf(cy: Cylinder) -> vec3f {
  return cy.r[2];
}

fn cylProjectedRadius(cy: Cylinder, l: vec3f) -> f32 {
  return cy.halfHeight * abs(dot(cy.r[2], l)) + cy.radius * length(cross(cy.r[2], l));
}

fn cylPairSep(l: vec3f) -> f32 {
  var ra: f32;
  if (cylKind == 0u) {
    ra = projectedRadius(cylBox, l);
  } else {
    ra = cylProjectedRadius(cylA, l);
  }
  return abs(dot(cylT, l)) - ra - cylProjectedRadius(cylB, l);
}

fn cylConsider(x: vec3f, minLen: f32) {
  let len = length(x);
  if (len < minLen) {
    return;
  }
  let l = x / len;
  let s = cylPairSep(l);
  if (s > cylBestSep) {
    cylBestSep = s;
    cylBest = l;
  }
}

// Gap along x if it beats \`current\` (the axis goes to cylLastDir); returns the larger gap.
fn cylTryPointAxis(x: vec3f, current: f32) -> f32 {
  let len = length(x);
  if (len < 1e-9) {
    return current;
  }
  let l = x / len;
  let s = cylPairSep(l);
  if (s <= current) {
    return current;
  }
  cylLastDir = l;
  return s;
}

// Best gap over the axes from point \`pt\` to cylinder \`cy\`'s side and to its rims (nearest and
// farthest rim point); the axis goes to cylLastDir.
fn cylPointSep(pt: vec3f, cy: Cylinder) -> f32 {
  let a = cy.r[2];
  let rel = pt - cy.c;
  let ra = dot(rel, a);
  let perp = rel - ra * a;
  let pl = length(perp);
  var s = cylTryPointAxis(perp, -1e30);
  if (pl < 1e-9) {
    return s;
  }
  for (var side = -1.0; side <= 1.0; side += 2.0) {
    let h = side * cy.halfHeight;
    for (var far = 0u; far < 2u; far++) {
      var k = cy.radius / pl;
      if (far == 1u) {
        k = -k;
      }
      s = cylTryPointAxis(rel - h * a - k * perp, s);
    }
  }
  return s;
}

fn cylSearchAt(phi: f32) -> f32 {
  let cs = cos(phi);
  let sn = sin(phi);
  if (cylSearchMode == 0u) {
    cylLastDir = cs * cylSearchU + sn * cylSearchV;
    return cylPairSep(cylLastDir);
  }
  return cylPointSep(cylSearchBase + cs * cylSearchU + sn * cylSearchV, cylB);
}

// The 1-D search over φ in [0, range): samples, then golden section around the best.
fn cylSearch(range: f32) {
  let stepPhi = range / f32(CYL_SEARCH_SAMPLES);
  var bestPhi = 0.0;
  var bestVal = -1e30;
  for (var i = 0u; i < CYL_SEARCH_SAMPLES; i++) {
    let s = cylSearchAt(f32(i) * stepPhi);
    if (s > bestVal) {
      bestVal = s;
      bestPhi = f32(i) * stepPhi;
    }
  }
  var lo = bestPhi - stepPhi;
  var hi = bestPhi + stepPhi;
  var x1 = hi - CYL_GOLDEN * (hi - lo);
  var x2 = lo + CYL_GOLDEN * (hi - lo);
  var f1 = cylSearchAt(x1);
  var f2 = cylSearchAt(x2);
  for (var k = 0u; k < CYL_SEARCH_STEPS; k++) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + CYL_GOLDEN * (hi - lo);
      f2 = cylSearchAt(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - CYL_GOLDEN * (hi - lo);
      f1 = cylSearchAt(x1);
    }
  }
  cylSearchAt(select(x1, x2, f1 < f2));
  cylConsider(cylLastDir, 0.5);
}

fn cylCircleSearch(x: vec3f, y: vec3f) {
  cylSearchMode = 0u;
  cylSearchU = x;
  cylSearchV = y;
  cylSearch(CYL_PI);
}

// Candidate axes of a box (A) and a cylinder (B); true when more than \`margin\` apart.
fn cylBoxAxes(box: Box, cy: Cylinder, margin: f32) -> bool {
  let a = cy.r[2];
  cylConsider(a, 0.5);
  for (var i = 0u; i < 3u; i++) {
    cylConsider(box.r[i], 0.5);
    cylConsider(cross(a, box.r[i]), 1e-6);
  }
  for (var k = 0u; k < 8u; k++) {
    let sx = select(-1.0, 1.0, (k & 1u) != 0u);
    let sy = select(-1.0, 1.0, (k & 2u) != 0u);
    let sz = select(-1.0, 1.0, (k & 4u) != 0u);
    let corner = box.c + sx * box.h.x * box.r[0] + sy * box.h.y * box.r[1] + sz * box.h.z * box.r[2];
    if (cylPointSep(corner, cy) > cylBestSep) {
      cylConsider(cylLastDir, 0.5);
    }
  }
  if (cylBestSep > margin) {
    return true;
  }
  for (var j = 0u; j < 3u; j++) {
    cylCircleSearch(box.r[(j + 1u) % 3u], box.r[(j + 2u) % 3u]);
  }
  return cylBestSep > margin;
}

// Candidate axes of two cylinders; true when more than \`margin\` apart.
fn cylCylAxes(a: Cylinder, b: Cylinder, margin: f32) -> bool {
  let aa = a.r[2];
  let ab = b.r[2];
  cylConsider(aa, 0.5);
  cylConsider(ab, 0.5);
  cylConsider(cross(aa, ab), 1e-6);
  cylConsider(cylT - dot(cylT, aa) * aa, 1e-9);
  cylConsider(cylT - dot(cylT, ab) * ab, 1e-9);
  if (cylBestSep > margin) {
    return true;
  }
  cylCircleSearch(a.r[0], a.r[1]);
  cylCircleSearch(b.r[0], b.r[1]);
  cylSearchMode = 1u;
  for (var side = -1.0; side <= 1.0; side += 2.0) {
    cylSearchBase = a.c + side * a.halfHeight * aa;
    cylSearchU = a.radius * a.r[0];
    cylSearchV = a.radius * a.r[1];
    cylSearch(2.0 * CYL_PI);
  }
  cylNewton(a, b);
  return cylBestSep > margin;
}

// Support point of the centred cylinder in unit direction l.
fn cylSupportOffset(cy: Cylinder, l: vec3f) -> vec3f {
  let a = cy.r[2];
  let al = dot(a, l);
  let wl = length(cross(a, l));
  var kr = 0.0;
  if (wl > 1e-6) {
    kr = cy.radius / wl;
  }
  return select(-cy.halfHeight, cy.halfHeight, al >= 0.0) * a + kr * (l - al * a);
}

// x · (Hessian of cy's support function at unit l) · y.
fn cylSupportHessian(cy: Cylinder, l: vec3f, x: vec3f, y: vec3f) -> f32 {
  let a = cy.r[2];
  let al = dot(a, l);
  let wl = length(cross(a, l));
  if (wl < 1e-6) {
    return 0.0;
  }
  let xa = dot(x, a);
  let ya = dot(y, a);
  let xw = (dot(x, l) - al * xa) / wl;
  let yw = (dot(y, l) - al * ya) / wl;
  return (cy.radius / wl) * (dot(x, y) - xa * ya - xw * yw);
}

// Newton steps on the sphere for the gap of two cylinders, each kept only if it gains.
fn cylNewton(a: Cylinder, b: Cylinder) {
  if (dot(cylT, cylBest) < 0.0) {
    cylBest = -cylBest;
  }
  for (var it = 0u; it < CYL_NEWTON_STEPS; it++) {
    let l = cylBest;
    let g = cylT - cylSupportOffset(a, l) - cylSupportOffset(b, l);
    var e1 = vec3f(l.z, 0.0, -l.x);
    if (abs(l.x) < 0.6) {
      e1 = vec3f(0.0, -l.z, l.y);
    }
    let t1 = normalize(e1);
    let t2 = cross(l, t1);
    let g1 = dot(g, t1);
    let g2 = dot(g, t2);
    let h11 = -cylSupportHessian(a, l, t1, t1) - cylSupportHessian(b, l, t1, t1) - cylBestSep;
    let h12 = -cylSupportHessian(a, l, t1, t2) - cylSupportHessian(b, l, t1, t2);
    let h22 = -cylSupportHessian(a, l, t2, t2) - cylSupportHessian(b, l, t2, t2) - cylBestSep;
    let det = h11 * h22 - h12 * h12;
    var d1: f32;
    var d2: f32;
    if (h11 < 0.0 && det > 1e-12 * (h11 * h11 + h22 * h22)) {
      d1 = -(h22 * g1 - h12 * g2) / det;
      d2 = -(h11 * g2 - h12 * g1) / det;
    } else {
      let k = 1.0 / (abs(h11) + abs(h22) + abs(h12) + 1e-9);
      d1 = k * g1;
      d2 = k * g2;
    }
    let dl = sqrt(d1 * d1 + d2 * d2);
    if (dl > 0.2) {
      d1 *= 0.2 / dl;
      d2 *= 0.2 / dl;
    }
    let before = cylBestSep;
    cylConsider(l + d1 * t1 + d2 * t2, 0.5);
    if (cylBestSep <= before) {
      cylConsider(l + 0.25 * (d1 * t1 + d2 * t2), 0.5);
    }
  }
}

// Normal search; writes manifold.n (from A to B); false when farther than \`margin\`.
fn cylFindNormal(margin: f32) -> bool {
  cylBestSep = -1e30;
  cylBest = vec3f(0.0, 0.0, 1.0);
  var apart: bool;
  if (cylKind == 0u) {
    apart = cylBoxAxes(cylBox, cylB, margin);
  } else {
    apart = cylCylAxes(cylA, cylB, margin);
  }
  if (apart) {
    return false;
  }
  if (dot(cylT, cylBest) < 0.0) {
    cylBest = -cylBest;
  }
  manifold.n = cylBest;
  return true;
}

// Contacts between box \`box\` (A) and cylinder \`cyl\` (B) within \`margin\`; normal from the box.
fn collideBoxCylinder(box: Box, cyl: Cylinder, margin: f32) -> u32 {
  cylKind = 0u;
  cylBox = box;
  return cylCollidePair(box.c, cyl, margin);
}

// Contacts between cylinder \`cyl\` (A) and box \`box\` (B) within \`margin\`; normal from the cylinder.
fn collideCylinderBox(cyl: Cylinder, box: Box, margin: f32) -> u32 {
  let count = collideBoxCylinder(box, cyl, margin);
  manifold.n = -manifold.n;
  return count;
}

// Contacts between cylinders a and b within \`margin\`; normal from a to b.
fn collideCylinders(a: Cylinder, b: Cylinder, margin: f32) -> u32 {
  cylKind = 1u;
  cylA = a;
  return cylCollidePair(a.c, b, margin);
}

// Contacts between shape A (set up by the caller, centred at centreA) and cylinder b (shape B).
fn cylCollidePair(centreA: vec3f, b: Cylinder, margin: f32) -> u32 {
  manifold.count = 0u;
  cylB = b;
  cylT = b.c - centreA;
  if (!cylFindNormal(margin)) {
    return 0u;
  }
  return cylBuildManifold(margin);
}

fn cylBuildManifold(margin: f32) -> u32 {
  let n = manifold.n;
  var alignA = 0.0;
  var boxK = 0u;
  if (cylKind == 0u) {
    for (var k = 0u; k < 3u; k++) {
      let d = abs(dot(cylBox.r[k], n));
      if (d > alignA) {
        alignA = d;
        boxK = k;
      }
    }
  } else {
    alignA = abs(dot(cylA.r[2], n));
  }
  let alignB = abs(dot(cylB.r[2], n));
  let refIsA = alignA >= alignB - CYL_FACE_TIE;
  if (select(alignB, alignA, refIsA) >= CYL_FACE_ALIGN) {
    return cylFaceManifold(refIsA, boxK, margin);
  }
  return cylFeatureManifold(margin);
}

// Face contact: the reference face (box face boxK of A, or the cap of cylinder A when refIsA,
// else of B) clips the other shape's incident feature.
fn cylFaceManifold(refIsA: bool, boxK: u32, margin: f32) -> u32 {
  let sign = select(-1.0, 1.0, refIsA);
  var refN: vec3f;
  var refPlane: f32;
  var numPlanes: u32;
  if (refIsA && cylKind == 0u) {
    let e = cylBox.r[boxK];
    refN = select(-e, e, dot(e, manifold.n) > 0.0);
    refPlane = dot(cylBox.c, refN) + cylBox.h[boxK];
    for (var k = 1u; k <= 2u; k++) {
      let side = (boxK + k) % 3u;
      let u = cylBox.r[side];
      let cu = dot(cylBox.c, u);
      cylPlanes[2u * k - 2u] = vec4f(u, cu + cylBox.h[side]);
      cylPlanes[2u * k - 1u] = vec4f(-u, -cu + cylBox.h[side]);
    }
    numPlanes = 4u;
  } else {
    var cy = cylB;
    if (refIsA) {
      cy = cylA;
    }
    let e = cy.r[2];
    refN = select(-e, e, sign * dot(e, manifold.n) > 0.0);
    refPlane = dot(cy.c, refN) + cy.halfHeight;
    let inner = cy.radius * cos(CYL_PI / f32(CYL_CAP_POINTS));
    for (var i = 0u; i < CYL_CAP_POINTS; i++) {
      let th = (f32(i) + 0.5) * 2.0 * CYL_PI / f32(CYL_CAP_POINTS);
      let m = cos(th) * cy.r[0] + sin(th) * cy.r[1];
      cylPlanes[i] = vec4f(m, dot(m, cy.c) + inner);
    }
    numPlanes = CYL_CAP_POINTS;
  }
  manifold.n = sign * refN;
  var m = 4u;
  if (refIsA) {
    m = cylIncidentFeature(cylB, refN);
  } else if (cylKind == 0u) {
    incidentFace(cylBox, refN);
  } else {
    m = cylIncidentFeature(cylA, refN);
  }
  var kept: u32;
  if (m == 2u) {
    kept = cylClipSegment(numPlanes);
  } else {
    kept = m;
    for (var i = 0u; i < numPlanes && kept > 0u; i++) {
      kept = clipPolygon(kept, cylPlanes[i].xyz, 1.0, 0.0, cylPlanes[i].w);
    }
  }
  let count = planeContacts(kept, refN, refPlane, margin);
  if (count == 0u) {
    manifold.n = cylBest;
    return cylFeatureManifold(margin);
  }
  manifold.count = reduceManifold(count);
  return manifold.count;
}

// Clips segment clipA[0]–clipA[1] against the side planes; returns 0 or 2 (in clipA).
fn cylClipSegment(numPlanes: u32) -> u32 {
  var lo = 0.0;
  var hi = 1.0;
  for (var i = 0u; i < numPlanes; i++) {
    let d0 = dot(cylPlanes[i].xyz, clipA[0]) - cylPlanes[i].w;
    let d1 = dot(cylPlanes[i].xyz, clipA[1]) - cylPlanes[i].w;
    if (d0 > 0.0 && d1 > 0.0) {
      return 0u;
    }
    if (d0 > 0.0) {
      lo = max(lo, d0 / (d0 - d1));
    } else if (d1 > 0.0) {
      hi = min(hi, d0 / (d0 - d1));
    }
  }
  if (lo > hi) {
    return 0u;
  }
  let a0 = clipA[0];
  let d = clipA[1] - a0;
  clipA[0] = a0 + lo * d;
  clipA[1] = a0 + hi * d;
  return 2u;
}

// The feature of \`cy\` facing −refN, in clipA: its cap as rim points from the deepest (axis within
// 45° of refN), else its side line. Returns the count.
fn cylIncidentFeature(cy: Cylinder, refN: vec3f) -> u32 {
  let a = cy.r[2];
  let beta = dot(a, refN);
  var w = beta * a - refN;
  let wl = length(w);
  if (abs(beta) >= CYL_CAP_INCIDENT) {
    if (wl < 1e-3) {
      w = cy.r[0];
    } else {
      w = w / wl;
    }
    let w2 = cross(a, w);
    let cc = cy.c + select(cy.halfHeight, -cy.halfHeight, beta > 0.0) * a;
    for (var i = 0u; i < CYL_CAP_POINTS; i++) {
      let th = f32(i) * 2.0 * CYL_PI / f32(CYL_CAP_POINTS);
      clipA[i] = cc + cy.radius * cos(th) * w + cy.radius * sin(th) * w2;
    }
    return CYL_CAP_POINTS;
  }
  let rim = cy.c + (cy.radius / wl) * w;
  clipA[0] = rim + cy.halfHeight * a;
  clipA[1] = rim - cy.halfHeight * a;
  return 2u;
}

// Feature of cylinder \`cy\` in direction d: its side line when the axis is within CYL_SIDE_SIN of
// perpendicular, else its rim point.
fn cylFeature(cy: Cylinder, d: vec3f) -> CylFeature {
  let a = cy.r[2];
  let al = dot(a, d);
  let w = d - al * a;
  let wl = length(w);
  var k = 0.0;
  if (wl > 1e-9) {
    k = cy.radius / wl;
  }
  let rim = cy.c + k * w;
  var f: CylFeature;
  if (abs(al) < CYL_SIDE_SIN) {
    f.p0 = rim + cy.halfHeight * a;
    f.p1 = rim - cy.halfHeight * a;
    f.line = true;
    return f;
  }
  f.p0 = rim + select(-cy.halfHeight, cy.halfHeight, al > 0.0) * a;
  f.p1 = f.p0;
  f.line = false;
  return f;
}

// Feature of \`box\` in direction n: the edge along the axis within CYL_SIDE_SIN of perpendicular,
// else its corner.
fn cylBoxFeature(box: Box, n: vec3f) -> CylFeature {
  var j = 0u;
  var least = 1e30;
  for (var k = 0u; k < 3u; k++) {
    let d = abs(dot(box.r[k], n));
    if (d < least) {
      least = d;
      j = k;
    }
  }
  var p = box.c;
  for (var k = 0u; k < 3u; k++) {
    if (k == j && least < CYL_SIDE_SIN) {
      continue;
    }
    p += select(-box.h[k], box.h[k], dot(box.r[k], n) > 0.0) * box.r[k];
  }
  var f: CylFeature;
  f.line = least < CYL_SIDE_SIN;
  f.p0 = p;
  f.p1 = p;
  if (f.line) {
    f.p0 = p + box.h[j] * box.r[j];
    f.p1 = p - box.h[j] * box.r[j];
  }
  return f;
}

// Contacts from the features off the faces: box edge or corner, cylinder side line or rim point.
fn cylFeatureManifold(margin: f32) -> u32 {
  let n = manifold.n;
  var fa: CylFeature;
  if (cylKind == 0u) {
    fa = cylBoxFeature(cylBox, n);
  } else {
    fa = cylFeature(cylA, n);
  }
  let fb = cylFeature(cylB, -n);
  if (fa.line && fb.line) {
    manifold.count = cylSegmentContacts(fa, fb, n, margin);
    return manifold.count;
  }
  if (fa.line || (cylKind == 1u && abs(dot(cylA.r[2], n)) >= CYL_FACE_ALIGN)) {
    manifold.p[0] = fb.p0 - 0.5 * cylBestSep * n;
  } else {
    manifold.p[0] = fa.p0 + 0.5 * cylBestSep * n;
  }
  manifold.d[0] = cylBestSep;
  manifold.count = 1u;
  return 1u;
}

// Writes contact i between pa (on A) and pb (on B) when within \`margin\`; returns the new count.
fn cylPushPair(pa: vec3f, pb: vec3f, n: vec3f, margin: f32, i: u32) -> u32 {
  let sep = dot(pb - pa, n);
  if (sep > margin) {
    return i;
  }
  manifold.p[i] = 0.5 * (pa + pb);
  manifold.d[i] = sep;
  return i + 1u;
}

// Contacts between lines fa (A) and fb (B): the ends of their overlap when their projections
// across n are nearly parallel, else their closest points.
fn cylSegmentContacts(fa: CylFeature, fb: CylFeature, n: vec3f, margin: f32) -> u32 {
  let dA = fa.p1 - fa.p0;
  let dB = fb.p1 - fb.p0;
  let uA = dA - dot(dA, n) * n;
  let uB = dB - dot(dB, n) * n;
  let la = length(uA);
  let u = uA / la;
  let v = uB / length(uB);
  if (length(cross(u, v)) < CYL_PARALLEL_SIN) {
    let s0 = dot(fb.p0 - fa.p0, u);
    let s1 = s0 + dot(dB, u);
    let l0 = -s0 / (s1 - s0);
    let l1 = (la - s0) / (s1 - s0);
    let lo = max(0.0, min(l0, l1));
    let hi = min(1.0, max(l0, l1));
    if (lo <= hi) {
      var count = 0u;
      for (var k = 0u; k < 2u; k++) {
        let lam = select(lo, hi, k == 1u);
        let pb = fb.p0 + lam * dB;
        let mu = clamp((s0 + lam * (s1 - s0)) / la, 0.0, 1.0);
        count = cylPushPair(fa.p0 + mu * dA, pb, n, margin, count);
      }
      return count;
    }
  }
  // Closest points of the two segments (Ericson, Real-Time Collision Detection 5.1.9).
  let a = dot(dA, dA);
  let eB = dot(dB, dB);
  let r = fa.p0 - fb.p0;
  let f = dot(dB, r);
  let c = dot(dA, r);
  let b = dot(dA, dB);
  let denom = a * eB - b * b;
  var s = 0.0;
  if (denom > 1e-12 * a * eB) {
    s = clamp((b * f - c * eB) / denom, 0.0, 1.0);
  }
  var tt = (b * s + f) / eB;
  if (tt < 0.0) {
    tt = 0.0;
    s = clamp(-c / a, 0.0, 1.0);
  } else if (tt > 1.0) {
    tt = 1.0;
    s = clamp((b - c) / a, 0.0, 1.0);
  }
  return cylPushPair(fa.p0 + s * dA, fb.p0 + tt * dB, n, margin, 0u);
}
`,
  },
  'collide': {
    file: 'collide.wgsl',
    requires: [],
    structs: [],
    fragment: false,
    source: `// Contact generation for oriented boxes: the WGSL twin of
// packages/sim-core/src/backends/webgpu/reference/collide.ts (read its header for the
// algorithm: parry-style SAT over 15 axes, incident-face clipping, edge–edge closest
// points, box–plane corners, reduction to 4 points). Results go to the private \`manifold\`.
// Library module: \`// #requires collide\`.

struct Box {
  c: vec3f,
  // Column i is local axis i in world coordinates.
  r: mat3x3f,
  h: vec3f,
}

// Normal from shape A to shape B; points are midpoints between the surfaces; d their
// signed separations (negative: penetration).
struct Manifold {
  n: vec3f,
  count: u32,
  p: array<vec3f, 8>,
  d: array<f32, 8>,
}

const MAX_MANIFOLD_POINTS: u32 = 4u;
// Points the manifold holds before it is reduced.
const MANIFOLD_SLOTS: u32 = 8u;
// An edge axis wins over the face axes only if it separates by EDGE_TOLERANCE plus
// EDGE_RELATIVE_TOLERANCE times the face separation's magnitude more (see collide.ts).
const EDGE_TOLERANCE: f32 = 1e-4;
const EDGE_RELATIVE_TOLERANCE: f32 = 0.05;

var<private> manifold: Manifold;
var<private> clipA: array<vec3f, 16>;
var<private> clipB: array<vec3f, 16>;

fn projectedRadius(b: Box, l: vec3f) -> f32 {
  return b.h.x * abs(dot(b.r[0], l)) + b.h.y * abs(dot(b.r[1], l)) + b.h.z * abs(dot(b.r[2], l));
}

// Contacts between boxes a and b within \`margin\`; returns the number of points.
fn collideBoxes(a: Box, b: Box, margin: f32) -> u32 {
  manifold.count = 0u;
  let t = b.c - a.c;
  var bestSep = -1e30;
  var bestKind = 0u;
  var bestI = 0u;
  var bestJ = 0u;
  var best = vec3f(0.0, 0.0, 1.0);
  for (var kind = 0u; kind < 2u; kind++) {
    for (var i = 0u; i < 3u; i++) {
      var l = a.r[i];
      if (kind == 1u) {
        l = b.r[i];
      }
      let sep = abs(dot(t, l)) - projectedRadius(a, l) - projectedRadius(b, l);
      if (sep > margin) {
        return 0u;
      }
      if (sep > bestSep) {
        bestSep = sep;
        bestKind = kind;
        bestI = i;
        best = l;
      }
    }
  }
  let faceSep = bestSep;
  for (var i = 0u; i < 3u; i++) {
    for (var j = 0u; j < 3u; j++) {
      let c = cross(a.r[i], b.r[j]);
      let len = length(c);
      if (len < 1e-6) {
        continue;
      }
      let l = c / len;
      let sep = abs(dot(t, l)) - projectedRadius(a, l) - projectedRadius(b, l);
      if (sep > margin) {
        return 0u;
      }
      if (sep > faceSep + EDGE_RELATIVE_TOLERANCE * abs(faceSep) + EDGE_TOLERANCE && sep > bestSep) {
        bestSep = sep;
        bestKind = 2u;
        bestI = i;
        bestJ = j;
        best = l;
      }
    }
  }
  if (dot(t, best) < 0.0) {
    best = -best;
  }
  manifold.n = best;
  if (bestKind == 2u) {
    return edgeContact(a, b, bestI, bestJ, margin);
  }
  if (bestKind == 0u) {
    return faceContact(a, b, bestI, 1.0, margin);
  }
  return faceContact(b, a, bestI, -1.0, margin);
}

// Keeps the part of polygon clipA (n points) with dir·(p·ax − centre) ≤ h; result in clipA.
fn clipPolygon(n: u32, ax: vec3f, dir: f32, centre: f32, h: f32) -> u32 {
  var m = 0u;
  for (var p = 0u; p < n; p++) {
    let q = (p + 1u) % n;
    let dp = dir * (dot(clipA[p], ax) - centre) - h;
    let dq = dir * (dot(clipA[q], ax) - centre) - h;
    if (dp <= 0.0) {
      clipB[m] = clipA[p];
      m++;
    }
    if ((dp <= 0.0) != (dq <= 0.0)) {
      let f = dp / (dp - dq);
      clipB[m] = clipA[p] + f * (clipA[q] - clipA[p]);
      m++;
    }
  }
  for (var k = 0u; k < m; k++) {
    clipA[k] = clipB[k];
  }
  return m;
}

// Writes the 4 corners of the face of incBox most anti-parallel to refN to clipA[0..3].
fn incidentFace(incBox: Box, refN: vec3f) {
  var k = 0u;
  var bestDot = 0.0;
  for (var j = 0u; j < 3u; j++) {
    let d = dot(incBox.r[j], refN);
    if (abs(d) > abs(bestDot)) {
      bestDot = d;
      k = j;
    }
  }
  var faceSign = 1.0;
  if (bestDot > 0.0) {
    faceSign = -1.0;
  }
  let k1 = (k + 1u) % 3u;
  let k2 = (k + 2u) % 3u;
  let fc = incBox.c + faceSign * incBox.h[k] * incBox.r[k];
  let u = incBox.r[k1] * incBox.h[k1];
  let v = incBox.r[k2] * incBox.h[k2];
  clipA[0] = fc + u + v;
  clipA[1] = fc - u + v;
  clipA[2] = fc - u - v;
  clipA[3] = fc + u - v;
}

// Face contact with reference box \`ref\` (face axis i) and incident box \`inc\`; sign = 1
// when \`ref\` is shape A of the manifold.
fn faceContact(refBox: Box, incBox: Box, i: u32, sign: f32, margin: f32) -> u32 {
  let refN = sign * manifold.n;
  incidentFace(incBox, refN);
  var n = 4u;
  for (var s = 1u; s <= 2u; s++) {
    let side = (i + s) % 3u;
    let ax = refBox.r[side];
    let centre = dot(refBox.c, ax);
    n = clipPolygon(n, ax, 1.0, centre, refBox.h[side]);
    if (n == 0u) {
      return 0u;
    }
    n = clipPolygon(n, ax, -1.0, centre, refBox.h[side]);
    if (n == 0u) {
      return 0u;
    }
  }
  let count = planeContacts(n, refN, dot(refBox.c, refN) + refBox.h[i], margin);
  manifold.count = reduceManifold(count);
  return manifold.count;
}

// Writes the points of clipA (n points) within \`margin\` above the plane p·refN = refPlane to the
// manifold (midpoint to the plane, height above it), reducing whenever its 8 slots fill; returns
// the number written (not reduced at the end).
fn planeContacts(n: u32, refN: vec3f, refPlane: f32, margin: f32) -> u32 {
  var count = 0u;
  for (var p = 0u; p < n; p++) {
    let sep = dot(clipA[p], refN) - refPlane;
    if (sep > margin) {
      continue;
    }
    manifold.p[count] = clipA[p] - 0.5 * sep * refN;
    manifold.d[count] = sep;
    count++;
    if (count == MANIFOLD_SLOTS) {
      count = reduceManifold(count);
    }
  }
  return count;
}

// Edge–edge contact: closest points of a's edge along axis i and b's along axis j.
fn edgeContact(a: Box, b: Box, i: u32, j: u32, margin: f32) -> u32 {
  let n = manifold.n;
  var pa = a.c;
  var pb = b.c;
  for (var k = 0u; k < 3u; k++) {
    if (k != i) {
      var s = -1.0;
      if (dot(a.r[k], n) > 0.0) {
        s = 1.0;
      }
      pa += s * a.h[k] * a.r[k];
    }
    if (k != j) {
      var s = 1.0;
      if (dot(b.r[k], n) > 0.0) {
        s = -1.0;
      }
      pb += s * b.h[k] * b.r[k];
    }
  }
  let sA = a.r[i];
  let sB = b.r[j];
  let r = pa - pb;
  let dAB = dot(sA, sB);
  let e = dot(sA, r);
  let f = dot(sB, r);
  let denom = 1.0 - dAB * dAB;
  var s = 0.0;
  if (denom > 1e-9) {
    s = (dAB * f - e) / denom;
  }
  s = clamp(s, -a.h[i], a.h[i]);
  let tt = clamp(dAB * s + f, -b.h[j], b.h[j]);
  let qa = pa + s * sA;
  let qb = pb + tt * sB;
  let sep = dot(qb - qa, n);
  if (sep > margin) {
    return 0u;
  }
  manifold.p[0] = 0.5 * (qa + qb);
  manifold.d[0] = sep;
  manifold.count = 1u;
  return 1u;
}

// Contacts between box b and the plane z = 0 (normal +z): corners within \`margin\`.
fn collideBoxPlane(b: Box, margin: f32) -> u32 {
  manifold.n = vec3f(0.0, 0.0, 1.0);
  var count = 0u;
  for (var k = 0u; k < 8u; k++) {
    let sx = select(-1.0, 1.0, (k & 1u) != 0u);
    let sy = select(-1.0, 1.0, (k & 2u) != 0u);
    let sz = select(-1.0, 1.0, (k & 4u) != 0u);
    let corner = b.c + sx * b.h.x * b.r[0] + sy * b.h.y * b.r[1] + sz * b.h.z * b.r[2];
    if (corner.z > margin) {
      continue;
    }
    manifold.p[count] = vec3f(corner.xy, 0.5 * corner.z);
    manifold.d[count] = corner.z;
    count++;
  }
  manifold.count = reduceManifold(count);
  return manifold.count;
}

fn signedArea(i: u32, j: u32, k: u32) -> f32 {
  return dot(cross(manifold.p[j] - manifold.p[i], manifold.p[k] - manifold.p[i]), manifold.n);
}

// Keeps at most 4 points: the deepest, the farthest from it, and the two adding the most
// area on either side of the line between those.
fn reduceManifold(count: u32) -> u32 {
  if (count <= MAX_MANIFOLD_POINTS) {
    return count;
  }
  var keep = array<i32, 4>(0, -1, -1, -1);
  for (var p = 1u; p < count; p++) {
    if (manifold.d[p] < manifold.d[u32(keep[0])]) {
      keep[0] = i32(p);
    }
  }
  var far = -1.0;
  for (var p = 0u; p < count; p++) {
    let d = manifold.p[p] - manifold.p[u32(keep[0])];
    let d2 = dot(d, d);
    if (d2 > far) {
      far = d2;
      keep[1] = i32(p);
    }
  }
  var maxPos = 0.0;
  var maxNeg = 0.0;
  for (var p = 0u; p < count; p++) {
    let area = signedArea(u32(keep[0]), u32(keep[1]), p);
    if (area > maxPos) {
      maxPos = area;
      keep[2] = i32(p);
    }
    if (area < maxNeg) {
      maxNeg = area;
      keep[3] = i32(p);
    }
  }
  var kp: array<vec3f, 4>;
  var kd: array<f32, 4>;
  var kept = 0u;
  for (var k = 0u; k < 4u; k++) {
    if (keep[k] < 0) {
      continue;
    }
    kp[kept] = manifold.p[u32(keep[k])];
    kd[kept] = manifold.d[u32(keep[k])];
    kept++;
  }
  for (var k = 0u; k < kept; k++) {
    manifold.p[k] = kp[k];
    manifold.d[k] = kd[k];
  }
  return kept;
}
`,
  },
  'ee-controller': {
    file: 'ee-controller.wgsl',
    requires: ["quat"],
    structs: ["WorldState"],
    fragment: true,
    source: `// The end-effector controller: the WGSL twin of applyAction in
// packages/sim-core/src/controller/ee-controller.ts (per-step limits CTRL_*, workspace box
// G_WORKSPACE_*; both generated from the TS constants). Updates the private world \`S\`.
// #requires quat
// #struct WorldState
// #fragment (uses the module-scope \`S\` of sim-step)

// Applies one action (7 floats: position change or target, rotation vector change or
// target, gripper command) to the controller target of \`S\`.
fn applyAction(pos: vec3f, rot: vec3f, gripper: f32, absolute: bool) {
  var delta = pos;
  if (absolute) {
    delta = pos - S.targetPos;
  }
  S.targetPos = clamp(S.targetPos + clamp(delta, vec3f(-CTRL_MAX_DELTA_POSITION), vec3f(CTRL_MAX_DELTA_POSITION)),
                      G_WORKSPACE_MIN, G_WORKSPACE_MAX);
  var rv = rot;
  if (absolute) {
    rv = quatToRotationVector(quatMul(quatFromRotationVector(rot), quatConj(S.targetQuat)));
  }
  let angle = length(rv);
  if (angle > CTRL_MAX_DELTA_ROTATION) {
    rv *= CTRL_MAX_DELTA_ROTATION / angle;
  }
  S.targetQuat = normalize(quatMul(quatFromRotationVector(rv), S.targetQuat));
  S.gripperCommand = clamp(gripper, -1.0, 1.0);
  S.commandedTravel = G_FINGER_TRAVEL * (1.0 - S.gripperCommand) * 0.5;
}
`,
  },
  'gripper-physics': {
    file: 'gripper-physics.wgsl',
    requires: ["quat","collide"],
    structs: ["WorldState","CacheEntry","SimConfig"],
    fragment: true,
    source: `// The pick-place world's physics: the WGSL twin of
// packages/sim-core/src/backends/webgpu/reference/gripper-world.ts — read its header for
// the model (kinematic hand, one-degree-of-freedom fingers, free cube, static table and bin)
// and the solver (Rapier's soft-constraint TGS: contacts once per physics step, warm start,
// \`iterations\` small steps each with a biased solve, position integration and an unbiased
// stabilization solve). Works on the private world \`S\` of the invocation; reads the uniform
// \`cfg\`, the geometry constants \`G_*\` (generated from PICK_PLACE_GEOMETRY) and the
// warm-start cache rows of world \`worldIndex\` in \`cacheBuf\`.
// #requires quat
// #requires collide
// #struct WorldState
// #struct CacheEntry
// #struct SimConfig
// #fragment (uses the module-scope \`S\` and \`cfg\` of sim-step)

const GRAVITY: f32 = -9.81;
const MAX_CONTACTS: u32 = 32u;
const NUM_PAIRS: u32 = 18u;

// Body kinds of a contact side.
const STATIC: u32 = 0u;
const CUBE: u32 = 1u;
const FINGER_L: u32 = 2u;
const FINGER_R: u32 = 3u;
const HAND: u32 = 4u;

struct Contact {
  n: vec3f,
  d0: f32,
  t1: vec3f,
  mu: f32,
  t2: vec3f,
  kN: f32,
  rP: vec3f,
  kT1: f32,
  rO: vec3f,
  kT2: f32,
  local: vec3f,
  lN: f32,
  // Drift of the contact points (as in \`displacement\`) when the contact last slid this step.
  anchor: vec3f,
  // Off-diagonal entry of the tangent rows' inverse effective mass (t1, t2).
  kT12: f32,
  lT1: f32,
  lT2: f32,
  pair: u32,
  primary: u32,
  other: u32,
  // The contact presses its finger against a travel stop: the finger moves with the hand in its rows.
  fingerLocked: bool,
}

var<private> S: WorldState;
var<private> worldIndex: u32;
var<private> contacts: array<Contact, 32>;
var<private> numContacts: u32;
var<private> boxes: array<Box, 8>;
// Positions at the start of the physics step (for the contact separation updates).
var<private> x0: vec3f;
var<private> hx0: vec3f;
var<private> s0: vec2f;

// (primary, other, other shape) of collision pair k. Shapes: 0 table plane, 1–4 bin walls,
// 5 palm, 6–7 fingers. The normal points from the other shape into the primary body.
fn pairInfo(k: u32) -> vec3u {
  if (k == 0u) { return vec3u(CUBE, STATIC, 0u); }
  if (k == 1u) { return vec3u(CUBE, FINGER_L, 6u); }
  if (k == 2u) { return vec3u(CUBE, FINGER_R, 7u); }
  if (k <= 6u) { return vec3u(CUBE, STATIC, k - 2u); }
  if (k == 7u) { return vec3u(CUBE, HAND, 5u); }
  if (k == 8u) { return vec3u(FINGER_L, STATIC, 0u); }
  if (k == 9u) { return vec3u(FINGER_R, STATIC, 0u); }
  if (k <= 13u) { return vec3u(FINGER_L, STATIC, k - 9u); }
  return vec3u(FINGER_R, STATIC, k - 13u);
}

// Direction in which finger f's travel grows (hand +y for the left finger, −y for the right).
fn fingerAxis(f: u32) -> vec3f {
  return quatRotate(S.handQuat, vec3f(0.0, select(-1.0, 1.0, f == 0u), 0.0));
}

fn boxAt(x: vec3f, q: vec4f, offset: vec3f, half: vec3f) -> Box {
  return Box(x + quatRotate(q, offset), quatToMat(q), half);
}

fn placeShapes() {
  boxes[0] = boxAt(S.cubePos, S.cubeQuat, vec3f(0.0), vec3f(S.cubeHalf));
  let wallOffset = G_BIN_INNER_HALF_SIZE + G_BIN_WALL_HALF_THICKNESS;
  let wallHalfLength = G_BIN_INNER_HALF_SIZE + 2.0 * G_BIN_WALL_HALF_THICKNESS;
  let hz = 0.5 * G_BIN_RIM_HEIGHT;
  let t = G_BIN_WALL_HALF_THICKNESS;
  let id = vec4f(0.0, 0.0, 0.0, 1.0);
  let b = S.binPos;
  boxes[1] = boxAt(vec3f(b.x + wallOffset, b.y, hz), id, vec3f(0.0), vec3f(t, wallHalfLength, hz));
  boxes[2] = boxAt(vec3f(b.x - wallOffset, b.y, hz), id, vec3f(0.0), vec3f(t, wallHalfLength, hz));
  boxes[3] = boxAt(vec3f(b.x, b.y + wallOffset, hz), id, vec3f(0.0), vec3f(G_BIN_INNER_HALF_SIZE, t, hz));
  boxes[4] = boxAt(vec3f(b.x, b.y - wallOffset, hz), id, vec3f(0.0), vec3f(G_BIN_INNER_HALF_SIZE, t, hz));
  boxes[5] = boxAt(S.handPos, S.handQuat, vec3f(0.0, 0.0, G_PALM_CENTER_Z), G_PALM_HALF_EXTENTS);
  let fy = G_FINGER_HALF_EXTENTS.y;
  boxes[6] = boxAt(S.handPos, S.handQuat, vec3f(0.0, fy + S.travel.x, G_FINGER_CENTER_Z), G_FINGER_HALF_EXTENTS);
  boxes[7] = boxAt(S.handPos, S.handQuat, vec3f(0.0, -(fy + S.travel.y), G_FINGER_CENTER_Z), G_FINGER_HALF_EXTENTS);
}

// Combined friction (Rapier's rules: \`max\` when a finger pad is involved, else the average).
fn pairFriction(primary: u32, other: u32, otherShape: u32) -> f32 {
  var o = G_FINGER_FRICTION;
  if (otherShape == 0u) {
    o = G_TABLE_FRICTION;
  } else if (otherShape <= 4u) {
    o = G_BIN_FRICTION;
  }
  if (primary != CUBE) {
    return max(G_FINGER_FRICTION, o);
  }
  if (other == FINGER_L || other == FINGER_R) {
    return max(S.cubeFriction, G_FINGER_FRICTION);
  }
  return 0.5 * (S.cubeFriction + o);
}

// Whether contact c's normal impulse pushes its finger (if it has one) against the travel stop
// the finger rests on (within the allowed error): the stop then holds the finger, which moves
// with the hand in c's rows.
fn pressesFingerOnStop(c: Contact) -> bool {
  var f = 0u;
  var push = 0.0;
  if (c.primary == FINGER_L || c.primary == FINGER_R) {
    f = c.primary - FINGER_L;
    push = dot(fingerAxis(f), c.n);
  } else if (c.other == FINGER_L || c.other == FINGER_R) {
    f = c.other - FINGER_L;
    push = -dot(fingerAxis(f), c.n);
  } else {
    return false;
  }
  let s = select(S.travel.x, S.travel.y, f == 1u);
  return (push < 0.0 && s <= cfg.allowedError) || (push > 0.0 && s >= G_FINGER_TRAVEL - cfg.allowedError);
}

// Whether \`body\` is a finger that moves along its travel in contact c's rows.
fn fingerMoves(c: Contact, body: u32) -> bool {
  return (body == FINGER_L || body == FINGER_R) && !c.fingerLocked;
}

// Entry (u, w) of the inverse effective mass of contact c's rows along unit directions u and w.
fn invEffectiveMass(c: Contact, u: vec3f, w: vec3f) -> f32 {
  var k = 0.0;
  if (c.primary == CUBE) {
    k += dot(u, w) / S.cubeMass + S.cubeInvInertia * dot(cross(c.rP, u), cross(c.rP, w));
  } else if (fingerMoves(c, c.primary)) {
    let a = fingerAxis(c.primary - FINGER_L);
    k += dot(a, u) * dot(a, w) / G_FINGER_MASS;
  }
  if (fingerMoves(c, c.other)) {
    let a = fingerAxis(c.other - FINGER_L);
    k += dot(a, u) * dot(a, w) / G_FINGER_MASS;
  }
  return k;
}

fn makeTangents(n: vec3f) -> array<vec3f, 2> {
  var t1 = vec3f(n.y, -n.x, 0.0);
  if (abs(n.x) < 0.57735) {
    t1 = vec3f(0.0, n.z, -n.y);
  }
  t1 = normalize(t1);
  return array<vec3f, 2>(t1, cross(n, t1));
}

fn generateContacts() {
  placeShapes();
  numContacts = 0u;
  S.overflow = 0u;
  for (var pair = 0u; pair < NUM_PAIRS; pair++) {
    let info = pairInfo(pair);
    var primaryBox = boxes[0];
    if (info.x == FINGER_L) {
      primaryBox = boxes[6];
    } else if (info.x == FINGER_R) {
      primaryBox = boxes[7];
    }
    var count = 0u;
    if (info.z == 0u) {
      count = collideBoxPlane(primaryBox, cfg.predictionDistance);
    } else {
      count = collideBoxes(boxes[info.z], primaryBox, cfg.predictionDistance);
    }
    for (var i = 0u; i < count; i++) {
      if (numContacts == MAX_CONTACTS) {
        S.overflow = 1u;
        break;
      }
      var c: Contact;
      c.pair = pair;
      c.primary = info.x;
      c.other = info.y;
      c.n = manifold.n;
      let tg = makeTangents(c.n);
      c.t1 = tg[0];
      c.t2 = tg[1];
      let p = manifold.p[i];
      var pRef = S.handPos;
      var qRef = S.handQuat;
      if (info.x == CUBE) {
        pRef = S.cubePos;
        qRef = S.cubeQuat;
      }
      c.rP = p - pRef;
      c.rO = p - S.handPos;
      c.local = quatRotate(quatConj(qRef), c.rP);
      c.d0 = manifold.d[i];
      c.mu = pairFriction(info.x, info.y, info.z);
      c.fingerLocked = pressesFingerOnStop(c);
      c.kN = invEffectiveMass(c, c.n, c.n);
      c.kT1 = invEffectiveMass(c, c.t1, c.t1);
      c.kT2 = invEffectiveMass(c, c.t2, c.t2);
      c.kT12 = invEffectiveMass(c, c.t1, c.t2);
      c.anchor = vec3f(0.0);
      c.lN = 0.0;
      c.lT1 = 0.0;
      c.lT2 = 0.0;
      contacts[numContacts] = c;
      numContacts++;
    }
  }
}

// Velocity of a side's contact point along u (primary: isPrimary = true).
fn pointVelocity(body: u32, i: u32, u: vec3f, isPrimary: bool) -> f32 {
  if (body == STATIC) {
    return 0.0;
  }
  if (body == CUBE) {
    return dot(S.cubeVel + cross(S.cubeAngVel, contacts[i].rP), u);
  }
  var r = contacts[i].rO;
  if (isPrimary) {
    r = contacts[i].rP;
  }
  var vel = dot(S.handVel + cross(S.handAngVel, r), u);
  if (body == FINGER_L) {
    vel += S.travelSpeed.x * dot(fingerAxis(0u), u);
  } else if (body == FINGER_R) {
    vel += S.travelSpeed.y * dot(fingerAxis(1u), u);
  }
  return vel;
}

fn relativeVelocity(i: u32, u: vec3f) -> f32 {
  return pointVelocity(contacts[i].primary, i, u, true) - pointVelocity(contacts[i].other, i, u, false);
}

fn addFingerImpulse(f: u32, amount: f32) {
  if (f == 0u) {
    S.travelSpeed.x += amount / G_FINGER_MASS;
  } else {
    S.travelSpeed.y += amount / G_FINGER_MASS;
  }
}

// Applies impulse λ·u to the primary and −λ·u to the other body.
fn applyImpulse(i: u32, u: vec3f, lambda: f32) {
  if (lambda == 0.0) {
    return;
  }
  let c = contacts[i];
  if (c.primary == CUBE) {
    S.cubeVel += lambda * u / S.cubeMass;
    S.cubeAngVel += lambda * S.cubeInvInertia * cross(c.rP, u);
  } else if (fingerMoves(c, c.primary)) {
    let f = c.primary - FINGER_L;
    addFingerImpulse(f, lambda * dot(fingerAxis(f), u));
  }
  if (fingerMoves(c, c.other)) {
    let f = c.other - FINGER_L;
    addFingerImpulse(f, -lambda * dot(fingerAxis(f), u));
  }
}

// Displacement of a side's contact point since the start of the physics step.
fn displacement(body: u32, i: u32, isPrimary: bool, elapsed: f32) -> vec3f {
  if (body == STATIC) {
    return vec3f(0.0);
  }
  let c = contacts[i];
  if (body == CUBE) {
    return S.cubePos - x0 + quatRotate(S.cubeQuat, c.local) - c.rP;
  }
  var r = c.rO;
  if (isPrimary) {
    r = c.rP;
  }
  var out = S.handPos - hx0 + cross(S.handAngVel, r) * elapsed;
  if (body == FINGER_L) {
    out += fingerAxis(0u) * (S.travel.x - s0.x);
  } else if (body == FINGER_R) {
    out += fingerAxis(1u) * (S.travel.y - s0.y);
  }
  return out;
}

// Matches this step's contacts with the cache: each starts from its cached impulses.
fn matchCache() {
  let r2 = cfg.warmStartRadius * cfg.warmStartRadius;
  let base = worldIndex * MAX_CONTACTS;
  for (var i = 0u; i < numContacts; i++) {
    var bestD = r2;
    var best = -1;
    for (var j = 0u; j < S.cacheCount; j++) {
      let e = cacheBuf[base + j];
      if (e.pair != contacts[i].pair) {
        continue;
      }
      let d = e.local - contacts[i].local;
      let d2 = dot(d, d);
      if (d2 < bestD) {
        bestD = d2;
        best = i32(j);
      }
    }
    if (best < 0) {
      continue;
    }
    let imp = cacheBuf[base + u32(best)].impulse;
    contacts[i].lN = imp.x;
    contacts[i].lT1 = imp.y;
    contacts[i].lT2 = imp.z;
  }
}

// Applies every contact's current impulses (the warm start of a small step).
fn applyWarmStart() {
  for (var i = 0u; i < numContacts; i++) {
    let c = contacts[i];
    applyImpulse(i, c.n, c.lN);
    applyImpulse(i, c.t1, c.lT1);
    applyImpulse(i, c.t2, c.lT2);
  }
}

fn saveCache() {
  let base = worldIndex * MAX_CONTACTS;
  S.cacheCount = numContacts;
  S.queryImpulse = vec2f(0.0);
  for (var i = 0u; i < numContacts; i++) {
    let c = contacts[i];
    cacheBuf[base + i] = CacheEntry(c.local, c.pair, vec3f(c.lN, c.lT1, c.lT2));
    if (c.pair == 1u) {
      S.queryImpulse.x = max(S.queryImpulse.x, c.lN);
    } else if (c.pair == 2u) {
      S.queryImpulse.y = max(S.queryImpulse.y, c.lN);
    }
  }
}

fn solveContacts(elapsed: f32, cfmFactor: f32, bias: bool) {
  let h = cfg.h;
  for (var i = 0u; i < numContacts; i++) {
    if (contacts[i].kN <= 1e-12) {
      continue;
    }
    let c = contacts[i];
    // Motion of the primary's contact point relative to the other's since generation.
    let disp = displacement(c.primary, i, true, elapsed) - displacement(c.other, i, false, elapsed);
    let d = c.d0 + dot(disp, c.n);
    var rhs = max(d, 0.0) / h;
    if (bias) {
      rhs += max(cfg.erpInvDt * min(d + cfg.allowedError, 0.0), -cfg.maxCorrectiveVelocity);
    }
    let dvel = relativeVelocity(i, c.n) + rhs;
    var lNew = max(c.lN - dvel / c.kN, 0.0);
    // Soft (cfm) only where the position bias acts: within the allowed error a contact holds
    // like a rigid one, so a resting body does not sink through the band.
    if (bias && d + cfg.allowedError < 0.0) {
      lNew *= cfmFactor;
    }
    applyImpulse(i, c.n, lNew - c.lN);
    contacts[i].lN = lNew;
    // Coulomb friction, one 2D row in the tangent plane clamped to the disk of radius μ·λn. The
    // biased pass also pulls the contact points back together since the step began or the
    // contact last slid (Rapier's tangential position bias).
    let limit = c.mu * lNew;
    var b = vec3f(0.0);
    if (bias) {
      b = (disp - c.anchor) / h;
    }
    let s1 = relativeVelocity(i, c.t1) + dot(b, c.t1);
    let s2 = relativeVelocity(i, c.t2) + dot(b, c.t2);
    // Impulse step along e, removing the slip's e component (Rapier's coupled tangent solve):
    // e is the slip, or for a finger on a static shape the one direction its impulse acts in.
    var e = vec2f(s1, s2);
    if (c.primary != CUBE) {
      e = select(vec2f(c.kT12, c.kT2), vec2f(c.kT1, c.kT12), c.kT1 >= c.kT2);
    }
    let ke = e.x * e.x * c.kT1 + 2.0 * e.x * e.y * c.kT12 + e.y * e.y * c.kT2;
    var step = 0.0;
    if (ke > 1e-12 * dot(e, e)) {
      step = (e.x * s1 + e.y * s2) / ke;
    }
    let t1 = c.lT1 - step * e.x;
    let t2 = c.lT2 - step * e.y;
    let mag = sqrt(t1 * t1 + t2 * t2);
    var scale = 1.0;
    if (mag > limit) {
      scale = limit / mag;
      // Sliding (the velocity pass cannot stop the slip): the anchor moves to where the contact is now.
      if (!bias) {
        contacts[i].anchor = disp;
      }
    }
    let n1 = t1 * scale;
    let n2 = t2 * scale;
    applyImpulse(i, c.t1, n1 - c.lT1);
    applyImpulse(i, c.t2, n2 - c.lT2);
    contacts[i].lT1 = n1;
    contacts[i].lT2 = n2;
  }
}

// Finger drives (implicit spring-damper clamped to the motor force) and rigid travel limits.
fn solveFingers(bias: bool, lDrive: ptr<function, vec2f>) {
  let invM = 1.0 / G_FINGER_MASS;
  let h = cfg.h;
  for (var f = 0u; f < 2u; f++) {
    var s = S.travel.x;
    var sd = S.travelSpeed.x;
    var l = (*lDrive).x;
    if (f == 1u) {
      s = S.travel.y;
      sd = S.travelSpeed.y;
      l = (*lDrive).y;
    }
    let dvel = sd + cfg.driveErpInvDt * (s - S.driveTarget) + cfg.driveCfm * l;
    let lNew = clamp(l - dvel / (invM + cfg.driveCfm), -cfg.driveMaxImpulse, cfg.driveMaxImpulse);
    sd += (lNew - l) * invM;
    for (var side = 0u; side < 2u; side++) {
      var dist = s;
      var sign = 1.0;
      if (side == 1u) {
        dist = G_FINGER_TRAVEL - s;
        sign = -1.0;
      }
      var rhs = 0.0;
      if (dist > 0.0 || bias) {
        rhs = dist / h;
      }
      let lambda = max(-(sign * sd + rhs) / invM, 0.0);
      sd += sign * lambda * invM;
    }
    if (f == 0u) {
      S.travelSpeed.x = sd;
      (*lDrive).x = lNew;
    } else {
      S.travelSpeed.y = sd;
      (*lDrive).y = lNew;
    }
  }
}

fn physicsStep() {
  let h = cfg.h;
  generateContacts();
  matchCache();
  var lDrive = vec2f(0.0);
  x0 = S.cubePos;
  hx0 = S.handPos;
  s0 = S.travel;
  for (var it = 0u; it < cfg.iterations; it++) {
    let elapsed = f32(it) * h;
    S.cubeVel.z += GRAVITY * h;
    S.travelSpeed.x += GRAVITY * fingerAxis(0u).z * h;
    S.travelSpeed.y += GRAVITY * fingerAxis(1u).z * h;
    // Each small step solves for its own impulses, starting from the previous small step's
    // (warm start); the finger drives start from zero (Rapier rebuilds joint rows per substep).
    lDrive = vec2f(0.0);
    applyWarmStart();
    solveFingers(true, &lDrive);
    solveContacts(elapsed, cfg.cfmFactor, true);
    S.cubePos += S.cubeVel * h;
    S.cubeQuat = integrateRotation(S.cubeQuat, S.cubeAngVel, h);
    S.handPos += S.handVel * h;
    S.handQuat = integrateRotation(S.handQuat, S.handAngVel, h);
    S.travel += S.travelSpeed * h;
    solveFingers(false, &lDrive);
    solveContacts(elapsed + h, 1.0, false);
  }
  saveCache();
}

// One control step: the hand moves from pose (fromPos, fromQuat) to the controller target
// in \`substeps\` physics steps.
fn stepControl(fromPos: vec3f, fromQuat: vec4f) {
  let n = cfg.substeps;
  let dt = cfg.dt;
  let reach = G_FINGER_MAX_FORCE / G_FINGER_DRIVE_STIFFNESS;
  for (var k = 1u; k <= n; k++) {
    let f = f32(k) / f32(n);
    let goal = fromPos + (S.targetPos - fromPos) * f;
    let tq = quatNlerp(fromQuat, S.targetQuat, f);
    S.handVel = (goal - S.handPos) / dt;
    S.handAngVel = angularVelocityBetween(S.handQuat, tq, dt);
    let mean = 0.5 * (S.travel.x + S.travel.y);
    S.driveTarget = clamp(S.commandedTravel, mean - reach, mean + reach);
    physicsStep();
    S.handPos = goal;
    S.handQuat = tq;
  }
}
`,
  },
  'hash-prng': {
    file: 'hash-prng.wgsl',
    requires: [],
    structs: [],
    fragment: false,
    source: `// Counter-based hash PRNG: the WGSL twin of packages/sim-core/src/random/hash-prng.ts.
// Every function here returns the same bits as its TS namesake (u32 wrapping multiply,
// xor and shifts only; uniform01 has 24 random bits, exact in f32), so a world drawn on
// the GPU is the world drawn by the Rapier backend. Library module: no bindings, no
// entry points; kernels pull it in with \`// #requires hash-prng\`.

// One round of the lowbias32 integer mixer (C. Wellons), a bijection on u32.
fn mix32(value: u32) -> u32 {
  var x = value;
  x ^= x >> 16u;
  x *= 0x7feb352du;
  x ^= x >> 15u;
  x *= 0x846ca68bu;
  x ^= x >> 16u;
  return x;
}

// Hashes the key (seed, episode, world, parameter) to a uniformly distributed u32.
fn hashKey(seed: u32, episode: u32, world: u32, parameter: u32) -> u32 {
  var h = mix32(seed ^ 0x9e3779b9u);
  h = mix32(h ^ episode);
  h = mix32((h + 0x632be5abu) ^ world);
  h = mix32((h + 0x85ebca6bu) ^ parameter);
  return h;
}

// Uniform number in [0, 1) with 24 random bits (f32(h >> 8) * 2^-24, both steps exact).
fn uniform01(seed: u32, episode: u32, world: u32, parameter: u32) -> f32 {
  return f32(hashKey(seed, episode, world, parameter) >> 8u) * 5.9604644775390625e-8;
}

// Returns x unchanged, but through an operation the shader compiler cannot see through,
// so \`a + noContract(b * c)\` is always rounded twice (multiply, then add) and never fused
// into one FMA. \`opaqueZero\` MUST be 0 and MUST come from a buffer (uniform or storage),
// never a constant or \`override\`: only a run-time value stops the optimizer.
// Why: WGSL lets implementations contract a*b + c into fma(a, b, c) (SPIR-V allows it
// unless NoContraction is set, and Tint does not set it), which rounds once and can change
// the last bit versus the TS reference.
fn noContract(x: f32, opaqueZero: u32) -> f32 {
  return bitcast<f32>(bitcast<u32>(x) | opaqueZero);
}

// Uniform number in [lo, hi]: lo + (hi - lo) * u in f32, each operation rounded, matching
// TS uniformRange bit for bit. \`opaqueZero\`: see noContract.
fn uniformRange(lo: f32, hi: f32, seed: u32, episode: u32, world: u32, parameter: u32, opaqueZero: u32) -> f32 {
  let u = uniform01(seed, episode, world, parameter);
  return lo + noContract((hi - lo) * u, opaqueZero);
}
`,
  },
  'pick-place-task': {
    file: 'pick-place-task.wgsl',
    requires: ["quat"],
    structs: ["WorldState"],
    fragment: true,
    source: `// The pick-place task on the GPU: a world's start from its randomized parameters, success
// and sub-signals, the observation and the dense reward — the WGSL twins of
// packages/sim-core/src/tasks/pick-place/{scene,evaluate,observe}.ts. Parameter columns
// P_* and thresholds SUCCESS_* are generated from the TS constants.
// #requires quat
// #struct WorldState
// #fragment (uses the module-scope \`S\` of sim-step)

// Starts world \`S\` from parameter row \`p\` (the same start as buildPickPlaceScene).
fn initWorld(p: array<f32, 16>) {
  let e = p[P_CUBE_EDGE];
  S.cubeHalf = 0.5 * e;
  S.cubeMass = p[P_CUBE_MASS];
  S.cubeInvInertia = 6.0 / (S.cubeMass * e * e);
  S.cubeFriction = p[P_CUBE_FRICTION];
  S.cubePos = vec3f(p[P_CUBE_X], p[P_CUBE_Y], 0.5 * e);
  S.cubeQuat = quatFromYaw(p[P_CUBE_YAW]);
  S.cubeVel = vec3f(0.0);
  S.cubeAngVel = vec3f(0.0);
  S.handPos = vec3f(p[P_HAND_X], p[P_HAND_Y], p[P_HAND_Z]);
  S.handQuat = quatFromYaw(p[P_HAND_YAW]);
  S.handVel = vec3f(0.0);
  S.handAngVel = vec3f(0.0);
  S.travel = vec2f(G_FINGER_TRAVEL);
  S.travelSpeed = vec2f(0.0);
  S.commandedTravel = G_FINGER_TRAVEL;
  S.driveTarget = G_FINGER_TRAVEL;
  S.binPos = vec2f(p[P_BIN_X], p[P_BIN_Y]);
  S.targetPos = S.handPos;
  S.targetQuat = S.handQuat;
  S.gripperCommand = -1.0;
  S.cacheCount = 0u;
  S.overflow = 0u;
  S.queryImpulse = vec2f(0.0);
}

// Sub-signal bits in the order of PICK_PLACE_SIGNALS: success, isGrasped, isLifted,
// objectInBin, isAtRest.
fn evaluateWorld() -> u32 {
  let isGrasped = S.queryImpulse.x > cfg.pushingImpulse && S.queryImpulse.y > cfg.pushingImpulse;
  let isLifted = S.cubePos.z - S.cubeHalf > SUCCESS_LIFT_HEIGHT;
  let rel = abs(S.cubePos.xy - S.binPos);
  let objectInBin = rel.x < G_BIN_INNER_HALF_SIZE && rel.y < G_BIN_INNER_HALF_SIZE && S.cubePos.z < G_BIN_RIM_HEIGHT;
  let isAtRest = length(S.cubeVel) < SUCCESS_MAX_REST_SPEED && length(S.cubeAngVel) < SUCCESS_MAX_REST_ANGULAR_SPEED;
  let success = objectInBin && isAtRest && !isGrasped;
  return select(0u, 1u, success) | select(0u, 2u, isGrasped) | select(0u, 4u, isLifted)
       | select(0u, 8u, objectInBin) | select(0u, 16u, isAtRest);
}

// Staged dense reward in [0, 5], as rewardPickPlace.
fn rewardWorld(signals: u32) -> f32 {
  if ((signals & 1u) != 0u) {
    return 5.0;
  }
  var reward = 1.0 - tanh(5.0 * length(S.cubePos - S.handPos));
  if ((signals & 2u) != 0u) {
    reward += 1.0 + 2.0 * (1.0 - tanh(5.0 * length(S.cubePos.xy - S.binPos)));
  } else if ((signals & 8u) != 0u) {
    reward += 3.0;
  }
  return reward;
}

// The observation (PICK_PLACE_OBS_NAMES order) into row \`o\` of \`outputs\`.
fn observeWorld(o: u32) {
  outputs[o].obs[0] = S.handPos.x;
  outputs[o].obs[1] = S.handPos.y;
  outputs[o].obs[2] = S.handPos.z;
  outputs[o].obs[3] = S.handQuat.x;
  outputs[o].obs[4] = S.handQuat.y;
  outputs[o].obs[5] = S.handQuat.z;
  outputs[o].obs[6] = S.handQuat.w;
  outputs[o].obs[7] = S.travel.x + S.travel.y;
  outputs[o].obs[8] = S.cubePos.x;
  outputs[o].obs[9] = S.cubePos.y;
  outputs[o].obs[10] = S.cubePos.z;
  outputs[o].obs[11] = S.cubeQuat.x;
  outputs[o].obs[12] = S.cubeQuat.y;
  outputs[o].obs[13] = S.cubeQuat.z;
  outputs[o].obs[14] = S.cubeQuat.w;
  let rel = S.cubePos - S.handPos;
  outputs[o].obs[15] = rel.x;
  outputs[o].obs[16] = rel.y;
  outputs[o].obs[17] = rel.z;
  outputs[o].obs[18] = S.binPos.x;
  outputs[o].obs[19] = S.binPos.y;
  outputs[o].obs[20] = 0.0;
}
`,
  },
  'quat': {
    file: 'quat.wgsl',
    requires: [],
    structs: [],
    fragment: false,
    source: `// Quaternion helpers, [x, y, z, w] in a vec4f, the WGSL twins of
// packages/sim-core/src/math/quat.ts. Library module: kernels pull it in with
// \`// #requires quat\`.

// a ⊗ b (apply b, then a).
fn quatMul(a: vec4f, b: vec4f) -> vec4f {
  return vec4f(
    a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
    a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
    a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
    a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z);
}

fn quatConj(q: vec4f) -> vec4f {
  return vec4f(-q.xyz, q.w);
}

// q · v · q⁻¹.
fn quatRotate(q: vec4f, v: vec3f) -> vec3f {
  let t = 2.0 * cross(q.xyz, v);
  return v + q.w * t + cross(q.xyz, t);
}

// The rotation by rotation vector rv (axis · angle).
fn quatFromRotationVector(rv: vec3f) -> vec4f {
  let angle = length(rv);
  if (angle < 1e-12) {
    return normalize(vec4f(0.5 * rv, 1.0));
  }
  return vec4f(rv * (sin(0.5 * angle) / angle), cos(0.5 * angle));
}

// Rotation vector (angle in [0, π]) of unit quaternion q.
fn quatToRotationVector(q0: vec4f) -> vec3f {
  var q = q0;
  if (q.w < 0.0) {
    q = -q;
  }
  let sinHalf = length(q.xyz);
  let angle = 2.0 * atan2(sinHalf, q.w);
  var k = 2.0;
  if (sinHalf >= 1e-12) {
    k = angle / sinHalf;
  }
  return q.xyz * k;
}

// Rotation about +z by \`yaw\`, normalized: WGSL's sin and cos may be off by 2^-11 (SwiftShader's
// are, by up to 2e-4), and an unnormalized start pose reads as a turn of up to 2° once the first
// physics step renormalizes it.
fn quatFromYaw(yaw: f32) -> vec4f {
  return normalize(vec4f(0.0, 0.0, sin(0.5 * yaw), cos(0.5 * yaw)));
}

// Normalized linear interpolation along the shorter arc.
fn quatNlerp(a: vec4f, b: vec4f, t: f32) -> vec4f {
  var s = 1.0;
  if (dot(a, b) < 0.0) {
    s = -1.0;
  }
  return normalize(a + (s * b - a) * t);
}

// Rotation matrix of q: column i is the rotated local axis i.
fn quatToMat(q: vec4f) -> mat3x3f {
  let x = q.x; let y = q.y; let z = q.z; let w = q.w;
  return mat3x3f(
    vec3f(1.0 - 2.0 * (y * y + z * z), 2.0 * (x * y + z * w), 2.0 * (x * z - y * w)),
    vec3f(2.0 * (x * y - z * w), 1.0 - 2.0 * (x * x + z * z), 2.0 * (y * z + x * w)),
    vec3f(2.0 * (x * z + y * w), 2.0 * (y * z - x * w), 1.0 - 2.0 * (x * x + y * y)));
}

// Angular velocity that turns orientation a into b in time dt.
fn angularVelocityBetween(a: vec4f, b: vec4f, dt: f32) -> vec3f {
  var d = quatMul(b, quatConj(a));
  if (d.w < 0.0) {
    d = -d;
  }
  let sinHalf = length(d.xyz);
  if (sinHalf < 1e-12) {
    return vec3f(0.0);
  }
  let angle = 2.0 * atan2(sinHalf, d.w);
  return d.xyz * (angle / (sinHalf * dt));
}

// q advanced by angular velocity w over time h (exact rotation), normalized.
fn integrateRotation(q: vec4f, w: vec3f, h: f32) -> vec4f {
  let angle = length(w) * h;
  if (angle < 1e-12) {
    return q;
  }
  let dq = vec4f(w * (sin(0.5 * angle) / (angle / h)), cos(0.5 * angle));
  return normalize(quatMul(dq, q));
}
`,
  },
  'scene-bindings': {
    file: 'scene-bindings.wgsl',
    requires: [],
    structs: ["SceneConfig","SolverBody","SolverDrive","SolverWorld","SolverContact","CacheEntry"],
    fragment: true,
    source: `// The scene solver's buffers and the world being stepped: the bindings every scene-solver kernel
// shares (\`scene-step\`, and the stage kernels of \`scene-stages\` its tests run), the bases of the
// current world's rows, and loading / storing its bodies and joints (the private arrays B, M, J of
// scene-solver.wgsl). The topology constants (NUM_BODIES, DATA_STRIDE, …) are generated per task.
// #struct SceneConfig
// #struct SolverBody
// #struct SolverDrive
// #struct SolverWorld
// #struct SolverContact
// #struct CacheEntry
// #fragment (uses the generated Model constants and scene-solver's private arrays)

override WORKGROUP_SIZE: u32 = 64u;

// Bits of SolverWorld.flags (SCENE_FLAGS in scene-layouts.ts).
const SCENE_FLAG_FAULT: u32 = 1u;
const SCENE_FLAG_OVERFLOW: u32 = 2u;

@group(0) @binding(0) var<uniform> cfg: SceneConfig;
// NUM_BODIES rows per world.
@group(0) @binding(1) var<storage, read_write> bodies: array<SolverBody>;
// DATA_STRIDE rows per world: per body (inverse mass, inverse principal inertia); per shape
// (offset, friction) and (half extents, 0); per joint the link's rotation in its parent's frame.
@group(0) @binding(2) var<storage, read> worldData: array<vec4f>;
@group(0) @binding(3) var<storage, read> drives: array<SolverDrive>;
@group(0) @binding(4) var<storage, read_write> worlds: array<SolverWorld>;
// COORD_STRIDE floats per world: per joint (travel, rate); per contact query its largest normal impulse.
@group(0) @binding(5) var<storage, read_write> coords: array<f32>;
// capacity rows per world each.
@group(0) @binding(6) var<storage, read_write> cache: array<CacheEntry>;
@group(0) @binding(7) var<storage, read_write> contacts: array<SolverContact>;

// The world being stepped and the first of its rows in each buffer.
var<private> worldIndex: u32;
var<private> wb: u32;
var<private> wd: u32;
var<private> wc: u32;
var<private> wk: u32;

// Makes \`world\` the current world and copies its bodies, masses and joints in.
fn loadWorld(world: u32) {
  worldIndex = world;
  wb = world * NUM_BODIES;
  wd = world * DATA_STRIDE;
  wc = world * COORD_STRIDE;
  wk = world * cfg.capacity;
  for (var i = 0u; i < NUM_BODIES; i++) {
    B[i] = bodies[wb + i];
    M[i] = worldData[wd + i];
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    J[j] = vec2f(coords[wc + 2u * j], coords[wc + 2u * j + 1u]);
  }
  updateAxes();
}

// Writes the current world's bodies and joints back.
fn storeWorld() {
  for (var i = 0u; i < NUM_BODIES; i++) {
    bodies[wb + i] = B[i];
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    coords[wc + 2u * j] = J[j].x;
    coords[wc + 2u * j + 1u] = J[j].y;
  }
}

// The world of invocation \`gid\` (over x and y; see world-dispatch.ts).
fn worldOf(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WORKGROUP_SIZE;
}
`,
  },
  'scene-solver': {
    file: 'scene-solver.wgsl',
    requires: ["quat","collide","collide-box-face","collide-cylinder","scene-bindings"],
    structs: ["SceneConfig","SolverBody","SolverDrive","SolverWorld","SolverContact","CacheEntry"],
    fragment: true,
    source: `// The scene solver's physics: the WGSL twin of
// packages/sim-core/src/backends/webgpu/solver/solver-spec-world.ts — read its header for the
// model (the controlled body kinematic, links on its prismatic joints with one coordinate each,
// free bodies, static bodies) and the solver (Rapier's soft-constraint TGS with warm starting).
// Nothing here names a task: the topology comes from the generated constants (NUM_BODIES,
// BODY_ROLE, PAIR_A, …; see sim-core's scene-model-wgsl.ts), the per-world numbers from the
// buffers of scene-bindings.wgsl. Works on world \`worldIndex\` through the bases \`wb\`, \`wd\`,
// \`wc\` and \`wk\` that its loadWorld sets.
// #requires quat
// #requires collide
// #requires collide-box-face
// #requires collide-cylinder
// #struct SceneConfig
// #struct SolverBody
// #struct SolverDrive
// #struct SolverWorld
// #struct SolverContact
// #struct CacheEntry
// #requires scene-bindings
// #fragment (uses the generated Model constants)

const GRAVITY: f32 = -9.81;
const ROLE_STATIC: u32 = 0u;
const ROLE_KINEMATIC: u32 = 1u;
const ROLE_LINK: u32 = 2u;
const ROLE_FREE: u32 = 3u;

// The world being stepped, copied in by scene-step and written back after the step: every body's
// state, every joint's (travel, rate), every body's (inverse mass, inverse principal inertia), and
// each joint's axis in the world (kept current as the controlled body turns).
var<private> B: array<SolverBody, NUM_BODIES>;
var<private> J: array<vec2f, JOINT_SLOTS>;
var<private> M: array<vec4f, NUM_BODIES>;
var<private> axisW: array<vec3f, JOINT_SLOTS>;
// Per body: position at the start of the physics step, world inverse inertia (free bodies).
var<private> x0: array<vec3f, NUM_BODIES>;
var<private> invI: array<mat3x3f, NUM_BODIES>;
// Per joint: travel at the start of the physics step, drive impulse of the small step.
var<private> s0: array<f32, JOINT_SLOTS>;
var<private> lDrive: array<f32, JOINT_SLOTS>;
var<private> numContacts: u32;
// Every shape as a box at its body's pose this physics step (placeShapes).
var<private> boxes: array<Box, NUM_SHAPES>;
// A contact of this physics step joins a free body to another free body or a link (a stack, a
// held object): the solves sweep more.
var<private> movingPair: bool;
// The contacts of the current physics step (written to the \`contacts\` buffer for readback after it).
var<private> C: array<SolverContact, CAPACITY>;
// Per contact: the motion of its point on side A relative to side B since the contacts were
// generated, at the poses the current pass solves at (updateDisplacements).
var<private> D: array<vec3f, CAPACITY>;

fn travel(j: u32) -> f32 {
  return J[j].x;
}

fn travelRate(j: u32) -> f32 {
  return J[j].y;
}

fn addTravelRate(j: u32, dv: f32) {
  J[j].y += dv;
}

fn inverseMass(i: u32) -> f32 {
  return M[i].x;
}

fn hand() -> SolverBody {
  return B[CONTROLLED_BODY];
}

// World direction of joint j's axis (its travel grows along it).
fn jointAxis(j: u32) -> vec3f {
  return axisW[j];
}

// Recomputes the joints' world axes from the controlled body's orientation.
fn updateAxes() {
  for (var j = 0u; j < NUM_JOINTS; j++) {
    axisW[j] = quatRotate(B[CONTROLLED_BODY].q, JOINT_AXIS[j]);
  }
}

// The body whose frame carries body i's contact points: the controlled body for itself and its links.
fn refBody(i: u32) -> u32 {
  let role = BODY_ROLE[i];
  return select(i, CONTROLLED_BODY, role == ROLE_LINK || role == ROLE_KINEMATIC);
}

// Sets every link's pose and velocity from the controlled body and its travel.
fn updateLinks() {
  let h = hand();
  for (var j = 0u; j < NUM_JOINTS; j++) {
    let q = quatMul(h.q, worldData[wd + NUM_BODIES + 2u * NUM_SHAPES + j]);
    let rel = quatRotate(h.q, JOINT_ANCHOR1[j] + JOINT_AXIS[j] * travel(j)) - quatRotate(q, JOINT_ANCHOR2[j]);
    let b = JOINT_BODY[j];
    B[b].x = h.x + rel;
    B[b].q = q;
    B[b].v = h.v + cross(h.w, rel) + jointAxis(j) * travelRate(j);
    B[b].w = h.w;
  }
}

// Places every shape's box at its body's current pose.
fn placeShapes() {
  for (var s = 0u; s < NUM_SHAPES; s++) {
    boxes[s] = shapeBox(s);
  }
}

// Shape s as a box at its body's current pose.
fn shapeBox(s: u32) -> Box {
  let b = B[SHAPE_BODY[s]];
  let d = wd + NUM_BODIES + 2u * s;
  return Box(b.x + quatRotate(b.q, worldData[d].xyz), quatToMat(b.q), worldData[d + 1u].xyz);
}

fn shapeFriction(s: u32) -> f32 {
  return worldData[wd + NUM_BODIES + 2u * s].w;
}

// Whether the bounding boxes of A and B, grown by \`margin\`, overlap.
fn boundsOverlap(a: Box, b: Box, margin: f32) -> bool {
  let ra = a.h.x * abs(a.r[0]) + a.h.y * abs(a.r[1]) + a.h.z * abs(a.r[2]);
  let rb = b.h.x * abs(b.r[0]) + b.h.y * abs(b.r[1]) + b.h.z * abs(b.r[2]);
  return all(abs(a.c - b.c) <= ra + rb + vec3f(margin));
}

// World inverse inertia R·I⁻¹·Rᵀ of every free body.
fn updateInertia() {
  for (var i = 0u; i < NUM_BODIES; i++) {
    if (BODY_ROLE[i] != ROLE_FREE) {
      continue;
    }
    let r = quatToMat(B[i].q);
    let d = M[i].yzw;
    let rd = mat3x3f(r[0] * d.x, r[1] * d.y, r[2] * d.z);
    invI[i] = rd * transpose(r);
  }
}

// Whether an impulse on body i along sign·n presses i, a link, against the stop it rests on.
fn pressesOnStop(i: u32, n: vec3f, sign: f32) -> bool {
  let j = BODY_JOINT[i];
  if (j < 0) {
    return false;
  }
  let ju = u32(j);
  let push = sign * dot(jointAxis(ju), n);
  let s = travel(ju);
  let limits = JOINT_LIMITS[ju];
  return (push < 0.0 && s <= limits.x + cfg.allowedError) || (push > 0.0 && s >= limits.y - cfg.allowedError);
}

// Entry (u, w) of one side's inverse effective mass.
fn sideInvMass(i: u32, r: vec3f, locked: bool, u: vec3f, w: vec3f) -> f32 {
  let role = BODY_ROLE[i];
  if (role == ROLE_FREE) {
    return dot(u, w) * inverseMass(i) + dot(cross(r, u), invI[i] * cross(r, w));
  }
  if (role == ROLE_LINK && !locked) {
    let ax = jointAxis(u32(BODY_JOINT[i]));
    return dot(ax, u) * dot(ax, w) * inverseMass(i);
  }
  return 0.0;
}

fn lockedA(c: SolverContact) -> bool {
  return (c.locked & 1u) != 0u;
}

fn lockedB(c: SolverContact) -> bool {
  return (c.locked & 2u) != 0u;
}

fn invEffectiveMass(c: SolverContact, u: vec3f, w: vec3f) -> f32 {
  return sideInvMass(c.a, c.rA, lockedA(c), u, w) + sideInvMass(c.b, c.rB, lockedB(c), u, w);
}

// Orthonormal tangents of unit normal n (as \`tangents\` in the TS spec).
fn tangent1(n: vec3f) -> vec3f {
  if (abs(n.x) < 0.57735) {
    return normalize(vec3f(0.0, n.z, -n.y));
  }
  return normalize(vec3f(n.y, -n.x, 0.0));
}

// Shape s as a cylinder (its box's pose; half extents (r, r, half height)).
fn cylinderOf(s: u32) -> Cylinder {
  let b = boxes[s];
  return Cylinder(b.c, b.r, b.h.x, b.h.z);
}

// Contacts between shapes a and b with the normal from b into a: two boxes, one on the top face of
// the other, take the fast path (collideBoxOnFace), other boxes the separating-axis search; a
// cylinder against a box or a cylinder its own colliders (collide-cylinder.wgsl). HAS_CYLINDERS
// (generated) lets a scene without cylinders compile without their branches.
fn collide(sa: u32, sb: u32, margin: f32) -> u32 {
  if (HAS_CYLINDERS) {
    let cylA = SHAPE_TYPE[sa] == SHAPE_CYLINDER;
    let cylB = SHAPE_TYPE[sb] == SHAPE_CYLINDER;
    if (cylA && cylB) {
      return collideCylinders(cylinderOf(sb), cylinderOf(sa), margin);
    }
    if (cylA) {
      return collideBoxCylinder(boxes[sb], cylinderOf(sa), margin);
    }
    if (cylB) {
      return collideCylinderBox(cylinderOf(sb), boxes[sa], margin);
    }
  }
  let a = boxes[sa];
  let b = boxes[sb];
  let onB = collideBoxOnFace(b, a, margin);
  if (onB >= 0) {
    return u32(onB);
  }
  let onA = collideBoxOnFace(a, b, margin);
  if (onA >= 0) {
    manifold.n = -manifold.n;
    return u32(onA);
  }
  return collideBoxes(b, a, margin);
}

// Whether a contact between bodies a and b joins a free body to another free body or a link.
fn joinsMovingBodies(a: u32, b: u32) -> bool {
  return (BODY_ROLE[a] == ROLE_FREE && BODY_ROLE[b] >= ROLE_LINK) || (BODY_ROLE[b] == ROLE_FREE && BODY_ROLE[a] >= ROLE_LINK);
}

fn generateContacts() {
  updateLinks();
  updateInertia();
  placeShapes();
  numContacts = 0u;
  movingPair = false;
  var overflow = false;
  let margin = cfg.predictionDistance;
  for (var k = 0u; k < NUM_PAIRS; k++) {
    let sa = PAIR_A[k];
    let sb = PAIR_B[k];
    let boxA = boxes[sa];
    let boxB = boxes[sb];
    if (!boundsOverlap(boxA, boxB, margin)) {
      continue;
    }
    let count = collide(sa, sb, margin);
    let fa = shapeFriction(sa);
    let fb = shapeFriction(sb);
    let mu = select(0.5 * (fa + fb), max(fa, fb), SHAPE_FRICTION_MAX[sa] != 0u || SHAPE_FRICTION_MAX[sb] != 0u);
    let a = SHAPE_BODY[sa];
    let b = SHAPE_BODY[sb];
    let refA = B[refBody(a)];
    let refB = B[refBody(b)];
    for (var i = 0u; i < count; i++) {
      if (numContacts == cfg.capacity) {
        overflow = true;
        break;
      }
      var c: SolverContact;
      c.pair = k;
      c.a = a;
      c.b = b;
      c.n = manifold.n;
      c.t1 = tangent1(c.n);
      c.t2 = cross(c.n, c.t1);
      c.p = manifold.p[i];
      c.rA = c.p - refA.x;
      c.rB = c.p - refB.x;
      c.localA = quatRotate(quatConj(refA.q), c.rA);
      c.localB = quatRotate(quatConj(refB.q), c.rB);
      c.d0 = manifold.d[i];
      c.mu = mu;
      c.locked = select(0u, 1u, pressesOnStop(a, c.n, 1.0)) | select(0u, 2u, pressesOnStop(b, c.n, -1.0));
      c.kN = invEffectiveMass(c, c.n, c.n);
      c.kT1 = invEffectiveMass(c, c.t1, c.t1);
      c.kT2 = invEffectiveMass(c, c.t2, c.t2);
      c.kT12 = invEffectiveMass(c, c.t1, c.t2);
      c.anchor = vec3f(0.0);
      c.lN = 0.0;
      c.lT1 = 0.0;
      c.lT2 = 0.0;
      movingPair = movingPair || joinsMovingBodies(a, b);
      C[numContacts] = c;
      numContacts++;
    }
  }
  worlds[worldIndex].flags = select(worlds[worldIndex].flags & ~SCENE_FLAG_OVERFLOW, worlds[worldIndex].flags | SCENE_FLAG_OVERFLOW, overflow);
}

// Each contact starts from the impulses of the cached contact of its pair nearest to its point.
fn matchCache() {
  let cached = worlds[worldIndex].contactCount;
  let r2 = cfg.warmStartRadius * cfg.warmStartRadius;
  for (var i = 0u; i < numContacts; i++) {
    let c = C[i];
    var bestD = r2;
    var best = -1;
    for (var j = 0u; j < cached; j++) {
      let e = cache[wk + j];
      if (e.pair != c.pair) {
        continue;
      }
      let d = e.local - c.localA;
      let d2 = dot(d, d);
      if (d2 < bestD) {
        bestD = d2;
        best = i32(j);
      }
    }
    if (best >= 0) {
      let impulse = cache[wk + u32(best)].impulse;
      C[i].lN = impulse.x;
      C[i].lT1 = impulse.y;
      C[i].lT2 = impulse.z;
    }
  }
}

// Velocity of the point of body i at lever r.
fn sideVelocity(i: u32, r: vec3f) -> vec3f {
  let role = BODY_ROLE[i];
  if (role == ROLE_STATIC) {
    return vec3f(0.0);
  }
  let carrier = refBody(i);
  var vel = B[carrier].v + cross(B[carrier].w, r);
  if (role == ROLE_LINK) {
    let j = u32(BODY_JOINT[i]);
    vel += jointAxis(j) * travelRate(j);
  }
  return vel;
}

// Velocity of contact i's point on side A relative to side B.
fn relativeVelocity(i: u32) -> vec3f {
  return sideVelocity(C[i].a, C[i].rA) - sideVelocity(C[i].b, C[i].rB);
}

// Applies impulse p to body i (a free body, or a link its stop does not hold).
fn applySide(i: u32, r: vec3f, locked: bool, p: vec3f) {
  let role = BODY_ROLE[i];
  if (role == ROLE_FREE) {
    B[i].v += p * inverseMass(i);
    B[i].w += invI[i] * cross(r, p);
  } else if (role == ROLE_LINK && !locked) {
    let j = u32(BODY_JOINT[i]);
    addTravelRate(j, dot(jointAxis(j), p) * inverseMass(i));
  }
}

// Applies impulse p to contact i's side A and −p to its side B.
fn applyImpulse(i: u32, p: vec3f) {
  let locked = C[i].locked;
  applySide(C[i].a, C[i].rA, (locked & 1u) != 0u, p);
  applySide(C[i].b, C[i].rB, (locked & 2u) != 0u, -p);
}

// Motion since the contacts were generated of the point body i carries at lever r.
fn sideDisplacement(i: u32, r: vec3f, local: vec3f, elapsed: f32) -> vec3f {
  let role = BODY_ROLE[i];
  if (role == ROLE_STATIC) {
    return vec3f(0.0);
  }
  let carrier = refBody(i);
  let b = B[carrier];
  if (role == ROLE_FREE) {
    return quatRotate(b.q, local) + b.x - x0[carrier] - r;
  }
  var out = b.x - x0[carrier] + cross(b.w, r) * elapsed;
  if (role == ROLE_LINK) {
    let j = u32(BODY_JOINT[i]);
    out += jointAxis(j) * (travel(j) - s0[j]);
  }
  return out;
}

// Motion of contact i's point on side A relative to side B since the contacts were generated.
fn relativeDisplacement(i: u32, elapsed: f32) -> vec3f {
  return sideDisplacement(C[i].a, C[i].rA, C[i].localA, elapsed) - sideDisplacement(C[i].b, C[i].rB, C[i].localB, elapsed);
}

// D[i] for every contact at the current poses, \`elapsed\` after the contacts were generated
// (positions do not change during a pass's sweeps).
fn updateDisplacements(elapsed: f32) {
  for (var i = 0u; i < numContacts; i++) {
    D[i] = relativeDisplacement(i, elapsed);
  }
}

fn applyWarmStart() {
  for (var i = 0u; i < numContacts; i++) {
    let p = C[i].n * C[i].lN + C[i].t1 * C[i].lT1 + C[i].t2 * C[i].lT2;
    if (any(p != vec3f(0.0))) {
      applyImpulse(i, p);
    }
  }
}

// Contact i's normal row (non-penetration, with the soft position bias in the biased pass).
fn solveNormal(i: u32, h: f32, bias: bool) {
  let kN = C[i].kN;
  if (kN <= 1e-12) {
    return;
  }
  let n = C[i].n;
  let lN = C[i].lN;
  let d = C[i].d0 + dot(D[i], n);
  var rhs = max(d, 0.0) / h;
  if (bias) {
    rhs += max(cfg.erpInvDt * min(d + cfg.allowedError, 0.0), -cfg.maxCorrectiveVelocity);
  }
  let dvel = dot(relativeVelocity(i), n) + rhs;
  var lNew = max(lN - dvel / kN, 0.0);
  if (bias && d + cfg.allowedError < 0.0) {
    lNew *= cfg.cfmFactor;
  }
  if (lNew != lN) {
    applyImpulse(i, n * (lNew - lN));
  }
  C[i].lN = lNew;
}

// Contact i's Coulomb friction: one 2D row in the tangent plane, clamped to the disk of radius
// μ·λn; the biased pass also pulls the points back together since the step began or the contact
// last slid.
fn solveFriction(i: u32, h: f32, bias: bool) {
  if (C[i].kN <= 1e-12) {
    return;
  }
  let t1v = C[i].t1;
  let t2v = C[i].t2;
  let kT1 = C[i].kT1;
  let kT2 = C[i].kT2;
  let kT12 = C[i].kT12;
  let lT1 = C[i].lT1;
  let lT2 = C[i].lT2;
  let limit = C[i].mu * C[i].lN;
  var slip = relativeVelocity(i);
  if (bias) {
    slip += (D[i] - C[i].anchor) / h;
  }
  let s1 = dot(slip, t1v);
  let s2 = dot(slip, t2v);
  var e1 = s1;
  var e2 = s2;
  if (BODY_ROLE[C[i].a] != ROLE_FREE && BODY_ROLE[C[i].b] != ROLE_FREE) {
    e1 = select(kT12, kT1, kT1 >= kT2);
    e2 = select(kT2, kT12, kT1 >= kT2);
  }
  let ke = e1 * e1 * kT1 + 2.0 * e1 * e2 * kT12 + e2 * e2 * kT2;
  var step = 0.0;
  if (ke > 1e-12 * (e1 * e1 + e2 * e2)) {
    step = (e1 * s1 + e2 * s2) / ke;
  }
  let t1 = lT1 - step * e1;
  let t2 = lT2 - step * e2;
  let mag = sqrt(t1 * t1 + t2 * t2);
  var scale = 1.0;
  if (mag > limit) {
    scale = limit / mag;
    if (!bias) {
      C[i].anchor = D[i];
    }
  }
  let n1 = t1 * scale;
  let n2 = t2 * scale;
  let p = t1v * (n1 - lT1) + t2v * (n2 - lT2);
  if (any(p != vec3f(0.0))) {
    applyImpulse(i, p);
  }
  C[i].lT1 = n1;
  C[i].lT2 = n2;
}

// One pass over the contacts, manifold by manifold (the contacts of a pair are consecutive):
// every normal row of the manifold, then every friction row (see the TS spec).
fn solveContacts(h: f32, bias: bool) {
  var first = 0u;
  while (first < numContacts) {
    let pair = C[first].pair;
    var end = first + 1u;
    while (end < numContacts && C[end].pair == pair) {
      end++;
    }
    for (var i = first; i < end; i++) {
      solveNormal(i, h, bias);
    }
    for (var i = first; i < end; i++) {
      solveFriction(i, h, bias);
    }
    first = end;
  }
}

// Joint drives and travel limits: rows on each link's own coordinate.
fn solveJoints(h: f32, bias: bool) {
  let servo = worlds[worldIndex].driveTarget;
  for (var j = 0u; j < NUM_JOINTS; j++) {
    let invM = inverseMass(JOINT_BODY[j]);
    let k = JOINT_STIFFNESS[j];
    let damping = JOINT_DAMPING[j];
    let erpInvDt = k / (h * k + damping);
    let cfm = 1.0 / (h * h * k + h * damping);
    let dvel = travelRate(j) + erpInvDt * (travel(j) - servo) + cfm * lDrive[j];
    let lNew = clamp(lDrive[j] - dvel / (invM + cfm), -cfg.driveMaxImpulse, cfg.driveMaxImpulse);
    addTravelRate(j, (lNew - lDrive[j]) * invM);
    lDrive[j] = lNew;
    let limits = JOINT_LIMITS[j];
    for (var side = 0u; side < 2u; side++) {
      let sign = select(-1.0, 1.0, side == 0u);
      let dist = select(limits.y - travel(j), travel(j) - limits.x, side == 0u);
      var rhs = 0.0;
      if (dist > 0.0 || bias) {
        rhs = dist / h;
      }
      let lambda = max(-(sign * travelRate(j) + rhs) / invM, 0.0);
      if (lambda > 0.0) {
        addTravelRate(j, sign * lambda * invM);
      }
    }
  }
}

fn applyGravity(h: f32) {
  for (var i = 0u; i < NUM_BODIES; i++) {
    if (BODY_ROLE[i] == ROLE_FREE) {
      B[i].v.z += GRAVITY * h;
    }
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    addTravelRate(j, GRAVITY * jointAxis(j).z * h);
  }
}

fn integrate(h: f32) {
  for (var i = 0u; i < NUM_BODIES; i++) {
    let role = BODY_ROLE[i];
    if (role != ROLE_FREE && role != ROLE_KINEMATIC) {
      continue;
    }
    let b = B[i];
    B[i].x = b.x + b.v * h;
    B[i].q = integrateRotation(b.q, b.w, h);
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    J[j].x += J[j].y * h;
  }
  updateAxes();
}

// Saves the warm-start cache and the contact queries' impulses; leaves each contact's point
// carried with side A and its separation at the end of the step for readback.
fn saveCache(dt: f32) {
  worlds[worldIndex].contactCount = numContacts;
  for (var q = 0u; q < NUM_QUERIES; q++) {
    coords[wc + 2u * NUM_JOINTS + q] = 0.0;
  }
  for (var i = 0u; i < numContacts; i++) {
    let c = C[i];
    cache[wk + i] = CacheEntry(c.localA, c.pair, vec3f(c.lN, c.lT1, c.lT2));
    for (var q = 0u; q < NUM_QUERIES; q++) {
      let x = QUERY_A[q];
      let y = QUERY_B[q];
      if ((x == c.a && y == c.b) || (x == c.b && y == c.a)) {
        let o = wc + 2u * NUM_JOINTS + q;
        coords[o] = max(coords[o], c.lN);
      }
    }
    var out = c;
    out.p = c.p + sideDisplacement(c.a, c.rA, c.localA, dt);
    out.d0 = c.d0 + dot(relativeDisplacement(i, dt), c.n);
    contacts[wk + i] = out;
  }
}

// The common target of the agent's joint drives: the command, within SERVO_REACH of the two
// joints' mean travel (agents/parallel-gripper/drive.ts); the command itself otherwise.
fn updateDriveTarget() {
  let commanded = drives[worldIndex].commanded;
  var servo = commanded;
  if (NUM_JOINTS == 2u) {
    let mean = 0.5 * (travel(0u) + travel(1u));
    servo = clamp(commanded, mean - SERVO_REACH, mean + SERVO_REACH);
  }
  worlds[worldIndex].driveTarget = servo;
}

// Starts a physics step's solve at the current poses (the contacts generated at them): the
// positions and travels displacements are measured from, and the sweeps per pass.
fn beginPhysicsStep() -> u32 {
  for (var i = 0u; i < NUM_BODIES; i++) {
    x0[i] = B[i].x;
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    s0[j] = travel(j);
  }
  return select(cfg.pgsIterations, max(cfg.pgsIterations, cfg.movingPairPgsIterations), movingPair);
}

// \`sweeps\` sweeps over the joint rows and the contact rows.
fn solvePass(h: f32, sweeps: u32, bias: bool) {
  for (var k = 0u; k < sweeps; k++) {
    solveJoints(h, bias);
    solveContacts(h, bias);
  }
}

// Small step \`it\`, first half: gravity, warm start, the biased solve.
fn biasedSolve(it: u32, sweeps: u32) {
  let h = cfg.h;
  applyGravity(h);
  for (var j = 0u; j < NUM_JOINTS; j++) {
    lDrive[j] = 0.0;
  }
  applyWarmStart();
  updateDisplacements(f32(it) * h);
  solvePass(h, sweeps, true);
}

// Small step \`it\`, second half: position integration, the unbiased stabilization solve.
fn stabilize(it: u32, sweeps: u32) {
  let h = cfg.h;
  integrate(h);
  updateDisplacements(f32(it) * h + h);
  solvePass(h, sweeps, false);
}

fn physicsStep() {
  generateContacts();
  matchCache();
  let sweeps = beginPhysicsStep();
  for (var it = 0u; it < cfg.iterations; it++) {
    biasedSolve(it, sweeps);
    stabilize(it, sweeps);
  }
  saveCache(cfg.dt);
}

// One control step: the controlled body moves from the world's \`from\` pose to its \`to\` pose in
// \`substeps\` equal physics steps, landing exactly on each intermediate target.
fn stepControl() {
  let w = drives[worldIndex];
  let hb = CONTROLLED_BODY;
  let dt = cfg.dt;
  for (var k = 1u; k <= cfg.substeps; k++) {
    let f = f32(k) / f32(cfg.substeps);
    let goal = w.fromPos + (w.toPos - w.fromPos) * f;
    let tq = quatNlerp(w.fromQuat, w.toQuat, f);
    B[hb].v = (goal - B[hb].x) / dt;
    B[hb].w = angularVelocityBetween(B[hb].q, tq, dt);
    updateDriveTarget();
    physicsStep();
    B[hb].x = goal;
    B[hb].q = tq;
    updateAxes();
  }
  updateLinks();
}
`,
  },
  'scene-stages': {
    file: 'scene-stages.wgsl',
    requires: ["quat","collide","scene-bindings","scene-solver"],
    structs: [],
    fragment: false,
    source: `// The scene solver's stages as kernels of their own, for the tests that run each stage from the
// same inputs as its TS specification (\`SolverSpecWorld\`'s stage methods), so that a divergence
// names its stage. Each reads its inputs from the buffers and writes its outputs back, one
// invocation per world; the stages in order reproduce the first small step of a physics step
// as \`physicsStep\` runs it:
//   stageContacts   the links placed on the hand, broad phase, narrow phase → \`contacts\`
//   stageMatch      each contact's warm-start impulses from the \`cache\`
//   stageSolve      gravity, warm start, the biased solve (joint drives and limits, contacts)
//   stageStabilize  position integration, the unbiased solve
// \`stageIo\` holds per world the number of rows of \`contacts\` in use and the joint drives'
// impulses of the small step (which the biased solve accumulates and stabilization reads).
// #requires quat
// #requires collide
// #requires scene-bindings
// #requires scene-solver

@group(0) @binding(8) var<storage, read_write> stageIo: array<f32>;

const STAGE_IO_STRIDE: u32 = 1u + JOINT_SLOTS;

fn loadContacts() {
  let o = worldIndex * STAGE_IO_STRIDE;
  numContacts = u32(stageIo[o]);
  movingPair = false;
  for (var i = 0u; i < numContacts; i++) {
    C[i] = contacts[wk + i];
    movingPair = movingPair || joinsMovingBodies(C[i].a, C[i].b);
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    lDrive[j] = stageIo[o + 1u + j];
  }
}

// Makes the invocation's world current (loading its bodies and joints); false past the last world.
fn enterWorld(gid: vec3u, groups: vec3u) -> bool {
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds) {
    return false;
  }
  loadWorld(world);
  return true;
}

fn storeContacts() {
  let o = worldIndex * STAGE_IO_STRIDE;
  stageIo[o] = f32(numContacts);
  for (var i = 0u; i < numContacts; i++) {
    contacts[wk + i] = C[i];
  }
  for (var j = 0u; j < NUM_JOINTS; j++) {
    stageIo[o + 1u + j] = lDrive[j];
  }
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageContacts(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  generateContacts();
  storeContacts();
  storeWorld();
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageMatch(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  loadContacts();
  matchCache();
  storeContacts();
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageSolve(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  loadContacts();
  updateInertia();
  biasedSolve(0u, beginPhysicsStep());
  storeContacts();
  storeWorld();
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stageStabilize(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  if (!enterWorld(gid, groups)) {
    return;
  }
  loadContacts();
  updateInertia();
  stabilize(0u, beginPhysicsStep());
  storeContacts();
  storeWorld();
}
`,
  },
  'scene-step': {
    file: 'scene-step.wgsl',
    requires: ["quat","collide","scene-bindings","scene-solver"],
    structs: [],
    fragment: false,
    source: `// Entry point of the scene solver: \`stepScene\` advances every world by one control step (the
// controlled body from the world's \`from\` to its \`to\` pose, \`substeps\` physics steps) and flags
// a world that blew up (non-finite or beyond the fault limits); a flagged world is not stepped
// again until the host resets it. The host runs the controller and the task (reset, evaluate,
// observe, reward) and writes each world's Data and start state. One invocation per world
// (world = linear invocation index over x and y); dispatch ceil(numWorlds / WORKGROUP_SIZE)
// workgroups. The topology constants (NUM_BODIES, BODY_ROLE, PAIR_A, …) are generated per task.
// #requires quat
// #requires collide
// #requires scene-bindings
// #requires scene-solver

fn finite3(v: vec3f) -> bool {
  let e = bitcast<vec3u>(v) & vec3u(0x7f800000u);
  return all(e != vec3u(0x7f800000u));
}

// Whether every body and joint of the world is finite and within the fault limits.
fn healthy() -> bool {
  for (var i = 0u; i < NUM_BODIES; i++) {
    let b = B[i];
    if (!finite3(b.x) || !finite3(b.q.xyz) || !finite3(vec3f(b.q.w)) || !finite3(b.v) || !finite3(b.w)) {
      return false;
    }
    if (length(b.v) > cfg.maxLinearSpeed || length(b.w) > cfg.maxAngularSpeed) {
      return false;
    }
  }
  return true;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stepScene(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds || (worlds[world].flags & SCENE_FLAG_FAULT) != 0u) {
    return;
  }
  loadWorld(world);
  stepControl();
  storeWorld();
  if (!healthy()) {
    worlds[world].flags |= SCENE_FLAG_FAULT;
  }
}
`,
  },
  'sim-step': {
    file: 'sim-step.wgsl',
    requires: ["hash-prng","quat","collide","gripper-physics","ee-controller","pick-place-task"],
    structs: ["SimConfig","WorldState","CacheEntry","WorldOutput"],
    fragment: false,
    source: `// Entry points of the WebGPU backend: \`resetWorlds\` starts new episodes in the worlds whose
// \`resetEpisodes\` entry is not KEEP_WORLD; \`stepWorlds\` advances every world whose \`holds\`
// entry is 0 by one control step (controller, physics substeps, fault check and reset,
// evaluation, observation) and leaves the others exactly as they are.
// One invocation per world (world = linear invocation index over x and y); dispatch
// ceil(numWorlds / WORKGROUP_SIZE) workgroups.
// #requires hash-prng
// #requires quat
// #requires collide
// #requires gripper-physics
// #requires ee-controller
// #requires pick-place-task
// #struct SimConfig
// #struct WorldState
// #struct CacheEntry
// #struct WorldOutput

// Invocations (worlds) per workgroup: a pipeline-overridable constant, 1..256 (the host
// dispatches ceil(numWorlds / WORKGROUP_SIZE) workgroups; 1 = one world per workgroup).
override WORKGROUP_SIZE: u32 = 64u;

// A resetEpisodes entry equal to this leaves the world as it is.
const KEEP_WORLD: u32 = 0xffffffffu;

// Output flag of a step whose action had a non-finite entry (bit OUTPUT_FLAGS.actionRejected = 13).
const ACTION_REJECTED_FLAG: u32 = 1u << 13u;

@group(0) @binding(0) var<uniform> cfg: SimConfig;
// numParams + 1 entries, f32-rounded: entry id < numParams is parameter id's range at grade 0
// (min, max) and at grade 1 (min, max); entry numParams says how the grade t is drawn:
// (min, max, 0, -) for t = clamp(U(min, max), 0, 1), (-, -, 1, weight) for t = 1 with
// probability weight, else 0. An ungraded randomization has equal ranges at both grades.
@group(0) @binding(1) var<storage, read> ranges: array<vec4f>;
// 7 floats per world.
@group(0) @binding(2) var<storage, read> actions: array<f32>;
// numParams floats per world: the parameters of the current episode.
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> states: array<WorldState>;
// MAX_CONTACTS entries per world.
@group(0) @binding(5) var<storage, read_write> cacheBuf: array<CacheEntry>;
@group(0) @binding(6) var<storage, read_write> outputs: array<WorldOutput>;
@group(0) @binding(7) var<storage, read> resetEpisodes: array<vec2u>;
// One u32 per world: nonzero holds the world still through \`stepWorlds\` (no physics, its
// output row unchanged). Written by kernels fused into the step loop (Sim.gpuAccess); the
// host's own steps clear it first.
@group(0) @binding(8) var<storage, read> holds: array<u32>;

fn isFinite3(v: vec3f) -> bool {
  let e = bitcast<vec3u>(v) & vec3u(0x7f800000u);
  return all(e != vec3u(0x7f800000u));
}

// PRNG parameter id of the grade draw (GRADE_DRAW_ID in pick-place/params.ts).
const GRADE_DRAW_ID: u32 = 0x100u;

// a + (b - a) * t, each operation rounded, and b at t = 1 (TS lerpF32): exactly a at t = 0
// or when a == b.
fn lerpF32(a: f32, b: f32, t: f32) -> f32 {
  return select(a + noContract((b - a) * t, cfg.opaqueZero), b, t >= 1.0);
}

// Draws the parameters of (episode, key) into world \`world\`'s row and starts the world from them:
// first the world's grade t in [0, 1], then each parameter over its range
// interpolated to t (drawPickPlaceParams, bit for bit).
fn startEpisode(world: u32, episode: u32, key: u32) {
  var p: array<f32, 16>;
  let row = world * cfg.numParams;
  let g = ranges[cfg.numParams];
  let mixed = select(0.0, 1.0, uniform01(cfg.seed, episode, key, GRADE_DRAW_ID) < g.w);
  let graded = clamp(uniformRange(g.x, g.y, cfg.seed, episode, key, GRADE_DRAW_ID, cfg.opaqueZero), 0.0, 1.0);
  let t = select(graded, mixed, g.z == 1.0);
  for (var id = 0u; id < cfg.numParams; id++) {
    let r = ranges[id];
    let lo = lerpF32(r.x, r.z, t);
    let hi = lerpF32(r.y, r.w, t);
    let v = uniformRange(lo, hi, cfg.seed, episode, key, id, cfg.opaqueZero);
    params[row + id] = v;
    p[id] = v;
  }
  initWorld(p);
  outputs[world].episode = episode;
  outputs[world].stepCount = 0u;
  outputs[world].worldKey = key;
}

// Evaluates and observes \`S\`, then stores it and the world's output row.
fn finishWorld(world: u32, fault: bool) {
  let signals = evaluateWorld();
  let success = (signals & 1u) != 0u;
  var flags = signals << 4u;
  flags |= select(0u, 1u, success) | select(0u, 2u, success);
  flags |= select(0u, 4u, outputs[world].stepCount >= cfg.maxEpisodeSteps);
  flags |= select(0u, 8u, fault);
  flags |= S.overflow << 12u;
  outputs[world].flags = flags;
  outputs[world].reward = rewardWorld(signals);
  observeWorld(world);
  states[world] = S;
}

fn worldOf(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WORKGROUP_SIZE;
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn resetWorlds(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds) {
    return;
  }
  let reset = resetEpisodes[world];
  if (reset.x == KEEP_WORLD) {
    return;
  }
  worldIndex = world;
  startEpisode(world, reset.x, reset.y);
  finishWorld(world, false);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn stepWorlds(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let world = worldOf(gid, groups);
  if (world >= cfg.numWorlds || holds[world] != 0u) {
    return;
  }
  worldIndex = world;
  S = states[world];
  let fromPos = S.targetPos;
  let fromQuat = S.targetQuat;
  let a = world * 7u;
  let posAction = vec3f(actions[a], actions[a + 1u], actions[a + 2u]);
  let rotAction = vec3f(actions[a + 3u], actions[a + 4u], actions[a + 5u]);
  let gripperAction = actions[a + 6u];
  // The host rejects non-finite actions before uploading them, but actions written on the GPU
  // (Sim.gpuAccess) arrive unchecked: such an action is dropped (the controller keeps its
  // target, a hold) and flagged (ACTION_REJECTED_FLAG), so it cannot poison the world.
  let actionOk = isFinite3(posAction) && isFinite3(rotAction) && isFinite3(vec3f(gripperAction, 0.0, 0.0));
  if (actionOk) {
    applyAction(posAction, rotAction, gripperAction, cfg.absoluteActions != 0u);
  }
  stepControl(fromPos, fromQuat);
  let ok = isFinite3(S.cubePos) && isFinite3(S.cubeVel) && isFinite3(S.cubeAngVel)
        && isFinite3(vec3f(S.travel, S.travelSpeed.x)) && isFinite3(vec3f(S.travelSpeed.y, 0.0, 0.0))
        && length(S.cubeVel) <= FAULT_MAX_LINEAR_SPEED && length(S.cubeAngVel) <= FAULT_MAX_ANGULAR_SPEED
        && abs(S.travelSpeed.x) <= FAULT_MAX_LINEAR_SPEED && abs(S.travelSpeed.y) <= FAULT_MAX_LINEAR_SPEED;
  if (ok) {
    outputs[world].stepCount += 1u;
    finishWorld(world, false);
  } else {
    // Blown up: start the world's next episode and flag it.
    startEpisode(world, outputs[world].episode + 1u, outputs[world].worldKey);
    finishWorld(world, true);
  }
  if (!actionOk) {
    outputs[world].flags |= ACTION_REJECTED_FLAG;
  }
}
`,
  },
} as const satisfies Record<string, WgslSourceEntry>;
