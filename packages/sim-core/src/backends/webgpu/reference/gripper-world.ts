/**
 * The pick-place world as the WGSL backend simulates it, in plain TypeScript: the
 * reference the WGSL kernels are checked against, and their specification.
 *
 * Model. The hand is kinematic (it follows the controller's target). Each finger is one
 * degree of freedom — its travel along the hand's closing axis — so a finger moves with the
 * hand except along that axis, as the rotation-locked, prismatic-jointed fingers of the
 * Rapier backend do (reduced coordinates instead of a joint constraint). The cube is a free
 * rigid body. Table (the plane z = 0) and bin walls are static.
 *
 * Solver: Rapier's soft-constraint TGS. Each physics step (1 / (controlHz · substeps) s)
 * generates contacts once, matches them with the previous step's (warm-start cache), then runs
 * `solverIterations` small steps of h = dt / solverIterations, each: apply gravity, re-apply
 * each contact's impulses of the previous small step (warm start), solve the constraints with
 * the soft position bias (contacts with Coulomb friction, joint limits, the finger drives),
 * integrate positions, and solve again without bias (stabilization). Impulses, friction limits
 * and the drives' force limits are per small step, as in Rapier. Contact separations are updated
 * from the bodies' motion between small steps; speculative contacts (separation up to the
 * prediction distance) let bodies close the gap but not cross it. The biased friction rows also
 * undo the tangential drift of the two contact points since the step began, or since the contact
 * last slid (Rapier's tangential position bias, re-anchored where the contact slips), so static
 * friction holds a grasp without creep and a sliding cube is not pulled back when it stops.
 *
 * Three details keep resting and sliding bodies true to mechanics (each measured against the
 * rest / slide / push scenarios of test/webgpu-rest-slide.test.ts):
 * - The contact softness (Rapier's cfm factor) acts only together with the position bias, beyond
 *   the allowed penetration. Inside that band a contact has no bias, and a softened impulse there
 *   let every resting body sink through the band at ~0.1 mm/s (Rapier's bodies stop by falling
 *   asleep). The price: a tilt within the band is kept instead of sinking out, so a cube kicked
 *   askew within it keeps uneven corner loads.
 * - Friction is solved in the contact's tangent plane as one 2D row (Rapier's coupled tangent
 *   solve): the impulse opposes the slip itself. Two independent rows, each scaled by its own
 *   effective mass, skewed a sliding cube's friction toward one tangent axis and turned it.
 * - A finger that a contact presses against its travel stop moves with the hand in that
 *   contact's rows. Solved one row after another, the light finger otherwise gave way under each
 *   point of a pad manifold in turn, the first point took most of the load and a pushed cube veered.
 */
import {
  quatFromRotationVector,
  quatFromYaw,
  quatMultiply,
  quatNlerp,
  quatNormalize,
  quatRotate,
  quatToRotationVector,
} from '../../../math/quat.js';
import { BODY_STATE_SIZE } from '../../../scene/scene-desc.js';
import type { PhysicsSettings } from '../../rapier/physics-settings.js';
import { PICK_PLACE_GEOMETRY as G } from '../../../tasks/pick-place/geometry.js';
import { P } from '../../../tasks/pick-place/params.js';
import { commandedTravel, gripperServoTarget } from '../../../agents/parallel-gripper/drive.js';
import { BODY } from '../../../tasks/pick-place/scene.js';
import { CacheEntry, MAX_WORLD_CONTACTS, structView, WorldState } from '@gripgen/shaders';
import { CONTACT_MODEL, physicsCoefficients, type PhysicsCoefficients } from '../physics-coefficients.js';
import type { ContactPoint } from '../../../sim/contacts.js';
import { collideBoxes, collideBoxPlane, makeBox, makeManifold, type Box, type Manifold } from './collide.js';

const GRAVITY = -9.81;

/** Kinds of body a contact side can be. */
const STATIC = 0;
const CUBE = 1;
const FINGER_L = 2;
const FINGER_R = 3;
const HAND = 4;

/** Scene body names of the dynamic and kinematic body kinds (static ones are named by shape). */
const BODY_NAME: Record<number, string> = { [CUBE]: 'cube', [FINGER_L]: 'fingerLeft', [FINGER_R]: 'fingerRight', [HAND]: 'hand' };

/**
 * Collision pairs: [primary body, other body, other shape]. The primary is the dynamic
 * body the normal points into (from the other body); shapes: 0 table plane, 1–4 bin walls,
 * 5 palm, 6–7 fingers.
 */
const PAIRS: readonly (readonly [number, number, number])[] = [
  [CUBE, STATIC, 0],
  [CUBE, FINGER_L, 6],
  [CUBE, FINGER_R, 7],
  [CUBE, STATIC, 1],
  [CUBE, STATIC, 2],
  [CUBE, STATIC, 3],
  [CUBE, STATIC, 4],
  [CUBE, HAND, 5],
  [FINGER_L, STATIC, 0],
  [FINGER_R, STATIC, 0],
  [FINGER_L, STATIC, 1],
  [FINGER_L, STATIC, 2],
  [FINGER_L, STATIC, 3],
  [FINGER_L, STATIC, 4],
  [FINGER_R, STATIC, 1],
  [FINGER_R, STATIC, 2],
  [FINGER_R, STATIC, 3],
  [FINGER_R, STATIC, 4],
];

