/**
 * The GPU solver for any scene, in plain TypeScript: its specification, and the oracle its WGSL
 * is tested against. It steps one world of a batch from the batch's `SolverModel` (topology)
 * and the world's `SolverWorldData` (sizes, masses, frictions); nothing in it names a task.
 *
 * Model. The controlled body is kinematic (it follows the controller's target). A link — a
 * dynamic body on a prismatic joint of the controlled body — has one coordinate, its travel
 * along the joint axis, and otherwise moves with the controlled body (reduced coordinates, as a
 * multibody joint). Every other dynamic body is free (six degrees of freedom, diagonal inertia
 * in its body frame). Fixed bodies never move. Contacts are made between any two shapes whose
 * bodies may touch (`contact-rules.ts`): free–free, free–link, link–static, …
 *
 * Solver: Rapier's soft-constraint TGS, as `reference/gripper-world.ts` specifies it for the
 * pick-place world (read its header for the three details that keep resting and sliding bodies
 * true to mechanics), with each side of a contact being whatever body the scene puts there.
 * Each physics step generates contacts once (bounding-box test, then box and cylinder manifolds), matches
 * them with the previous step's by pair and point (warm start), then runs `solverIterations`
 * small steps: gravity, warm start, biased solve (joint drives and limits, contacts with
 * Coulomb friction), position integration, unbiased stabilization solve. Each solve is
 * `pgsIterations` sweeps over the rows, and at least `CONTACT_MODEL.movingPairPgsIterations` in a
 * step where a free body touches another free body or a link (a stack, a held object: as Rapier
 * gives its islands with a finger more iterations).
 * Contacts between two moving bodies are solved before contacts with static or kinematic ones,
 * and a manifold's normal rows before its friction rows (as Rapier does).
 *
 * Capacity: at most `capacity` contacts per world; further ones are dropped and `overflow` set.
 */
import {
  quatFromRotationVector,
  quatMultiply,
  quatNlerp,
  quatNormalize,
  quatRotate,
  quatToRotationVector,
} from '../../../math/quat.js';
import { BODY_STATE_SIZE } from '../../../scene/scene-desc.js';
import type { PhysicsSettings } from '../../rapier/physics-settings.js';
import { commandedTravel, FINGER_SERVO_MAX_FORCE, gripperServoTarget } from '../../../agents/parallel-gripper/drive.js';
import type { ContactPoint } from '../../../sim/contacts.js';
import { CONTACT_MODEL, physicsCoefficients, type PhysicsCoefficients } from '../physics-coefficients.js';
import { collideBoxes, makeBox, makeManifold, type Box, type Manifold } from '../reference/collide.js';
import { collideBoxOnFace } from '../reference/collide-box-face.js';
import { collideBoxCylinder, collideCylinderBox, collideCylinders, type Cylinder } from '../reference/collide-cylinder.js';
import { BODY_ROLE, SHAPE_TYPE, type SolverModel } from './solver-model.js';
import { MASS_SIZE, POSE_SIZE, SHAPE_SIZE, type SolverWorldData } from './solver-data.js';
import { makeSolverContact, type SolverContact } from './solver-contact.js';

const GRAVITY = -9.81;

/** Floats per warm-start cache row: pair, point in side A's frame (3), impulses (3). */
const CACHE_STRIDE = 7;

/** Default contact capacity per world. */
export const DEFAULT_CONTACT_CAPACITY = 64;

/** One world of the GPU solver's specification (see the file header). */
export class SolverSpecWorld {
  /** Per body: position (3), quaternion (4), linear and angular velocity (3 + 3). Links' rows are derived. */
  private readonly body: Float64Array;
  /** Per joint: travel (m) and its rate (m/s). */
  private readonly s: Float64Array;
  private readonly sd: Float64Array;
  private commanded = 0;
  private driveTarget = 0;
  private readonly cache: Float64Array;
  private cacheCount = 0;
  /** Set when the last physics step found more contacts than `capacity` (the extra ones were dropped). */
  overflow = false;
  /** Largest normal impulse per contact query in the last small step. */
  private readonly queryImpulse: Float64Array;

  private readonly active: SolverContact[];
  private numContacts = 0;
  /** Per shape: its pose and half extents as a box (a cylinder's are its bounding box in its body frame). */
  private readonly boxes: Box[];
  /** Per shape: the same pose as a cylinder (used for cylinder shapes; shares `boxes[s]`'s arrays). */
  private readonly cylinders: Cylinder[];
  private readonly manifold: Manifold = makeManifold();
  /** Per body: world-frame inverse inertia (row-major 3×3) at the start of the physics step. */
  private readonly invInertia: Float64Array;
  /** Per body: position at the start of the physics step; per joint: travel then. */
  private readonly x0: Float64Array;
  private readonly s0: Float64Array;
  private readonly scratchDisp = [0, 0, 0];
  private readonly coefficients: PhysicsCoefficients;
  private readonly hand: number;

