// Contact generation for solid cylinders against oriented boxes and against each other: the WGSL
// twin of packages/sim-core/src/backends/webgpu/reference/collide-cylinder.ts (read its header
// for the algorithm: separating-axis search with the exact projected radii over closed-form
// candidates, 1-D searches and Newton steps; then a face clip or line/point contacts). Results go
// to collide.wgsl's private `manifold` (normal from shape A to shape B, points midway between the
// surfaces, signed separations, at most 4 points); clipA/clipB are its clipping buffers. Its own
// private memory is about 0.5 KB (the pair, the search state, 8 side planes).
// Library module: `// #requires collide-cylinder`.
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

// Gap along x if it beats `current` (the axis goes to cylLastDir); returns the larger gap.
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

// Best gap over the axes from point `pt` to cylinder `cy`'s side and to its rims (nearest and
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

// Candidate axes of a box (A) and a cylinder (B); true when more than `margin` apart.
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

// Candidate axes of two cylinders; true when more than `margin` apart.
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

// Normal search; writes manifold.n (from A to B); false when farther than `margin`.
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

// Contacts between box `box` (A) and cylinder `cyl` (B) within `margin`; normal from the box.
fn collideBoxCylinder(box: Box, cyl: Cylinder, margin: f32) -> u32 {
  cylKind = 0u;
  cylBox = box;
  return cylCollidePair(box.c, cyl, margin);
}

// Contacts between cylinder `cyl` (A) and box `box` (B) within `margin`; normal from the cylinder.
fn collideCylinderBox(cyl: Cylinder, box: Box, margin: f32) -> u32 {
  let count = collideBoxCylinder(box, cyl, margin);
  manifold.n = -manifold.n;
  return count;
}

// Contacts between cylinders a and b within `margin`; normal from a to b.
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

// The feature of `cy` facing −refN, in clipA: its cap as rim points from the deepest (axis within
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

// Feature of cylinder `cy` in direction d: its side line when the axis is within CYL_SIDE_SIN of
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

// Feature of `box` in direction n: the edge along the axis within CYL_SIDE_SIN of perpendicular,
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

// Writes contact i between pa (on A) and pb (on B) when within `margin`; returns the new count.
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