/** Floats per contact in the warm-start cache: pair, local point on the primary (3), impulses (3). */
const CACHE_STRIDE = 7;

/** Scratch of one contact during a physics step. */
interface Contact {
  pair: number;
  primary: number;
  other: number;
  n: number[];
  t1: number[];
  t2: number[];
  /** From the primary body's centre (or the hand's, for a finger) to the contact point. */
  rP: number[];
  /** From the other body's reference point (the hand's centre; unused for static) to the contact point. */
  rO: number[];
  /** Contact point in the primary body's frame (warm-start key). */
  local: number[];
  d0: number;
  mu: number;
  /** Inverse effective mass of the normal and tangent rows. */
  kN: number;
  kT1: number;
  kT2: number;
  /** Off-diagonal entry of the tangent rows' inverse effective mass (t1, t2). */
  kT12: number;
  /** Drift of the contact points (as in `relativeDisplacement`) when the contact last slid this step, at the end of that small step. */
  anchor: number[];
  /** Contact c presses its finger against a travel stop: the finger moves with the hand in c's rows. */
  fingerLocked: boolean;
  lN: number;
  lT1: number;
  lT2: number;
}

function makeContact(): Contact {
  const v = () => [0, 0, 0];
  return {
    pair: 0, primary: 0, other: 0, n: v(), t1: v(), t2: v(), rP: v(), rO: v(), local: v(),
    d0: 0, mu: 0, kN: 0, kT1: 0, kT2: 0, kT12: 0, anchor: v(), fingerLocked: false, lN: 0, lT1: 0, lT2: 0,
  };
}

/**
 * One pick-place world on the reduced-coordinate soft TGS solver. Same public surface as
 * `RapierWorld` where the Sim needs it.
 */
export class GripperWorld {
  // Cube.
  readonly x = [0, 0, 0];
  readonly q = [0, 0, 0, 1];
  readonly v = [0, 0, 0];
  readonly w = [0, 0, 0];
  private cubeHalf = 0;
  private cubeMass = 1;
  private cubeInvInertia = 1;
  private cubeFriction = 0.5;
  // Hand (kinematic) and fingers (travel along ±y of the hand).
  readonly hx = [0, 0, 0];
  readonly hq = [0, 0, 0, 1];
  readonly hv = [0, 0, 0];
  readonly hw = [0, 0, 0];
  readonly s = [G.fingerTravel, G.fingerTravel];
  readonly sd = [0, 0];
  private commandedTravel: number = G.fingerTravel;
  private driveTarget: number = G.fingerTravel;
  // Bin.
  private binX = 0;
  private binY = 0;
  /** Warm-start cache of the last physics step. */
  private cache = new Float64Array(MAX_WORLD_CONTACTS * CACHE_STRIDE);
  private cacheCount = 0;
  /** Set when more contacts were found than there are slots (the extra ones are dropped). */
  overflow = false;
  /** Normal impulse per contact query (fingerL–cube, fingerR–cube) of the last small step. */
  readonly queryImpulse = [0, 0];

  private readonly contacts: Contact[] = Array.from({ length: MAX_WORLD_CONTACTS }, makeContact);
  private numContacts = 0;
  private readonly shapes: Box[] = Array.from({ length: 8 }, makeBox);
  private readonly manifold: Manifold = makeManifold();

  private readonly coefficients: PhysicsCoefficients;

  constructor(private readonly settings: PhysicsSettings) {
    this.coefficients = physicsCoefficients(settings);
  }

  /** Starts a world from its randomized parameters (the same start as `buildPickPlaceScene`). */
  reset(params: ArrayLike<number>, offset = 0): void {
    const p = (i: number) => params[offset + i];
    const e = p(P.cubeEdge);
    this.cubeHalf = e / 2;
    this.cubeMass = p(P.cubeMass);
    this.cubeInvInertia = 6 / (this.cubeMass * e * e);
    this.cubeFriction = p(P.cubeFriction);
    setV(this.x, p(P.cubeX), p(P.cubeY), e / 2);
    quatFromYaw(this.q, p(P.cubeYaw));
    setV(this.v, 0, 0, 0);
    setV(this.w, 0, 0, 0);
    setV(this.hx, p(P.handX), p(P.handY), p(P.handZ));
    quatFromYaw(this.hq, p(P.handYaw));
    setV(this.hv, 0, 0, 0);
    setV(this.hw, 0, 0, 0);
    this.s[0] = this.s[1] = G.fingerTravel;
    this.sd[0] = this.sd[1] = 0;
    this.commandedTravel = G.fingerTravel;
    this.driveTarget = G.fingerTravel;
    this.binX = p(P.binX);
    this.binY = p(P.binY);
    this.cacheCount = 0;
    this.overflow = false;
    this.queryImpulse[0] = this.queryImpulse[1] = 0;
  }