  /**
   * @param movingPairSweeps sweeps per pass in a physics step where a free body touches another
   *   free body or a link (default `CONTACT_MODEL.movingPairPgsIterations`; tests lower it to show
   *   what it fixes).
   */
  constructor(
    private readonly model: SolverModel,
    private readonly data: SolverWorldData,
    private readonly settings: PhysicsSettings,
    readonly capacity = DEFAULT_CONTACT_CAPACITY,
    private readonly movingPairSweeps: number = CONTACT_MODEL.movingPairPgsIterations,
  ) {
    const nb = model.bodyNames.length;
    const nj = model.joints.length;
    this.body = new Float64Array(nb * BODY_STATE_SIZE);
    this.s = new Float64Array(nj);
    this.sd = new Float64Array(nj);
    this.cache = new Float64Array(capacity * CACHE_STRIDE);
    this.queryImpulse = new Float64Array(model.contactQueries.length);
    this.active = Array.from({ length: capacity }, makeSolverContact);
    this.boxes = model.shapeBody.map(makeBox);
    this.cylinders = this.boxes.map((b) => ({ c: b.c, r: b.r, radius: 0, halfHeight: 0 }));
    this.invInertia = new Float64Array(nb * 9);
    this.x0 = new Float64Array(nb * 3);
    this.s0 = new Float64Array(nj);
    this.coefficients = physicsCoefficients(settings);
    this.hand = model.controlledBody;
    this.reset();
  }

  /** Puts the world at its Data's reset state: bodies at rest at their poses, links at their travel, fingers commanded open. */
  reset(): void {
    const nb = this.model.bodyNames.length;
    this.body.fill(0);
    for (let i = 0; i < nb; i++) {
      for (let k = 0; k < POSE_SIZE; k++) this.body[i * BODY_STATE_SIZE + k] = this.data.pose[i * POSE_SIZE + k];
    }
    this.s.set(this.data.travel);
    this.sd.fill(0);
    this.setGripperCommand(-1);
    this.driveTarget = this.commanded;
    this.cacheCount = 0;
    this.overflow = false;
    this.queryImpulse.fill(0);
    this.numContacts = 0;
    this.updateLinks();
  }

  /** Sets the gripper command: −1 opens the fingers to their upper limit, +1 closes them fully. */
  setGripperCommand(command: number): void {
    this.commanded = commandedTravel(command);
  }

  /** Travel (m) of each joint. */
  readJointTravel(out: number[]): number[] {
    for (let j = 0; j < this.s.length; j++) out[j] = this.s[j];
    return out;
  }

  /** Whether every coordinate is finite. */
  isHealthy(): boolean {
    for (const v of this.body) if (!Number.isFinite(v)) return false;
    for (const v of this.s) if (!Number.isFinite(v)) return false;
    for (const v of this.sd) if (!Number.isFinite(v)) return false;
    return true;
  }

  /** Sets a free body's velocities (other bodies' motion is the controller's or the joints'). */
  setVelocity(body: number, linvel: readonly number[], angvel: readonly number[]): void {
    if (this.model.bodyRole[body] !== BODY_ROLE.free) return;
    const o = body * BODY_STATE_SIZE;
    for (let i = 0; i < 3; i++) {
      this.body[o + 7 + i] = linvel[i];
      this.body[o + 10 + i] = angvel[i];
    }
  }

  /**
   * Advances one control step: the controlled body moves from pose `from` to pose `to` (each
   * [x, y, z, qx, qy, qz, qw]) in equal physics steps.
   */
  stepControl(from: ArrayLike<number>, fromOffset: number, to: ArrayLike<number>, toOffset: number): void {
    const n = this.settings.substeps;
    const dt = 1 / (this.settings.controlHz * n);
    const a = [from[fromOffset + 3], from[fromOffset + 4], from[fromOffset + 5], from[fromOffset + 6]];
    const b = [to[toOffset + 3], to[toOffset + 4], to[toOffset + 5], to[toOffset + 6]];
    const target = [0, 0, 0];
    const tq = [0, 0, 0, 1];
    const h = this.hand * BODY_STATE_SIZE;
    const w = [0, 0, 0];
    for (let k = 1; k <= n; k++) {
      const f = k / n;
      for (let i = 0; i < 3; i++) target[i] = from[fromOffset + i] + (to[toOffset + i] - from[fromOffset + i]) * f;
      quatNlerp(tq, a, b, f);
      // Kinematic velocity that reaches the target at the end of the physics step.
      for (let i = 0; i < 3; i++) this.body[h + 7 + i] = (target[i] - this.body[h + i]) / dt;
      angularVelocity(w, this.body.subarray(h + 3, h + 7), tq, dt);
      for (let i = 0; i < 3; i++) this.body[h + 10 + i] = w[i];
      this.updateDriveTarget();
      this.physicsStep();
      // Land exactly on the target (removes the kinematic body's integration round-off).
      for (let i = 0; i < 3; i++) this.body[h + i] = target[i];
      for (let i = 0; i < 4; i++) this.body[h + 3 + i] = tq[i];
    }
    this.updateLinks();
  }

  /** The agent's one actuator (agents/parallel-gripper/drive.ts): the common target of its two joints. */
  private updateDriveTarget(): void {
    this.driveTarget = this.s.length === 2 ? gripperServoTarget(this.commanded, this.s[0], this.s[1]) : this.commanded;
  }

  private physicsStep(): void {
    this.generateContacts();
    this.matchCache();
    const sweeps = this.beginPhysicsStep();
    const lDrive = new Float64Array(this.s.length);
    for (let it = 0; it < this.settings.solverIterations; it++) {
      this.biasedSolve(it, sweeps, lDrive);
      this.stabilize(it, sweeps, lDrive);
    }
    this.saveCache();
  }

  /**
   * Starts a physics step's solve at the current poses (the contacts generated at them): the
   * positions and travels displacements are measured from. Returns the sweeps per pass.
   */
  private beginPhysicsStep(): number {
    const nb = this.model.bodyNames.length;
    for (let i = 0; i < nb; i++) for (let c = 0; c < 3; c++) this.x0[3 * i + c] = this.body[i * BODY_STATE_SIZE + c];
    this.s0.set(this.s);
    return this.freeBodyTouchesMovingBody() ? Math.max(this.settings.pgsIterations, this.movingPairSweeps) : this.settings.pgsIterations;
  }

