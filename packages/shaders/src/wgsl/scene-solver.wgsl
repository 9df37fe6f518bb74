// The scene solver's physics: the WGSL twin of
// packages/sim-core/src/backends/webgpu/solver/solver-spec-world.ts — read its header for the
// model (the controlled body kinematic, links on its prismatic joints with one coordinate each,
// free bodies, static bodies) and the solver (Rapier's soft-constraint TGS with warm starting).
// Nothing here names a task: the topology comes from the generated constants (NUM_BODIES,
// BODY_ROLE, PAIR_A, …; see sim-core's scene-model-wgsl.ts), the per-world numbers from the
// buffers of scene-bindings.wgsl. Works on world `worldIndex` through the bases `wb`, `wd`,
// `wc` and `wk` that its loadWorld sets.
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
// The contacts of the current physics step (written to the `contacts` buffer for readback after it).
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

// Whether the bounding boxes of A and B, grown by `margin`, overlap.
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

// Orthonormal tangents of unit normal n (as `tangents` in the TS spec).
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

// D[i] for every contact at the current poses, `elapsed` after the contacts were generated
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

// `sweeps` sweeps over the joint rows and the contact rows.
fn solvePass(h: f32, sweeps: u32, bias: bool) {
  for (var k = 0u; k < sweeps; k++) {
    solveJoints(h, bias);
    solveContacts(h, bias);
  }
}

// Small step `it`, first half: gravity, warm start, the biased solve.
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

// Small step `it`, second half: position integration, the unbiased stabilization solve.
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

// One control step: the controlled body moves from the world's `from` pose to its `to` pose in
// `substeps` equal physics steps, landing exactly on each intermediate target.
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