  /**
   * Loads a world from the WebGPU backend's state bytes (a `WorldState` row followed by its
   * warm-start cache rows, as `getState` returns them), so both implementations can be
   * stepped from the same state.
   */
  loadGpuState(bytes: Uint8Array): void {
    const state = structView(WorldState, bytes);
    const copy = (dst: number[], name: Parameters<typeof state.read>[1]) => {
      const v = state.read(0, name) as number[];
      for (let i = 0; i < v.length; i++) dst[i] = v[i];
    };
    const one = (name: Parameters<typeof state.read>[1]) => state.read(0, name) as number;
    copy(this.x, 'cubePos');
    copy(this.q, 'cubeQuat');
    copy(this.v, 'cubeVel');
    copy(this.w, 'cubeAngVel');
    copy(this.hx, 'handPos');
    copy(this.hq, 'handQuat');
    copy(this.hv, 'handVel');
    copy(this.hw, 'handAngVel');
    copy(this.s, 'travel');
    copy(this.sd, 'travelSpeed');
    copy(this.queryImpulse, 'queryImpulse');
    this.cubeHalf = one('cubeHalf');
    this.cubeMass = one('cubeMass');
    this.cubeInvInertia = one('cubeInvInertia');
    this.cubeFriction = one('cubeFriction');
    this.commandedTravel = one('commandedTravel');
    this.driveTarget = one('driveTarget');
    [this.binX, this.binY] = state.read(0, 'binPos') as number[];
    this.cacheCount = one('cacheCount');
    this.overflow = one('overflow') !== 0;
    const cache = structView(CacheEntry, bytes.subarray(WorldState.size));
    for (let j = 0; j < this.cacheCount; j++) {
      const c = j * CACHE_STRIDE;
      this.cache[c] = cache.read(j, 'pair') as number;
      this.cache.set(cache.read(j, 'local') as number[], c + 1);
      this.cache.set(cache.read(j, 'impulse') as number[], c + 4);
    }
  }

  /** Sets the gripper command: -1 opens the fingers to their upper limit, +1 closes them fully. */
  setGripperCommand(command: number): void {
    this.commandedTravel = commandedTravel(command);
  }

  /** Finger travel (m) per finger. */
  readJointTravel(out: number[]): number[] {
    out[0] = this.s[0];
    out[1] = this.s[1];
    return out;
  }

  /**
   * Advances one control step: the hand moves from pose `from` to pose `to` (each
   * [x, y, z, qx, qy, qz, qw]) in equal physics steps.
   */
  stepControl(from: ArrayLike<number>, fromOffset: number, to: ArrayLike<number>, toOffset: number): void {
    const n = this.settings.substeps;
    const dt = 1 / (this.settings.controlHz * n);
    const a = [from[fromOffset + 3], from[fromOffset + 4], from[fromOffset + 5], from[fromOffset + 6]];
    const b = [to[toOffset + 3], to[toOffset + 4], to[toOffset + 5], to[toOffset + 6]];
    const target = [0, 0, 0];
    const tq = [0, 0, 0, 1];
    for (let k = 1; k <= n; k++) {
      const f = k / n;
      for (let i = 0; i < 3; i++) target[i] = from[fromOffset + i] + (to[toOffset + i] - from[fromOffset + i]) * f;
      quatNlerp(tq, a, b, f);
      // Kinematic hand velocity that reaches the target at the end of the physics step.
      for (let i = 0; i < 3; i++) this.hv[i] = (target[i] - this.hx[i]) / dt;
      angularVelocity(this.hw, this.hq, tq, dt);
      this.updateDriveTarget();
      this.physicsStep();
      // Land exactly on the target (removes integration round-off of the kinematic body).
      for (let i = 0; i < 3; i++) this.hx[i] = target[i];
      for (let i = 0; i < 4; i++) this.hq[i] = tq[i];
    }
  }

  /** The common finger target: the command, within maxForce / stiffness of the fingers' mean travel. */
  private updateDriveTarget(): void {
    this.driveTarget = gripperServoTarget(this.commandedTravel, this.s[0], this.s[1]);
  }

  private physicsStep(): void {
    const iters = this.settings.solverIterations;
    const k = this.coefficients;
    const h = k.h;
    this.generateContacts();
    this.matchCache();
    const erpInvDt = k.erpInvDt;
    const cfmFactor = k.cfmFactor;
    const driveErpInvDt = k.driveErpInvDt;
    const driveCfm = k.driveCfm;
    const driveMax = k.driveMaxImpulse;
    const lDrive = [0, 0];
    const x0 = [this.x[0], this.x[1], this.x[2]];
    const hx0 = [this.hx[0], this.hx[1], this.hx[2]];
    const s0 = [this.s[0], this.s[1]];
    for (let it = 0; it < iters; it++) {
      const elapsed = it * h;
      // Forces.
      this.v[2] += GRAVITY * h;
      for (let f = 0; f < 2; f++) this.sd[f] += GRAVITY * this.fingerAxisZ(f) * h;
      // Each small step solves for its own impulses, starting from the previous small step's
      // (warm start); the finger drives start from zero (Rapier rebuilds joint rows per substep).
      lDrive[0] = lDrive[1] = 0;
      this.applyWarmStart();
      // Solve with bias.
      this.solveFingers(h, true, driveErpInvDt, driveCfm, driveMax, lDrive);
      this.solveContacts(h, elapsed, erpInvDt, cfmFactor, true, x0, hx0, s0);
      // Integrate positions.
      for (let i = 0; i < 3; i++) this.x[i] += this.v[i] * h;
      integrateRotation(this.q, this.w, h);
      for (let i = 0; i < 3; i++) this.hx[i] += this.hv[i] * h;
      integrateRotation(this.hq, this.hw, h);
      for (let f = 0; f < 2; f++) this.s[f] += this.sd[f] * h;
      // Stabilize without bias.
      this.solveFingers(h, false, driveErpInvDt, driveCfm, driveMax, lDrive);
      this.solveContacts(h, elapsed + h, erpInvDt, 1, false, x0, hx0, s0);
    }
    this.saveCache();
  }