  /**
   * Small step `it`, first half: gravity, warm start, the biased solve. Each small step solves
   * for its own impulses from the previous small step's (warm start); the joint drives
   * (`lDrive`) start from zero (Rapier rebuilds joint rows per substep).
   */
  private biasedSolve(it: number, sweeps: number, lDrive: Float64Array): void {
    const h = this.coefficients.h;
    this.applyGravity(h);
    lDrive.fill(0);
    this.applyWarmStart();
    for (let k = 0; k < sweeps; k++) {
      this.solveJoints(h, true, lDrive);
      this.solveContacts(h, it * h, true);
    }
  }

  /** Small step `it`, second half: position integration, the unbiased stabilization solve. */
  private stabilize(it: number, sweeps: number, lDrive: Float64Array): void {
    const h = this.coefficients.h;
    this.integrate(h);
    for (let k = 0; k < sweeps; k++) {
      this.solveJoints(h, false, lDrive);
      this.solveContacts(h, it * h + h, false);
    }
  }

  // ---- Stages, for the tests that run each stage of the WGSL from the same inputs (scene-stages.wgsl).
  // In order they reproduce the first small step of a physics step as `physicsStep` runs it.

  /** Stage: the links placed on the hand, broad phase, narrow phase. Returns the contacts found (copies). */
  stageContacts(): SolverContact[] {
    this.generateContacts();
    return this.copyContacts();
  }

  /** Stage: each of `contacts` starts from the impulses of its match in the warm-start cache. Returns them (copies). */
  stageMatch(contacts: readonly SolverContact[]): SolverContact[] {
    this.useContacts(contacts);
    this.matchCache();
    return this.copyContacts();
  }

  /**
   * Stage: gravity, warm start and the biased solve of a physics step's first small step from
   * `contacts` (generated at the current poses). Writes the joint drives' impulses into
   * `lDrive`; returns the contacts with their impulses (copies).
   */
  stageSolve(contacts: readonly SolverContact[], lDrive: Float64Array): SolverContact[] {
    this.useContacts(contacts);
    this.updateInertia();
    this.biasedSolve(0, this.beginPhysicsStep(), lDrive);
    return this.copyContacts();
  }

  /**
   * Stage: position integration and the unbiased solve of the first small step, after its
   * biased solve (`contacts` and `lDrive` as `stageSolve` left them; the poses are still those
   * the contacts were generated at). Updates `lDrive`; returns the contacts (copies).
   */
  stageStabilize(contacts: readonly SolverContact[], lDrive: Float64Array): SolverContact[] {
    this.useContacts(contacts);
    this.updateInertia();
    this.stabilize(0, this.beginPhysicsStep(), lDrive);
    return this.copyContacts();
  }

  private useContacts(contacts: readonly SolverContact[]): void {
    if (contacts.length > this.capacity) throw new RangeError(`${contacts.length} contacts exceed the capacity ${this.capacity}`);
    contacts.forEach((c, i) => copyContact(c, this.active[i]));
    this.numContacts = contacts.length;
  }

  private copyContacts(): SolverContact[] {
    return this.active.slice(0, this.numContacts).map((c) => copyContact(c, makeSolverContact()));
  }

