// The pick-place world's physics: the WGSL twin of
// packages/sim-core/src/backends/webgpu/reference/gripper-world.ts — read its header for
// the model (kinematic hand, one-degree-of-freedom fingers, free cube, static table and bin)
// and the solver (Rapier's soft-constraint TGS: contacts once per physics step, warm start,
// `iterations` small steps each with a biased solve, position integration and an unbiased
// stabilization solve). Works on the private world `S` of the invocation; reads the uniform
// `cfg`, the geometry constants `G_*` (generated from PICK_PLACE_GEOMETRY) and the
// warm-start cache rows of world `worldIndex` in `cacheBuf`.
// #requires quat
// #requires collide
// #struct WorldState
// #struct CacheEntry
// #struct SimConfig
// #fragment (uses the module-scope `S` and `cfg` of sim-step)

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
  // Drift of the contact points (as in `displacement`) when the contact last slid this step.
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

// Combined friction (Rapier's rules: `max` when a finger pad is involved, else the average).
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

// Whether `body` is a finger that moves along its travel in contact c's rows.
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
// in `substeps` physics steps.
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