  /** World z component of finger f's closing axis (its gravity share). */
  private fingerAxisZ(f: number): number {
    const ax = [0, 0, 0];
    this.fingerAxis(f, ax);
    return ax[2];
  }

  /** World direction in which finger f's travel grows (hand +y for the left finger, −y for the right). */
  private fingerAxis(f: number, out: number[]): number[] {
    quatRotate(out, this.hq, [0, f === 0 ? 1 : -1, 0]);
    return out;
  }

  /** Finger drives and travel limits: rows on the finger's own degree of freedom. */
  private solveFingers(
    h: number,
    bias: boolean,
    driveErpInvDt: number,
    driveCfm: number,
    driveMax: number,
    lDrive: number[],
  ): void {
    const invM = 1 / G.fingerMass;
    for (let f = 0; f < 2; f++) {
      // Drive: impulse λ solves sd + erpInvDt·(s − target) + cfm·λ = 0, clamped to the motor force.
      const dvel = this.sd[f] + driveErpInvDt * (this.s[f] - this.driveTarget) + driveCfm * lDrive[f];
      const lNew = Math.min(Math.max(lDrive[f] - dvel / (invM + driveCfm), -driveMax), driveMax);
      this.sd[f] += (lNew - lDrive[f]) * invM;
      lDrive[f] = lNew;
      // Limits (rigid): lower 0, upper fingerTravel.
      for (const [dist, sign] of [
        [this.s[f], 1],
        [G.fingerTravel - this.s[f], -1],
      ] as const) {
        const rhs = dist > 0 ? dist / h : bias ? dist / h : 0;
        const vel = sign * this.sd[f];
        const lambda = Math.max(-(vel + rhs) / invM, 0);
        if (lambda > 0) this.sd[f] += sign * lambda * invM;
      }
    }
  }

  /** Builds the boxes of every shape at the current poses. */
  private placeShapes(): void {
    const sh = this.shapes;
    // Cube (index 0 is reused for the cube: the table plane needs no box).
    boxFrom(sh[0], this.x, this.q, [0, 0, 0], [this.cubeHalf, this.cubeHalf, this.cubeHalf]);
    const wallOffset = G.binInnerHalfSize + G.binWallHalfThickness;
    const wallHalfLength = G.binInnerHalfSize + 2 * G.binWallHalfThickness;
    const hz = G.binRimHeight / 2;
    const t = G.binWallHalfThickness;
    const id = [0, 0, 0, 1];
    boxFrom(sh[1], [this.binX + wallOffset, this.binY, hz], id, [0, 0, 0], [t, wallHalfLength, hz]);
    boxFrom(sh[2], [this.binX - wallOffset, this.binY, hz], id, [0, 0, 0], [t, wallHalfLength, hz]);
    boxFrom(sh[3], [this.binX, this.binY + wallOffset, hz], id, [0, 0, 0], [G.binInnerHalfSize, t, hz]);
    boxFrom(sh[4], [this.binX, this.binY - wallOffset, hz], id, [0, 0, 0], [G.binInnerHalfSize, t, hz]);
    boxFrom(sh[5], this.hx, this.hq, [0, 0, G.palmCenterZ], G.palmHalfExtents);
    const fy = G.fingerHalfExtents[1];
    boxFrom(sh[6], this.hx, this.hq, [0, fy + this.s[0], G.fingerCenterZ], G.fingerHalfExtents);
    boxFrom(sh[7], this.hx, this.hq, [0, -(fy + this.s[1]), G.fingerCenterZ], G.fingerHalfExtents);
  }

  private generateContacts(): void {
    this.placeShapes();
    const m = this.manifold;
    const margin = CONTACT_MODEL.predictionDistance;
    this.numContacts = 0;
    this.overflow = false;
    for (let pair = 0; pair < PAIRS.length; pair++) {
      const [primary, other, otherShape] = PAIRS[pair];
      const primaryBox = primary === CUBE ? this.shapes[0] : this.shapes[primary === FINGER_L ? 6 : 7];
      // Manifold normal from the other shape to the primary body.
      const count = otherShape === 0 ? collideBoxPlane(primaryBox, margin, m) : collideBoxes(this.shapes[otherShape], primaryBox, margin, m);
      for (let i = 0; i < count; i++) {
        if (this.numContacts === MAX_WORLD_CONTACTS) {
          this.overflow = true;
          break;
        }
        const c = this.contacts[this.numContacts];
        c.pair = pair;
        c.primary = primary;
        c.other = other;
        for (let j = 0; j < 3; j++) c.n[j] = m.n[j];
        tangents(c.n, c.t1, c.t2);
        const px = m.p[3 * i], py = m.p[3 * i + 1], pz = m.p[3 * i + 2];
        const pRef = primary === CUBE ? this.x : this.hx;
        setV(c.rP, px - pRef[0], py - pRef[1], pz - pRef[2]);
        setV(c.rO, px - this.hx[0], py - this.hx[1], pz - this.hx[2]);
        // Key for warm starting: the point in the primary's frame (the hand's frame for a finger).
        const qRef = primary === CUBE ? this.q : this.hq;
        quatRotate(c.local, [-qRef[0], -qRef[1], -qRef[2], qRef[3]], c.rP);
        c.d0 = m.d[i];
        c.mu = this.friction(primary, other, otherShape);
        c.fingerLocked = this.pressesFingerOnStop(c);
        c.kN = this.invEffectiveMass(c, c.n, c.n);
        c.kT1 = this.invEffectiveMass(c, c.t1, c.t1);
        c.kT2 = this.invEffectiveMass(c, c.t2, c.t2);
        c.kT12 = this.invEffectiveMass(c, c.t1, c.t2);
        setV(c.anchor, 0, 0, 0);
        c.lN = c.lT1 = c.lT2 = 0;
        this.numContacts++;
      }
    }
  }