  /** Whether a contact of this physics step joins a free body to another free body (a stack) or to a link (a held object). */
  private freeBodyTouchesMovingBody(): boolean {
    const { bodyRole } = this.model;
    const moving = (i: number) => bodyRole[i] === BODY_ROLE.free || bodyRole[i] === BODY_ROLE.link;
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.active[i];
      if ((bodyRole[c.a] === BODY_ROLE.free && moving(c.b)) || (bodyRole[c.b] === BODY_ROLE.free && moving(c.a))) return true;
    }
    return false;
  }

  private applyGravity(h: number): void {
    const { bodyRole } = this.model;
    for (let i = 0; i < bodyRole.length; i++) {
      if (bodyRole[i] === BODY_ROLE.free) this.body[i * BODY_STATE_SIZE + 9] += GRAVITY * h;
    }
    const ax = [0, 0, 0];
    for (let j = 0; j < this.s.length; j++) this.sd[j] += GRAVITY * this.jointAxis(j, ax)[2] * h;
  }

  private integrate(h: number): void {
    const { bodyRole } = this.model;
    for (let i = 0; i < bodyRole.length; i++) {
      const role = bodyRole[i];
      if (role !== BODY_ROLE.free && role !== BODY_ROLE.kinematic) continue;
      const o = i * BODY_STATE_SIZE;
      for (let c = 0; c < 3; c++) this.body[o + c] += this.body[o + 7 + c] * h;
      integrateRotation(this.body, o + 3, this.body, o + 10, h);
    }
    for (let j = 0; j < this.s.length; j++) this.s[j] += this.sd[j] * h;
  }

  /** World direction of joint j's axis (its travel grows along it). */
  private jointAxis(j: number, out: number[]): number[] {
    const h = this.hand * BODY_STATE_SIZE;
    quatRotate(out, this.body.subarray(h + 3, h + 7), this.model.joints[j].axis);
    return out;
  }

  /** Joint drives and travel limits: rows on each link's own coordinate. */
  private solveJoints(h: number, bias: boolean, lDrive: Float64Array): void {
    const driveMax = FINGER_SERVO_MAX_FORCE * h;
    for (let j = 0; j < this.s.length; j++) {
      const joint = this.model.joints[j];
      const invM = this.data.mass[joint.body * MASS_SIZE];
      const erpInvDt = joint.stiffness / (h * joint.stiffness + joint.damping);
      const cfm = 1 / (h * h * joint.stiffness + h * joint.damping);
      // Drive: impulse λ solves sd + erpInvDt·(s − target) + cfm·λ = 0, clamped to the actuator force.
      const dvel = this.sd[j] + erpInvDt * (this.s[j] - this.driveTarget) + cfm * lDrive[j];
      const lNew = Math.min(Math.max(lDrive[j] - dvel / (invM + cfm), -driveMax), driveMax);
      this.sd[j] += (lNew - lDrive[j]) * invM;
      lDrive[j] = lNew;
      // Limits (rigid).
      for (const [dist, sign] of [
        [this.s[j] - joint.limits[0], 1],
        [joint.limits[1] - this.s[j], -1],
      ] as const) {
        const rhs = dist > 0 ? dist / h : bias ? dist / h : 0;
        const lambda = Math.max(-(sign * this.sd[j] + rhs) / invM, 0);
        if (lambda > 0) this.sd[j] += sign * lambda * invM;
      }
    }
  }

  /** Position and orientation of body i's reference frame for contacts (the hand's for the hand and its links). */
  private refBody(i: number): number {
    const role = this.model.bodyRole[i];
    return role === BODY_ROLE.link || role === BODY_ROLE.kinematic ? this.hand : i;
  }

  /** Sets every link's pose and velocity rows from the hand and its travel. */
  private updateLinks(): void {
    const h = this.hand * BODY_STATE_SIZE;
    const hq = this.body.subarray(h + 3, h + 7);
    const ax = [0, 0, 0];
    const local = [0, 0, 0];
    const rel = [0, 0, 0];
    const a2 = [0, 0, 0];
    this.model.joints.forEach((joint, j) => {
      const o = joint.body * BODY_STATE_SIZE;
      const q = quatMultiply([0, 0, 0, 1], hq, this.data.linkRotation.subarray(4 * j, 4 * j + 4)) as number[];
      for (let c = 0; c < 3; c++) local[c] = joint.anchor1[c] + joint.axis[c] * this.s[j];
      quatRotate(rel, hq, local);
      quatRotate(a2, q, joint.anchor2);
      this.jointAxis(j, ax);
      for (let c = 0; c < 3; c++) rel[c] -= a2[c];
      const w = this.body.subarray(h + 10, h + 13);
      for (let c = 0; c < 3; c++) this.body[o + c] = this.body[h + c] + rel[c];
      for (let c = 0; c < 4; c++) this.body[o + 3 + c] = q[c];
      this.body[o + 7] = this.body[h + 7] + w[1] * rel[2] - w[2] * rel[1] + ax[0] * this.sd[j];
      this.body[o + 8] = this.body[h + 8] + w[2] * rel[0] - w[0] * rel[2] + ax[1] * this.sd[j];
      this.body[o + 9] = this.body[h + 9] + w[0] * rel[1] - w[1] * rel[0] + ax[2] * this.sd[j];
      for (let c = 0; c < 3; c++) this.body[o + 10 + c] = w[c];
    });
  }

  /** Places every shape at its body's current pose. */
  private placeShapes(): void {
    const { shapeBody } = this.model;
    const offset = [0, 0, 0];
    for (let s = 0; s < shapeBody.length; s++) {
      const o = shapeBody[s] * BODY_STATE_SIZE;
      const d = s * SHAPE_SIZE;
      const q = this.body.subarray(o + 3, o + 7);
      const box = this.boxes[s];
      quatRotate(offset, q, this.data.shape.subarray(d, d + 3));
      for (let i = 0; i < 3; i++) box.c[i] = this.body[o + i] + offset[i];
      rotationMatrix(q, box.r);
      for (let i = 0; i < 3; i++) box.h[i] = this.data.shape[d + 3 + i];
      this.cylinders[s].radius = box.h[0];
      this.cylinders[s].halfHeight = box.h[2];
    }
  }

  /** Whether the bounding boxes of shapes a and b, grown by `margin`, overlap. */
  private boundsOverlap(a: number, b: number, margin: number): boolean {
    const A = this.boxes[a];
    const B = this.boxes[b];
    for (let i = 0; i < 3; i++) {
      const ra = A.h[0] * Math.abs(A.r[3 * i]) + A.h[1] * Math.abs(A.r[3 * i + 1]) + A.h[2] * Math.abs(A.r[3 * i + 2]);
      const rb = B.h[0] * Math.abs(B.r[3 * i]) + B.h[1] * Math.abs(B.r[3 * i + 1]) + B.h[2] * Math.abs(B.r[3 * i + 2]);
      if (Math.abs(A.c[i] - B.c[i]) > ra + rb + margin) return false;
    }
    return true;
  }

  private generateContacts(): void {
    this.updateLinks();
    this.placeShapes();
    this.updateInertia();
    const m = this.manifold;
    const margin = CONTACT_MODEL.predictionDistance;
    const { pairs, shapeBody, shapeFrictionMax } = this.model;
    this.numContacts = 0;
    this.overflow = false;
    for (let k = 0; k < pairs.length; k++) {
      const { a, b } = pairs[k];
      if (!this.boundsOverlap(a, b, margin)) continue;
      const count = this.collide(a, b, margin, m);
      const fa = this.data.shape[a * SHAPE_SIZE + 6];
      const fb = this.data.shape[b * SHAPE_SIZE + 6];
      const mu = shapeFrictionMax[a] || shapeFrictionMax[b] ? Math.max(fa, fb) : 0.5 * (fa + fb);
      for (let i = 0; i < count; i++) {
        if (this.numContacts === this.capacity) {
          this.overflow = true;
          break;
        }
        const c = this.active[this.numContacts++];
        c.pair = k;
        c.a = shapeBody[a];
        c.b = shapeBody[b];
        for (let j = 0; j < 3; j++) {
          c.n[j] = m.n[j];
          c.p[j] = m.p[3 * i + j];
        }
        tangents(c.n, c.t1, c.t2);
        this.sideLever(c.a, c.p, c.rA, c.localA);
        this.sideLever(c.b, c.p, c.rB, c.localB);
        c.d0 = m.d[i];
        c.mu = mu;
        c.lockedA = this.pressesOnStop(c.a, c.n, 1);
        c.lockedB = this.pressesOnStop(c.b, c.n, -1);
        c.kN = this.invEffectiveMass(c, c.n, c.n);
        c.kT1 = this.invEffectiveMass(c, c.t1, c.t1);
        c.kT2 = this.invEffectiveMass(c, c.t2, c.t2);
        c.kT12 = this.invEffectiveMass(c, c.t1, c.t2);
        c.anchor[0] = c.anchor[1] = c.anchor[2] = 0;
        c.lN = c.lT1 = c.lT2 = 0;
      }
    }
  }

  /**
   * Contacts between shapes a and b with the normal from b into a: two boxes, one on the top face
   * of the other, take the fast path (`collideBoxOnFace`), other boxes the separating-axis
   * search; a cylinder against a box or a cylinder its own colliders (collide-cylinder.ts).
   */
  private collide(a: number, b: number, margin: number, m: Manifold): number {
    const cylA = this.model.shapeType[a] === SHAPE_TYPE.cylinder;
    const cylB = this.model.shapeType[b] === SHAPE_TYPE.cylinder;
    if (cylA && cylB) return collideCylinders(this.cylinders[b], this.cylinders[a], margin, m);
    if (cylA) return collideBoxCylinder(this.boxes[b], this.cylinders[a], margin, m);
    if (cylB) return collideCylinderBox(this.cylinders[b], this.boxes[a], margin, m);
    const A = this.boxes[a];
    const B = this.boxes[b];
    const onB = collideBoxOnFace(B, A, margin, m);
    if (onB >= 0) return onB;
    const onA = collideBoxOnFace(A, B, margin, m);
    if (onA >= 0) {
      for (let i = 0; i < 3; i++) m.n[i] = -m.n[i];
      return onA;
    }
    return collideBoxes(B, A, margin, m);
  }

  /** From body i's reference point to p (`r`), and p in the reference frame (`local`). */
  private sideLever(i: number, p: number[], r: number[], local: number[]): void {
    const o = this.refBody(i) * BODY_STATE_SIZE;
    for (let c = 0; c < 3; c++) r[c] = p[c] - this.body[o + c];
    const q = this.body;
    quatRotate(local, [-q[o + 3], -q[o + 4], -q[o + 5], q[o + 6]], r);
  }

  /** World inverse inertia R·I⁻¹·Rᵀ of every free body. */
  private updateInertia(): void {
    const R = new Float64Array(9);
    const { bodyRole } = this.model;
    for (let i = 0; i < bodyRole.length; i++) {
      if (bodyRole[i] !== BODY_ROLE.free) continue;
      const o = i * BODY_STATE_SIZE;
      rotationMatrix(this.body.subarray(o + 3, o + 7), R);
      const d = this.data.mass.subarray(i * MASS_SIZE + 1, i * MASS_SIZE + 4);
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 3; c++) {
          this.invInertia[9 * i + 3 * r + c] = R[3 * r] * d[0] * R[3 * c] + R[3 * r + 1] * d[1] * R[3 * c + 1] + R[3 * r + 2] * d[2] * R[3 * c + 2];
        }
      }
    }
  }

  /**
   * Whether a contact whose impulse acts on body i along sign·n presses i, a link, against the
   * travel stop it rests on (within the allowed error): the stop then holds the link, which moves
   * with the hand in that contact's rows.
   */
  private pressesOnStop(i: number, n: number[], sign: number): boolean {
    const j = this.model.bodyJoint[i];
    if (j < 0) return false;
    const tol = this.settings.allowedLinearError;
    const [lo, hi] = this.model.joints[j].limits;
    const push = sign * dot(this.jointAxis(j, [0, 0, 0]), n);
    return (push < 0 && this.s[j] <= lo + tol) || (push > 0 && this.s[j] >= hi - tol);
  }

  /** Entry (u, w) of one side's inverse effective mass. */
  private sideInvMass(i: number, r: number[], locked: boolean, u: number[], w: number[]): number {
    const role = this.model.bodyRole[i];
    if (role === BODY_ROLE.free) {
      const ru = cross(r, u);
      const rw = cross(r, w);
      const I = this.invInertia.subarray(9 * i, 9 * i + 9);
      let ang = 0;
      for (let a = 0; a < 3; a++) ang += ru[a] * (I[3 * a] * rw[0] + I[3 * a + 1] * rw[1] + I[3 * a + 2] * rw[2]);
      return dot(u, w) * this.data.mass[i * MASS_SIZE] + ang;
    }
    if (role === BODY_ROLE.link && !locked) {
      const ax = this.jointAxis(this.model.bodyJoint[i], [0, 0, 0]);
      return dot(ax, u) * dot(ax, w) * this.data.mass[i * MASS_SIZE];
    }
    return 0;
  }

  private invEffectiveMass(c: SolverContact, u: number[], w: number[]): number {
    return this.sideInvMass(c.a, c.rA, c.lockedA, u, w) + this.sideInvMass(c.b, c.rB, c.lockedB, u, w);
  }

  /** Matches this step's contacts with the cache: each starts from its cached impulses. */
  private matchCache(): void {
    const r2 = CONTACT_MODEL.warmStartRadius * CONTACT_MODEL.warmStartRadius;
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.active[i];
      let bestD = r2;
      let best = -1;
      for (let j = 0; j < this.cacheCount; j++) {
        const o = j * CACHE_STRIDE;
        if (this.cache[o] !== c.pair) continue;
        const dx = this.cache[o + 1] - c.localA[0], dy = this.cache[o + 2] - c.localA[1], dz = this.cache[o + 3] - c.localA[2];
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

  private applyWarmStart(): void {
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.active[i];
      this.applyImpulse(c, c.n, c.lN);
      this.applyImpulse(c, c.t1, c.lT1);
      this.applyImpulse(c, c.t2, c.lT2);
    }
  }

  private saveCache(): void {
    this.cacheCount = this.numContacts;
    this.queryImpulse.fill(0);
    const queries = this.model.contactQueries;
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.active[i];
      const o = i * CACHE_STRIDE;
      this.cache[o] = c.pair;
      this.cache[o + 1] = c.localA[0];
      this.cache[o + 2] = c.localA[1];
      this.cache[o + 3] = c.localA[2];
      this.cache[o + 4] = c.lN;
      this.cache[o + 5] = c.lT1;
      this.cache[o + 6] = c.lT2;
      for (let q = 0; q < queries.length; q++) {
        const [x, y] = queries[q];
        if ((x === c.a && y === c.b) || (x === c.b && y === c.a)) this.queryImpulse[q] = Math.max(this.queryImpulse[q], c.lN);
      }
    }
  }

  /** Velocity along u of the point of body i at lever r. */
  private sideVelocity(i: number, r: number[], u: number[]): number {
    const role = this.model.bodyRole[i];
    if (role === BODY_ROLE.static) return 0;
    const o = this.refBody(i) * BODY_STATE_SIZE;
    const b = this.body;
    const vx = b[o + 7] + b[o + 11] * r[2] - b[o + 12] * r[1];
    const vy = b[o + 8] + b[o + 12] * r[0] - b[o + 10] * r[2];
    const vz = b[o + 9] + b[o + 10] * r[1] - b[o + 11] * r[0];
    let vel = vx * u[0] + vy * u[1] + vz * u[2];
    if (role === BODY_ROLE.link) {
      const j = this.model.bodyJoint[i];
      vel += this.sd[j] * dot(this.jointAxis(j, [0, 0, 0]), u);
    }
    return vel;
  }

  private relativeVelocity(c: SolverContact, u: number[]): number {
    return this.sideVelocity(c.a, c.rA, u) - this.sideVelocity(c.b, c.rB, u);
  }

  /** Applies impulse λ·u to body i (a free body, or a link not held by its stop). */
  private applySide(i: number, r: number[], locked: boolean, u: number[], lambda: number): void {
    const role = this.model.bodyRole[i];
    if (role === BODY_ROLE.free) {
      const o = i * BODY_STATE_SIZE;
      const im = this.data.mass[i * MASS_SIZE];
      for (let c = 0; c < 3; c++) this.body[o + 7 + c] += lambda * u[c] * im;
      const t = cross(r, u);
      const I = this.invInertia.subarray(9 * i, 9 * i + 9);
      for (let a = 0; a < 3; a++) this.body[o + 10 + a] += lambda * (I[3 * a] * t[0] + I[3 * a + 1] * t[1] + I[3 * a + 2] * t[2]);
    } else if (role === BODY_ROLE.link && !locked) {
      const j = this.model.bodyJoint[i];
      this.sd[j] += (lambda * dot(this.jointAxis(j, [0, 0, 0]), u)) * this.data.mass[i * MASS_SIZE];
    }
  }

  /** Applies impulse λ·u to side A and −λ·u to side B. */
  private applyImpulse(c: SolverContact, u: number[], lambda: number): void {
    if (lambda === 0) return;
    this.applySide(c.a, c.rA, c.lockedA, u, lambda);
    this.applySide(c.b, c.rB, c.lockedB, u, -lambda);
  }

  /** Motion since the contact was generated of the point body i carries at lever r (`local` in its reference frame). */
  private sideDisplacement(i: number, r: number[], local: number[], elapsed: number, out: number[]): void {
    const role = this.model.bodyRole[i];
    out[0] = out[1] = out[2] = 0;
    if (role === BODY_ROLE.static) return;
    const o = this.refBody(i) * BODY_STATE_SIZE;
    const ref = this.refBody(i);
    if (role === BODY_ROLE.free) {
      // x + R·local − (x0 + R0·local), with R0·local = r.
      quatRotate(out, this.body.subarray(o + 3, o + 7), local);
      for (let c = 0; c < 3; c++) out[c] += this.body[o + c] - this.x0[3 * ref + c] - r[c];
      return;
    }
    // Hand-carried point: the hand's motion and rotation, plus the link's travel.
    const w = this.body.subarray(o + 10, o + 13);
    for (let c = 0; c < 3; c++) out[c] = this.body[o + c] - this.x0[3 * ref + c];
    out[0] += (w[1] * r[2] - w[2] * r[1]) * elapsed;
    out[1] += (w[2] * r[0] - w[0] * r[2]) * elapsed;
    out[2] += (w[0] * r[1] - w[1] * r[0]) * elapsed;
    if (role === BODY_ROLE.link) {
      const j = this.model.bodyJoint[i];
      const ax = this.jointAxis(j, [0, 0, 0]);
      for (let c = 0; c < 3; c++) out[c] += ax[c] * (this.s[j] - this.s0[j]);
    }
  }

  private relativeDisplacement(c: SolverContact, elapsed: number, out: number[]): void {
    const dB = [0, 0, 0];
    this.sideDisplacement(c.a, c.rA, c.localA, elapsed, out);
    this.sideDisplacement(c.b, c.rB, c.localB, elapsed, dB);
    for (let i = 0; i < 3; i++) out[i] -= dB[i];
  }

  /**
   * One pass over the contacts, manifold by manifold (the contacts of one pair are consecutive):
   * first every normal row of the manifold, then every friction row, as Rapier solves a contact
   * manifold. Solving a point's friction before the manifold's other normals made a heavy cube
   * resting on a light one rock and bounce (7:1 in mass).
   */
  private solveContacts(h: number, elapsed: number, bias: boolean): void {
    let first = 0;
    while (first < this.numContacts) {
      let end = first + 1;
      while (end < this.numContacts && this.active[end].pair === this.active[first].pair) end++;
      for (let i = first; i < end; i++) this.solveNormal(this.active[i], h, elapsed, bias);
      for (let i = first; i < end; i++) this.solveFriction(this.active[i], h, elapsed, bias);
      first = end;
    }
  }

  /** Contact c's normal row (non-penetration, with the soft position bias in the biased pass). */
  private solveNormal(c: SolverContact, h: number, elapsed: number, bias: boolean): void {
    if (c.kN <= 1e-12) return;
    const allowed = this.settings.allowedLinearError;
    const { erpInvDt, cfmFactor } = this.coefficients;
    const disp = this.scratchDisp;
    this.relativeDisplacement(c, elapsed, disp);
    const d = c.d0 + dot(disp, c.n);
    let rhs = Math.max(d, 0) / h;
    if (bias) rhs += Math.max(erpInvDt * Math.min(d + allowed, 0), -CONTACT_MODEL.maxCorrectiveVelocity);
    const dvel = this.relativeVelocity(c, c.n) + rhs;
    let lNew = Math.max(c.lN - dvel / c.kN, 0);
    // Soft (cfm) only where the position bias acts (see reference/gripper-world.ts).
    if (bias && d + allowed < 0) lNew *= cfmFactor;
    this.applyImpulse(c, c.n, lNew - c.lN);
    c.lN = lNew;
  }

  /**
   * Contact c's Coulomb friction: one 2D row in the tangent plane, clamped to the disk of radius
   * μ·λn; the biased pass also pulls the points back together since the step began or the contact
   * last slid.
   */
  private solveFriction(c: SolverContact, h: number, elapsed: number, bias: boolean): void {
    if (c.kN <= 1e-12) return;
    const disp = this.scratchDisp;
    this.relativeDisplacement(c, elapsed, disp);
    const limit = c.mu * c.lN;
    const s1 = this.relativeVelocity(c, c.t1) + (bias ? dot(disp, c.t1) - dot(c.anchor, c.t1) : 0) / h;
    const s2 = this.relativeVelocity(c, c.t2) + (bias ? dot(disp, c.t2) - dot(c.anchor, c.t2) : 0) / h;
    // The impulse acts along the slip itself (Rapier's coupled tangent solve); without a free body
    // the only direction an impulse can act in is a link's travel: the tangent mass's main axis.
    let e1 = s1;
    let e2 = s2;
    const { bodyRole } = this.model;
    if (bodyRole[c.a] !== BODY_ROLE.free && bodyRole[c.b] !== BODY_ROLE.free) {
      e1 = c.kT1 >= c.kT2 ? c.kT1 : c.kT12;
      e2 = c.kT1 >= c.kT2 ? c.kT12 : c.kT2;
    }
    const ke = e1 * e1 * c.kT1 + 2 * e1 * e2 * c.kT12 + e2 * e2 * c.kT2;
    const step = ke > 1e-12 * (e1 * e1 + e2 * e2) ? (e1 * s1 + e2 * s2) / ke : 0;
    const t1 = c.lT1 - step * e1;
    const t2 = c.lT2 - step * e2;
    const mag = Math.hypot(t1, t2);
    const scale = mag > limit ? limit / mag : 1;
    if (!bias && mag > limit) for (let j = 0; j < 3; j++) c.anchor[j] = disp[j];
    const n1 = t1 * scale;
    const n2 = t2 * scale;
    this.applyImpulse(c, c.t1, n1 - c.lT1);
    this.applyImpulse(c, c.t2, n2 - c.lT2);
    c.lT1 = n1;
    c.lT2 = n2;
  }


  /** Writes BODY_STATE_SIZE floats per body, in scene order. */
  readBodies(out: Float32Array | Float64Array, offset: number): void {
    for (let i = 0; i < this.body.length; i++) out[offset + i] = this.body[i];
  }

  /** For each contact query: 1 if its two bodies touch with a pushing contact. */
  readContacts(out: Uint8Array, offset: number): void {
    for (let q = 0; q < this.queryImpulse.length; q++) out[offset + q] = this.queryImpulse[q] > CONTACT_MODEL.pushingImpulse ? 1 : 0;
  }

  /**
   * The last physics step's contacts: each point carried with side A to its current pose, the
   * separation along the normal now, and the normal force (the last small step's impulse over h).
   */
  contacts(): ContactPoint[] {
    const out: ContactPoint[] = [];
    const disp = [0, 0, 0];
    const moved = [0, 0, 0];
    const names = this.model.bodyNames;
    const dt = this.coefficients.dt;
    for (let i = 0; i < this.numContacts; i++) {
      const c = this.active[i];
      this.relativeDisplacement(c, dt, disp);
      this.sideDisplacement(c.a, c.rA, c.localA, dt, moved);
      out.push({
        bodyA: names[c.a],
        bodyB: names[c.b],
        point: [c.p[0] + moved[0], c.p[1] + moved[1], c.p[2] + moved[2]],
        normal: [c.n[0], c.n[1], c.n[2]],
        separation: c.d0 + dot(disp, c.n),
        normalForce: c.lN / this.coefficients.h,
      });
    }
    return out;
  }

  /** The complete dynamic state (bodies, joints, drive, warm-start cache), for `restore`. */
  snapshot(): Float64Array {
    const nb = this.body.length;
    const nj = this.s.length;
    const nq = this.queryImpulse.length;
    const out = new Float64Array(nb + 2 * nj + 4 + nq + this.cacheCount * CACHE_STRIDE);
    let o = 0;
    out.set(this.body, o); o += nb;
    out.set(this.s, o); o += nj;
    out.set(this.sd, o); o += nj;
    out[o++] = this.commanded;
    out[o++] = this.driveTarget;
    out[o++] = this.cacheCount;
    out[o++] = this.overflow ? 1 : 0;
    out.set(this.queryImpulse, o); o += nq;
    out.set(this.cache.subarray(0, this.cacheCount * CACHE_STRIDE), o);
    return out;
  }

  /** Restores `snapshot()` output of a world with this model; throws naming `world` when it does not fit. */
  restore(state: Float64Array, world = 0): void {
    const nb = this.body.length;
    const nj = this.s.length;
    const nq = this.queryImpulse.length;
    const head = nb + 2 * nj + 4 + nq;
    const count = state[nb + 2 * nj + 2];
    if (state.length < head || !Number.isInteger(count) || count < 0 || count > this.capacity || state.length !== head + count * CACHE_STRIDE) {
      throw new Error(`setState: world ${world}: not a GPU-solver state of this task (${state.length} numbers)`);
    }
    let o = 0;
    this.body.set(state.subarray(o, o + nb)); o += nb;
    this.s.set(state.subarray(o, o + nj)); o += nj;
    this.sd.set(state.subarray(o, o + nj)); o += nj;
    this.commanded = state[o++];
    this.driveTarget = state[o++];
    this.cacheCount = state[o++];
    this.overflow = state[o++] !== 0;
    this.queryImpulse.set(state.subarray(o, o + nq)); o += nq;
    this.cache.set(state.subarray(o, o + this.cacheCount * CACHE_STRIDE));
    this.numContacts = 0;
  }
}

