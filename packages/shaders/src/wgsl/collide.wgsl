// Contact generation for oriented boxes: the WGSL twin of
// packages/sim-core/src/backends/webgpu/reference/collide.ts (read its header for the
// algorithm: parry-style SAT over 15 axes, incident-face clipping, edge–edge closest
// points, box–plane corners, reduction to 4 points). Results go to the private `manifold`.
// Library module: `// #requires collide`.

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

// Contacts between boxes a and b within `margin`; returns the number of points.
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

// Face contact with reference box `ref` (face axis i) and incident box `inc`; sign = 1
// when `ref` is shape A of the manifold.
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

// Writes the points of clipA (n points) within `margin` above the plane p·refN = refPlane to the
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

// Contacts between box b and the plane z = 0 (normal +z): corners within `margin`.
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