  /** Combined friction (Rapier's rules: `max` if either shape asks for it, else the average). */
  private friction(primary: number, other: number, otherShape: number): number {
    const own = primary === CUBE ? this.cubeFriction : G.fingerFriction;
    if (primary !== CUBE || other === FINGER_L || other === FINGER_R) {
      // A finger pad is involved: max-combined.
      const o = otherShape === 0 ? G.tableFriction : otherShape <= 4 ? G.binFriction : G.fingerFriction;
      return Math.max(own, primary === CUBE ? G.fingerFriction : o);
    }
    const o = otherShape === 0 ? G.tableFriction : otherShape <= 4 ? G.binFriction : G.fingerFriction;
    return 0.5 * (own + o);
  }

  /**
   * Whether contact c's normal impulse pushes its finger (if it has one) against the travel stop
   * the finger rests on (within the allowed error): then the stop holds the finger, which moves
   * with the hand in c's rows (`fingerMoves`).
   */
  private pressesFingerOnStop(c: Contact): boolean {
    const ax = [0, 0, 0];
    const tolerance = this.settings.allowedLinearError;
    for (const [body, sign] of [
      [c.primary, 1],
      [c.other, -1],
    ] as const) {
      if (body !== FINGER_L && body !== FINGER_R) continue;
      const f = body - FINGER_L;
      const push = sign * dot(this.fingerAxis(f, ax), c.n);
      return (push < 0 && this.s[f] <= tolerance) || (push > 0 && this.s[f] >= G.fingerTravel - tolerance);
    }
    return false;
  }

  /** Whether `body` is a finger that moves along its travel in contact c's rows. */
  private fingerMoves(c: Contact, body: number): boolean {
    return (body === FINGER_L || body === FINGER_R) && !c.fingerLocked;
  }

  /** Entry (u, w) of the inverse effective mass of contact c's rows along unit directions u and w. */
  private invEffectiveMass(c: Contact, u: number[], w: number[]): number {
    let k = 0;
    const ax = [0, 0, 0];
    for (const body of [c.primary, c.other]) {
      if (body === CUBE) {
        const r = c.rP;
        const ux = r[1] * u[2] - r[2] * u[1], uy = r[2] * u[0] - r[0] * u[2], uz = r[0] * u[1] - r[1] * u[0];
        const wx = r[1] * w[2] - r[2] * w[1], wy = r[2] * w[0] - r[0] * w[2], wz = r[0] * w[1] - r[1] * w[0];
        k += dot(u, w) / this.cubeMass + this.cubeInvInertia * (ux * wx + uy * wy + uz * wz);
      } else if (this.fingerMoves(c, body)) {
        this.fingerAxis(body - FINGER_L, ax);
        k += (dot(ax, u) * dot(ax, w)) / G.fingerMass;
      }
    }
    return k;
  }