/** Copies contact `from` into `to`; returns `to`. */
function copyContact(from: SolverContact, to: SolverContact): SolverContact {
  const { n, t1, t2, p, rA, rB, localA, localB, anchor, ...scalars } = from;
  Object.assign(to, scalars);
  for (let i = 0; i < 3; i++) {
    to.n[i] = n[i]; to.t1[i] = t1[i]; to.t2[i] = t2[i]; to.p[i] = p[i]; to.rA[i] = rA[i]; to.rB[i] = rB[i];
    to.localA[i] = localA[i]; to.localB[i] = localB[i]; to.anchor[i] = anchor[i];
  }
  return to;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function cross(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Angular velocity that rotates orientation a into b in time dt. */
function angularVelocity(out: number[], a: ArrayLike<number>, b: ArrayLike<number>, dt: number): void {
  quatToRotationVector(out, quatMultiply([0, 0, 0, 1], b, [-a[0], -a[1], -a[2], a[3]]));
  for (let i = 0; i < 3; i++) out[i] /= dt;
}

/** q ← exp(w·h) ⊗ q, normalized (q at `qo`, w at `wo`). */
function integrateRotation(q: Float64Array, qo: number, w: Float64Array, wo: number, h: number): void {
  const dq = quatFromRotationVector([0, 0, 0, 1], [w[wo] * h, w[wo + 1] * h, w[wo + 2] * h]);
  const next = quatNormalize([0, 0, 0, 1], quatMultiply([0, 0, 0, 1], dq, q.subarray(qo, qo + 4)));
  for (let i = 0; i < 4; i++) q[qo + i] = next[i];
}

/** Orthonormal tangents of unit normal n. */
function tangents(n: number[], t1: number[], t2: number[]): void {
  if (Math.abs(n[0]) < 0.57735) {
    t1[0] = 0; t1[1] = n[2]; t1[2] = -n[1];
  } else {
    t1[0] = n[1]; t1[1] = -n[0]; t1[2] = 0;
  }
  const l = Math.hypot(t1[0], t1[1], t1[2]);
  for (let i = 0; i < 3; i++) t1[i] /= l;
  t2[0] = n[1] * t1[2] - n[2] * t1[1];
  t2[1] = n[2] * t1[0] - n[0] * t1[2];
  t2[2] = n[0] * t1[1] - n[1] * t1[0];
}

/** Row-major rotation matrix of quaternion q [x, y, z, w] (column i is local axis i). */
function rotationMatrix(q: ArrayLike<number>, r: Float64Array): void {
  const [qx, qy, qz, qw] = [q[0], q[1], q[2], q[3]];
  r[0] = 1 - 2 * (qy * qy + qz * qz); r[1] = 2 * (qx * qy - qz * qw); r[2] = 2 * (qx * qz + qy * qw);
  r[3] = 2 * (qx * qy + qz * qw); r[4] = 1 - 2 * (qx * qx + qz * qz); r[5] = 2 * (qy * qz - qx * qw);
  r[6] = 2 * (qx * qz - qy * qw); r[7] = 2 * (qy * qz + qx * qw); r[8] = 1 - 2 * (qx * qx + qy * qy);
}