  /** Matches this step's contacts with the cache: each starts from its cached impulses. */
  private matchCache(): void {
    const r2 = CONTACT_MODEL.warmStartRadius * CONTACT_MODEL.warmStartRadius;
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.contacts[i];
      let bestD = r2;
      let best = -1;
      for (let j = 0; j < this.cacheCount; j++) {
        const o = j * CACHE_STRIDE;
        if (this.cache[o] !== c.pair) continue;
        const dx = this.cache[o + 1] - c.local[0], dy = this.cache[o + 2] - c.local[1], dz = this.cache[o + 3] - c.local[2];
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < bestD) {
          bestD = d2;
          best = j;
        }
      }
      if (best < 0) continue;
      const o = best * CACHE_STRIDE;
      c.lN = this.cache[o + 4];
      c.lT1 = this.cache[o + 5];
      c.lT2 = this.cache[o + 6];
    }
  }

  /** Applies every contact's current impulses (the warm start of a small step). */
  private applyWarmStart(): void {
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.contacts[i];
      this.applyImpulse(c, c.n, c.lN);
      this.applyImpulse(c, c.t1, c.lT1);
      this.applyImpulse(c, c.t2, c.lT2);
    }
  }

  private saveCache(): void {
    this.cacheCount = this.numContacts;
    this.queryImpulse[0] = this.queryImpulse[1] = 0;
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.contacts[i];
      const o = i * CACHE_STRIDE;
      this.cache[o] = c.pair;
      this.cache[o + 1] = c.local[0];
      this.cache[o + 2] = c.local[1];
      this.cache[o + 3] = c.local[2];
      this.cache[o + 4] = c.lN;
      this.cache[o + 5] = c.lT1;
      this.cache[o + 6] = c.lT2;
      if (c.pair === 1 || c.pair === 2) this.queryImpulse[c.pair - 1] = Math.max(this.queryImpulse[c.pair - 1], c.lN);
    }
  }

  /** Velocity of the primary's contact point minus the other's, along u. */
  private relativeVelocity(c: Contact, u: number[]): number {
    return this.pointVelocity(c.primary, c, u, true) - this.pointVelocity(c.other, c, u, false);
  }

  private pointVelocity(body: number, c: Contact, u: number[], isPrimary: boolean): number {
    if (body === STATIC) return 0;
    if (body === CUBE) {
      const r = c.rP;
      const vx = this.v[0] + this.w[1] * r[2] - this.w[2] * r[1];
      const vy = this.v[1] + this.w[2] * r[0] - this.w[0] * r[2];
      const vz = this.v[2] + this.w[0] * r[1] - this.w[1] * r[0];
      return vx * u[0] + vy * u[1] + vz * u[2];
    }
    const r = isPrimary ? c.rP : c.rO;
    const vx = this.hv[0] + this.hw[1] * r[2] - this.hw[2] * r[1];
    const vy = this.hv[1] + this.hw[2] * r[0] - this.hw[0] * r[2];
    const vz = this.hv[2] + this.hw[0] * r[1] - this.hw[1] * r[0];
    let vel = vx * u[0] + vy * u[1] + vz * u[2];
    if (body === FINGER_L || body === FINGER_R) {
      const f = body - FINGER_L;
      const ax = [0, 0, 0];
      vel += this.sd[f] * dot(this.fingerAxis(f, ax), u);
    }
    return vel;
  }

  /** Applies impulse λ·u to the primary and −λ·u to the other body. */
  private applyImpulse(c: Contact, u: number[], lambda: number): void {
    if (lambda === 0) return;
    const ax = [0, 0, 0];
    for (const [body, sign] of [
      [c.primary, 1],
      [c.other, -1],
    ] as const) {
      if (body === CUBE) {
        const im = 1 / this.cubeMass;
        const r = c.rP;
        for (let i = 0; i < 3; i++) this.v[i] += sign * lambda * u[i] * im;
        this.w[0] += sign * lambda * this.cubeInvInertia * (r[1] * u[2] - r[2] * u[1]);
        this.w[1] += sign * lambda * this.cubeInvInertia * (r[2] * u[0] - r[0] * u[2]);
        this.w[2] += sign * lambda * this.cubeInvInertia * (r[0] * u[1] - r[1] * u[0]);
      } else if (this.fingerMoves(c, body)) {
        const f = body - FINGER_L;
        this.sd[f] += (sign * lambda * dot(this.fingerAxis(f, ax), u)) / G.fingerMass;
      }
    }
  }

  /**
   * Motion of contact c's point carried by the primary body relative to the point carried by
   * the other body since the contacts were generated: its n component changes the
   * separation, its tangential components are the slip the friction rows anchor against.
   */
  private relativeDisplacement(c: Contact, elapsed: number, x0: number[], hx0: number[], s0: number[], out: number[]): void {
    const dO = [0, 0, 0];
    setV(out, 0, 0, 0);
    this.displacement(c.primary, c, true, elapsed, x0, hx0, s0, out);
    this.displacement(c.other, c, false, elapsed, x0, hx0, s0, dO);
    for (let i = 0; i < 3; i++) out[i] -= dO[i];
  }

  private displacement(
    body: number,
    c: Contact,
    isPrimary: boolean,
    elapsed: number,
    x0: number[],
    hx0: number[],
    s0: number[],
    out: number[],
  ): void {
    if (body === STATIC) return;
    if (body === CUBE) {
      // x + R·local − (x0 + R0·local) with local = R0ᵀ·rP.
      const now = [0, 0, 0];
      quatRotate(now, this.q, c.local);
      for (let i = 0; i < 3; i++) out[i] = this.x[i] - x0[i] + now[i] - c.rP[i];
      return;
    }
    // Hand-carried point: linear motion of the hand plus rotation, plus the finger's travel.
    const r = isPrimary ? c.rP : c.rO;
    for (let i = 0; i < 3; i++) out[i] = this.hx[i] - hx0[i];
    out[0] += (this.hw[1] * r[2] - this.hw[2] * r[1]) * elapsed;
    out[1] += (this.hw[2] * r[0] - this.hw[0] * r[2]) * elapsed;
    out[2] += (this.hw[0] * r[1] - this.hw[1] * r[0]) * elapsed;
    if (body === FINGER_L || body === FINGER_R) {
      const f = body - FINGER_L;
      const ax = [0, 0, 0];
      this.fingerAxis(f, ax);
      for (let i = 0; i < 3; i++) out[i] += ax[i] * (this.s[f] - s0[f]);
    }
  }

  private solveContacts(
    h: number,
    elapsed: number,
    erpInvDt: number,
    cfmFactor: number,
    bias: boolean,
    x0: number[],
    hx0: number[],
    s0: number[],
  ): void {
    const allowed = this.settings.allowedLinearError;
    const maxCorr = CONTACT_MODEL.maxCorrectiveVelocity;
    const disp = [0, 0, 0];
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.contacts[i];
      if (c.kN <= 1e-12) continue;
      this.relativeDisplacement(c, elapsed, x0, hx0, s0, disp);
      const d = c.d0 + dot(disp, c.n);
      let rhs = Math.max(d, 0) / h;
      if (bias) rhs += Math.max(erpInvDt * Math.min(d + allowed, 0), -maxCorr);
      const dvel = this.relativeVelocity(c, c.n) + rhs;
      let lNew = Math.max(c.lN - dvel / c.kN, 0);
      // Soft (cfm) only where the position bias acts: within the allowed error a contact holds
      // like a rigid one, so a resting body does not sink through the band.
      if (bias && d + allowed < 0) lNew *= cfmFactor;
      this.applyImpulse(c, c.n, lNew - c.lN);
      c.lN = lNew;
      // Coulomb friction, one 2D row in the tangent plane clamped to the disk of radius μ·λn.
      // The biased pass also pulls the contact points back together since the step began or the
      // contact last slid (Rapier's tangential position bias: static friction does not creep).
      const limit = c.mu * c.lN;
      const s1 = this.relativeVelocity(c, c.t1) + (bias ? dot(disp, c.t1) - dot(c.anchor, c.t1) : 0) / h;
      const s2 = this.relativeVelocity(c, c.t2) + (bias ? dot(disp, c.t2) - dot(c.anchor, c.t2) : 0) / h;
      // The impulse step along direction e removes the slip's e component (Rapier's coupled
      // tangent solve): e is the slip itself, so the friction opposes it whatever the tangent
      // frame and the anisotropy of the effective mass; for a finger on a static shape, which
      // moves only along its travel, e is the one direction its impulse can act in.
      let e1 = s1;
      let e2 = s2;
      if (c.primary !== CUBE) {
        e1 = c.kT1 >= c.kT2 ? c.kT1 : c.kT12;
        e2 = c.kT1 >= c.kT2 ? c.kT12 : c.kT2;
      }
      const ke = e1 * e1 * c.kT1 + 2 * e1 * e2 * c.kT12 + e2 * e2 * c.kT2;
      const step = ke > 1e-12 * (e1 * e1 + e2 * e2) ? (e1 * s1 + e2 * s2) / ke : 0;
      const t1 = c.lT1 - step * e1;
      const t2 = c.lT2 - step * e2;
      const mag = Math.hypot(t1, t2);
      const scale = mag > limit ? limit / mag : 1;
      // Sliding (the velocity pass cannot stop the slip): the anchor moves to where the contact is now.
      if (!bias && mag > limit) for (let j = 0; j < 3; j++) c.anchor[j] = disp[j];
      const n1 = t1 * scale;
      const n2 = t2 * scale;
      this.applyImpulse(c, c.t1, n1 - c.lT1);
      this.applyImpulse(c, c.t2, n2 - c.lT2);
      c.lT1 = n1;
      c.lT2 = n2;
    }
  }

  /** Writes BODY_STATE_SIZE floats per body in scene order (table, bin, hand, fingerL, fingerR, cube). */
  readBodies(out: Float32Array | Float64Array, offset: number): void {
    const write = (body: number, x: ArrayLike<number>, q: ArrayLike<number>, v: ArrayLike<number>, w: ArrayLike<number>) => {
      const o = offset + body * BODY_STATE_SIZE;
      for (let i = 0; i < 3; i++) out[o + i] = x[i];
      for (let i = 0; i < 4; i++) out[o + 3 + i] = q[i];
      for (let i = 0; i < 3; i++) out[o + 7 + i] = v[i];
      for (let i = 0; i < 3; i++) out[o + 10 + i] = w[i];
    };
    const zero = [0, 0, 0];
    const id = [0, 0, 0, 1];
    write(BODY.table, [0, 0, -0.05], id, zero, zero);
    write(BODY.bin, [this.binX, this.binY, 0], id, zero, zero);
    write(BODY.hand, this.hx, this.hq, this.hv, this.hw);
    const ax = [0, 0, 0];
    for (let f = 0; f < 2; f++) {
      const local = [0, (f === 0 ? 1 : -1) * (G.fingerHalfExtents[1] + this.s[f]), 0];
      const pos = [0, 0, 0];
      quatRotate(pos, this.hq, local);
      for (let i = 0; i < 3; i++) pos[i] += this.hx[i];
      this.fingerAxis(f, ax);
      const r = [pos[0] - this.hx[0], pos[1] - this.hx[1], pos[2] - this.hx[2]];
      const vel = [
        this.hv[0] + this.hw[1] * r[2] - this.hw[2] * r[1] + ax[0] * this.sd[f],
        this.hv[1] + this.hw[2] * r[0] - this.hw[0] * r[2] + ax[1] * this.sd[f],
        this.hv[2] + this.hw[0] * r[1] - this.hw[1] * r[0] + ax[2] * this.sd[f],
      ];
      write(f === 0 ? BODY.fingerLeft : BODY.fingerRight, pos, this.hq, vel, this.hw);
    }
    write(BODY.cube, this.x, this.q, this.v, this.w);
  }

  /**
   * The warm-start cache as contact points (what `Sim.contacts` reports on the webgpu
   * backend): each cached contact of the last physics step, its point carried with its
   * primary body to the current pose, the normal and separation of its pair's manifold at
   * the current poses (nearest manifold point), and its normal force: the last small step's
   * normal impulse over the small step h (impulses are per small step, see the header).
   */
  cachedContacts(): ContactPoint[] {
    this.placeShapes();
    const m = this.manifold;
    const h = this.coefficients.h;
    const out: ContactPoint[] = [];
    const manifolds = new Map<number, { n: number[]; p: number[]; d: number[]; count: number }>();
    const pairManifold = (pair: number) => {
      const known = manifolds.get(pair);
      if (known) return known;
      const [primary, , otherShape] = PAIRS[pair];
      const primaryBox = primary === CUBE ? this.shapes[0] : this.shapes[primary === FINGER_L ? 6 : 7];
      const collide = (margin: number) =>
        otherShape === 0 ? collideBoxPlane(primaryBox, margin, m) : collideBoxes(this.shapes[otherShape], primaryBox, margin, m);
      // A contact that has moved out of the prediction distance since still has a pair normal.
      let count = collide(CONTACT_MODEL.predictionDistance);
      if (count === 0) count = collide(Number.POSITIVE_INFINITY);
      const found = { n: Array.from(m.n.slice(0, 3)), p: Array.from(m.p.slice(0, 3 * count)), d: Array.from(m.d.slice(0, count)), count };
      manifolds.set(pair, found);
      return found;
    };
    for (let j = 0; j < this.cacheCount; j++) {
      const o = j * CACHE_STRIDE;
      const pair = this.cache[o];
      const [primary, other, otherShape] = PAIRS[pair];
      const pRef = primary === CUBE ? this.x : this.hx;
      const qRef = primary === CUBE ? this.q : this.hq;
      const point = [0, 0, 0];
      quatRotate(point, qRef, [this.cache[o + 1], this.cache[o + 2], this.cache[o + 3]]);
      for (let i = 0; i < 3; i++) point[i] += pRef[i];
      const pm = pairManifold(pair);
      let separation = Number.NaN;
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < pm.count; i++) {
        const d2 = (pm.p[3 * i] - point[0]) ** 2 + (pm.p[3 * i + 1] - point[1]) ** 2 + (pm.p[3 * i + 2] - point[2]) ** 2;
        if (d2 < best) {
          best = d2;
          separation = pm.d[i];
        }
      }
      out.push({
        bodyA: BODY_NAME[primary],
        bodyB: other === STATIC ? (otherShape === 0 ? 'table' : 'bin') : BODY_NAME[other],
        point: [point[0], point[1], point[2]],
        normal: [pm.n[0], pm.n[1], pm.n[2]],
        separation,
        normalForce: this.cache[o + 4] / h,
      });
    }
    return out;
  }

  /** For each contact query (fingerL–cube, fingerR–cube): 1 if touching with a pushing contact. */
  readContacts(out: Uint8Array, offset: number): void {
    out[offset] = this.queryImpulse[0] > CONTACT_MODEL.pushingImpulse ? 1 : 0;
    out[offset + 1] = this.queryImpulse[1] > CONTACT_MODEL.pushingImpulse ? 1 : 0;
  }
}

function setV(out: number[], x: number, y: number, z: number): void {
  out[0] = x;
  out[1] = y;
  out[2] = z;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Angular velocity that rotates orientation a into b in time dt. */
function angularVelocity(out: number[], a: ArrayLike<number>, b: ArrayLike<number>, dt: number): void {
  quatToRotationVector(out, quatMultiply([0, 0, 0, 1], b, [-a[0], -a[1], -a[2], a[3]]));
  for (let i = 0; i < 3; i++) out[i] /= dt;
}

/** q ← exp(w·h) ⊗ q, normalized. */
function integrateRotation(q: number[], w: ArrayLike<number>, h: number): void {
  const dq = quatFromRotationVector([0, 0, 0, 1], [w[0] * h, w[1] * h, w[2] * h]);
  quatNormalize(q, quatMultiply([0, 0, 0, 1], dq, q));
}

/** Orthonormal tangents of unit normal n. */
function tangents(n: number[], t1: number[], t2: number[]): void {
  if (Math.abs(n[0]) < 0.57735) setV(t1, 0, n[2], -n[1]);
  else setV(t1, n[1], -n[0], 0);
  const l = Math.hypot(t1[0], t1[1], t1[2]);
  setV(t1, t1[0] / l, t1[1] / l, t1[2] / l);
  setV(t2, n[1] * t1[2] - n[2] * t1[1], n[2] * t1[0] - n[0] * t1[2], n[0] * t1[1] - n[1] * t1[0]);
}

/** Box of a shape at `offset` in the frame (x, q). */
function boxFrom(b: Box, x: ArrayLike<number>, q: ArrayLike<number>, offset: ArrayLike<number>, half: ArrayLike<number>): void {
  const c = [0, 0, 0];
  quatRotate(c, q, offset);
  for (let i = 0; i < 3; i++) b.c[i] = x[i] + c[i];
  const [qx, qy, qz, qw] = [q[0], q[1], q[2], q[3]];
  const r = b.r;
  r[0] = 1 - 2 * (qy * qy + qz * qz); r[1] = 2 * (qx * qy - qz * qw); r[2] = 2 * (qx * qz + qy * qw);
  r[3] = 2 * (qx * qy + qz * qw); r[4] = 1 - 2 * (qx * qx + qz * qz); r[5] = 2 * (qy * qz - qx * qw);
  r[6] = 2 * (qx * qz - qy * qw); r[7] = 2 * (qy * qz + qx * qw); r[8] = 1 - 2 * (qx * qx + qy * qy);
  for (let i = 0; i < 3; i++) b.h[i] = half[i];
}
