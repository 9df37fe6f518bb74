import type { Collider, ImpulseJoint, PrismaticImpulseJoint, RigidBody, World } from '@dimforge/rapier3d-simd-compat';
import type { Rapier } from './rapier-module.js';
import type { PhysicsSettings } from './physics-settings.js';
import { BODY_STATE_SIZE, shapeVolume, type SceneDesc } from '../../scene/scene-desc.js';
import { quatNlerp, quatRotate } from '../../math/quat.js';
import { commandedTravel, FINGER_SERVO_MAX_FORCE, gripperServoTarget } from '../../agents/parallel-gripper/drive.js';
import type { ContactPoint } from '../../sim/contacts.js';
import type { CpuWorld } from '../cpu-shards/cpu-world.js';
import { islandIterations, stepImpulse } from './impulse-report.js';

/**
 * Extra solver iterations of the islands that hold a finger. A held object hangs on a 50 g
 * finger through friction (up to a 10:1 mass ratio); with the world's 4 iterations the finger's
 * joint to the hand converges so slowly that a lifted 0.5 kg cube sagged in the grasp (the
 * lift-hold scenario: 1 of 32 worlds within 1 mm without extra iterations). With 6 more every
 * Rapier scenario but the off-centre push passes in 32 of 32 worlds (12 did no better, at a
 * lower throughput); islands without a finger pay nothing.
 */
const FINGER_EXTRA_ITERATIONS = 6;

/** Contact impulse (N·s) above which a contact counts as pushing. */
const PUSHING_IMPULSE = 1e-5;


/**
 * One simulated world on Rapier: the scene's bodies, box colliders and prismatic finger
 * drives, stepped with the kinematic controlled body following the controller's target.
 *
 * The fingers are mounted on the hand: a prismatic joint leaves each finger its travel along
 * the closing axis, and the finger's orientation is the hand's. Rapier's JS API gives
 * multibody joints neither motors nor a kinematic root that follows its target (measured on
 * 0.21; 0.20, the SIMD build's version, has the same multibody API), so each finger is a
 * dynamic body on an impulse joint whose rotational inertia is locked (the mount is as stiff
 * in rotation as the kinematic hand) and whose angular velocity is, every physics step, the
 * one that turns it onto the hand's next orientation: the finger turns with the hand through
 * the solver — its pads move, and drag what they pinch, as the hand turns — instead of being
 * set to the hand's orientation between steps.
 * Owns WASM memory: call `free()`.
 */
export class RapierWorld implements CpuWorld<Uint8Array> {
  private constructor(
    readonly world: World,
    readonly bodies: RigidBody[],
    readonly colliders: Collider[][],
    readonly joints: PrismaticImpulseJoint[],
    private readonly scene: SceneDesc,
    private readonly settings: PhysicsSettings,
  ) {}

  private commandedTravel = 0;
  private readonly travelScratch: number[] = [];
  /** Reused every substep (Rapier copies vectors and rotations into WASM on each call). */
  private readonly scratch = {
    from: new Float64Array(4),
    to: new Float64Array(4),
    pose: new Float64Array(4),
    handRotation: new Float64Array(4),
    fingerRotation: new Float64Array(4),
    angularVelocity: { x: 0, y: 0, z: 0 },
    axis: new Float64Array(3),
    anchor: new Float64Array(3),
    translation: { x: 0, y: 0, z: 0 },
    rotation: { x: 0, y: 0, z: 0, w: 1 },
    /** Targets of Rapier's getters (which otherwise allocate a new object per call). */
    v0: { x: 0, y: 0, z: 0 },
    v1: { x: 0, y: 0, z: 0 },
    q0: { x: 0, y: 0, z: 0, w: 1 },
  };

  /** Builds a world from a scene description. */
  static build(rapier: Rapier, scene: SceneDesc, settings: PhysicsSettings): RapierWorld {
    const world = new rapier.World({ x: 0, y: 0, z: -9.81 });
    RapierWorld.configure(world, settings);
    const bodies: RigidBody[] = [];
    const colliders: Collider[][] = [];
    for (const desc of scene.bodies) {
      const bodyDesc =
        desc.kind === 'fixed'
          ? rapier.RigidBodyDesc.fixed()
          : desc.kind === 'kinematic'
            ? rapier.RigidBodyDesc.kinematicPositionBased()
            : rapier.RigidBodyDesc.dynamic().setCanSleep(false);
      bodyDesc
        .setTranslation(desc.position[0], desc.position[1], desc.position[2])
        .setRotation({ x: desc.rotation[0], y: desc.rotation[1], z: desc.rotation[2], w: desc.rotation[3] });
      // A finger's rotation is its mount's (the hand's): locked inertia, turned by `turnFingersWithHand`.
      if (desc.kind === 'dynamic' && isFinger(scene, scene.bodies.indexOf(desc))) {
        bodyDesc.lockRotations().setAdditionalSolverIterations(FINGER_EXTRA_ITERATIONS);
      }
      const body = world.createRigidBody(bodyDesc);
      let totalVolume = 0;
      for (const s of desc.shapes) totalVolume += shapeVolume(s);
      const shapeColliders: Collider[] = [];
      for (const s of desc.shapes) {
        const c = (
          s.type === 'cylinder'
            ? // Rapier's cylinder axis is its local y; a quarter turn about x puts it on the body's z.
              rapier.ColliderDesc.cylinder(s.halfHeight, s.radius).setRotation({ x: Math.SQRT1_2, y: 0, z: 0, w: Math.SQRT1_2 })
            : rapier.ColliderDesc.cuboid(s.halfExtents[0], s.halfExtents[1], s.halfExtents[2])
        )
          .setTranslation(s.offset[0], s.offset[1], s.offset[2])
          .setFriction(s.friction)
          .setFrictionCombineRule(
            s.frictionCombine === 'max' ? rapier.CoefficientCombineRule.Max : rapier.CoefficientCombineRule.Average,
          )
          .setRestitution(0)
          .setCollisionGroups(((s.group & 0xffff) << 16) | (s.collidesWith & 0xffff));
        if (desc.kind === 'dynamic' && desc.mass !== undefined) c.setDensity(desc.mass / totalVolume);
        shapeColliders.push(world.createCollider(c, body));
      }
      bodies.push(body);
      colliders.push(shapeColliders);
    }
    const joints: PrismaticImpulseJoint[] = [];
    for (const j of scene.joints) {
      const data = rapier.JointData.prismatic(
        { x: j.anchor1[0], y: j.anchor1[1], z: j.anchor1[2] },
        { x: j.anchor2[0], y: j.anchor2[1], z: j.anchor2[2] },
        { x: j.axis[0], y: j.axis[1], z: j.axis[2] },
      );
      data.limitsEnabled = true;
      data.limits = [j.limits[0], j.limits[1]];
      const joint = world.createImpulseJoint(data, bodies[j.body1], bodies[j.body2], true) as PrismaticImpulseJoint;
      joint.setContactsEnabled(false);
      joint.configureMotorModel(rapier.MotorModel.ForceBased);
      // The actuator's share (≤ the grip force) plus the rack coupling's (see agents/parallel-gripper/drive.ts).
      joint.setMotorMaxForce(FINGER_SERVO_MAX_FORCE);
      joint.configureMotorPosition(j.limits[1], j.drive.stiffness, j.drive.damping);
      joints.push(joint);
    }
    return new RapierWorld(world, bodies, colliders, joints, scene, settings);
  }

  /**
   * Restores a world from `snapshot()` bytes; `scene` must be the scene it was built from.
   * Throws naming world `index` when the bytes are not a Rapier snapshot of that scene.
   */
  static restore(rapier: Rapier, bytes: Uint8Array, scene: SceneDesc, settings: PhysicsSettings, handles: WorldHandles, index = 0): RapierWorld {
    const world = rapier.World.restoreSnapshot(bytes) as World | null;
    if (!world) throw new Error(`setState: world ${index}: snapshot is not a Rapier world snapshot (${bytes.length} bytes)`);
    if (handles.bodies.some((h) => !world.getRigidBody(h))) {
      world.free();
      throw new Error(`setState: world ${index}: snapshot does not hold this task's bodies`);
    }
    RapierWorld.configure(world, settings);
    const bodies = handles.bodies.map((h) => world.getRigidBody(h));
    const colliders = handles.colliders.map((row) => row.map((h) => world.getCollider(h)));
    const joints = handles.joints.map((h) => world.getImpulseJoint(h) as PrismaticImpulseJoint);
    return new RapierWorld(world, bodies, colliders, joints, scene, settings);
  }

  private static configure(world: World, settings: PhysicsSettings): void {
    world.timestep = 1 / (settings.controlHz * settings.substeps);
    world.numSolverIterations = settings.solverIterations;
    world.numInternalPgsIterations = settings.pgsIterations;
    const ip = world.integrationParameters;
    ip.contact_natural_frequency = settings.contactNaturalFrequency;
    ip.normalizedAllowedLinearError = settings.allowedLinearError;
    ip.normalizedPredictionDistance = settings.predictionDistance / ip.lengthUnit;
  }

  /** Handles that find this world's objects again after `restore`. */
  handles(): WorldHandles {
    return {
      bodies: this.bodies.map((b) => b.handle),
      colliders: this.colliders.map((row) => row.map((c) => c.handle)),
      joints: this.joints.map((j: ImpulseJoint) => j.handle),
    };
  }

  /** Serializes the complete world (bodies, contacts with warm-start impulses, joints). */
  snapshot(): Uint8Array {
    return this.world.takeSnapshot();
  }

  /** Sets the gripper command: -1 opens the fingers to their upper limit, +1 closes them fully. */
  setGripperCommand(command: number): void {
    this.commandedTravel = commandedTravel(command);
  }

  /** Current travel of each prismatic joint (m), written to `out`. */
  readJointTravel(out: number[]): number[] {
    const hand = this.bodies[this.scene.controlledBody];
    const { v0, v1, q0, handRotation: hq, axis, anchor } = this.scratch;
    const ht = hand.translation(v0);
    const hr = hand.rotation(q0);
    hq[0] = hr.x; hq[1] = hr.y; hq[2] = hr.z; hq[3] = hr.w;
    for (let i = 0; i < this.joints.length; i++) {
      const j = this.scene.joints[i];
      const ft = this.bodies[j.body2].translation(v1);
      const dx = ft.x - ht.x, dy = ft.y - ht.y, dz = ft.z - ht.z;
      quatRotate(axis, hq, j.axis);
      quatRotate(anchor, hq, j.anchor1);
      out[i] = (dx - anchor[0]) * axis[0] + (dy - anchor[1]) * axis[1] + (dz - anchor[2]) * axis[2];
    }
    return out;
  }

  /**
   * The gripper's one actuator and its rack (agents/parallel-gripper/drive.ts): both finger
   * servos aim at the common target, which follows the command but stays within
   * maxForce / stiffness of the fingers' mean travel.
   */
  private updateGripperDrives(): void {
    if (this.joints.length !== 2) return;
    const travel = this.readJointTravel(this.travelScratch);
    const target = gripperServoTarget(this.commandedTravel, travel[0], travel[1]);
    const d = this.scene.joints[0].drive;
    for (const joint of this.joints) joint.configureMotorPosition(target, d.stiffness, d.damping);
  }

  /**
   * Gives each finger the angular velocity that turns it from its orientation onto the hand's
   * orientation `next` over one physics step `dt` (the mount's rotational constraint, at
   * velocity level; the joint's linear rows carry the finger's position).
   */
  private turnFingersWithHand(next: Float64Array, dt: number): void {
    const { fingerRotation: f, angularVelocity, q0 } = this.scratch;
    for (const j of this.scene.joints) {
      const finger = this.bodies[j.body2];
      const r = finger.rotation(q0);
      f[0] = r.x; f[1] = r.y; f[2] = r.z; f[3] = r.w;
      rotationRate(angularVelocity, f, next, dt);
      finger.setAngvel(angularVelocity, false);
    }
  }

  /**
   * Advances one control step: the controlled body moves from pose `from` to pose `to`
   * (each [x, y, z, qx, qy, qz, qw] at `fromOffset`/`toOffset`) in equal substeps.
   */
  stepControl(from: ArrayLike<number>, fromOffset: number, to: ArrayLike<number>, toOffset: number): void {
    const body = this.bodies[this.scene.controlledBody];
    const n = this.settings.substeps;
    const { from: a, to: b, pose: q, translation, rotation } = this.scratch;
    for (let i = 0; i < 4; i++) {
      a[i] = from[fromOffset + 3 + i];
      b[i] = to[toOffset + 3 + i];
    }
    for (let k = 1; k <= n; k++) {
      const t = k / n;
      translation.x = from[fromOffset] + (to[toOffset] - from[fromOffset]) * t;
      translation.y = from[fromOffset + 1] + (to[toOffset + 1] - from[fromOffset + 1]) * t;
      translation.z = from[fromOffset + 2] + (to[toOffset + 2] - from[fromOffset + 2]) * t;
      body.setNextKinematicTranslation(translation);
      quatNlerp(q, a, b, t);
      rotation.x = q[0]; rotation.y = q[1]; rotation.z = q[2]; rotation.w = q[3];
      body.setNextKinematicRotation(rotation);
      this.turnFingersWithHand(q, this.world.timestep);
      this.updateGripperDrives();
      this.world.step();
    }
  }

  /** Writes BODY_STATE_SIZE floats per body (pose, then velocities) into `out` at `offset`. */
  readBodies(out: Float32Array | Float64Array, offset: number): void {
    let o = offset;
    const { v0, q0 } = this.scratch;
    for (const body of this.bodies) {
      const t = body.translation(v0);
      const r = body.rotation(q0);
      out[o] = t.x; out[o + 1] = t.y; out[o + 2] = t.z;
      out[o + 3] = r.x; out[o + 4] = r.y; out[o + 5] = r.z; out[o + 6] = r.w;
      const v = body.linvel(v0);
      out[o + 7] = v.x; out[o + 8] = v.y; out[o + 9] = v.z;
      const w = body.angvel(v0);
      out[o + 10] = w.x; out[o + 11] = w.y; out[o + 12] = w.z;
      o += BODY_STATE_SIZE;
    }
  }

  /**
   * For each of the scene's contact queries, 1 if the two bodies touch with a pushing contact
   * (a normal impulse above `PUSHING_IMPULSE`). The impulse is the one rapier.js 0.20 reports,
   * with the step's warm-start impulse counted in (see `impulse-report.ts`), so a contact that
   * stops pushing may read as pushing for one more physics step.
   */
  readContacts(out: Uint8Array, offset: number): void {
    const queries = this.scene.contactQueries;
    for (let q = 0; q < queries.length; q++) {
      let touching = 0;
      for (const c1 of this.colliders[queries[q][0]]) {
        for (const c2 of this.colliders[queries[q][1]]) {
          this.world.contactPair(c1, c2, (manifold) => {
            for (let i = 0; i < manifold.numContacts(); i++) {
              if (manifold.contactImpulse(i) > PUSHING_IMPULSE) touching = 1;
            }
          });
        }
      }
      out[offset + q] = touching;
    }
  }

  /**
   * Every contact point of the narrow phase's manifolds (Rapier's `contactPair`), the pair
   * ordered as the scene lists the bodies (`bodyA` the later one). Each manifold point is a
   * pair of points, one on each shape (in that shape's frame); the reported point is midway
   * between them in the world and the separation is their distance along the normal, both
   * from the shapes' current poses — the manifold's own `contactDist` is not used: rapier.js
   * reports distances of a held pad (12–20 mm) that its points contradict. The normal force
   * is the point's normal impulse over the physics step, the impulse taken back from what
   * rapier.js 0.20 reports (the warm-start impulse counted in: see `impulse-report.ts`), which
   * is exact for a steady contact (resting, held) and approximate while the impulse changes.
   */
  contacts(): ContactPoint[] {
    const names = this.scene.bodies.map((b) => b.name);
    const dt = this.world.timestep;
    const p1 = [0, 0, 0], p2 = [0, 0, 0];
    const points: { a: number; b: number; point: ContactPoint; impulse: number }[] = [];
    const links: [number, number][] = this.scene.joints.map((j) => [j.body1, j.body2]);
    for (let a = 0; a < this.colliders.length; a++) {
      for (let b = 0; b < a; b++) {
        for (const ca of this.colliders[a]) {
          for (const cb of this.colliders[b]) {
            this.world.contactPair(ca, cb, (manifold, flipped) => {
              if (manifold.numSolverContacts() > 0) links.push([a, b]);
              // With `flipped`, the manifold's shape 1 is `cb`; its normal points from shape 1 to 2.
              const [first, second] = flipped ? [cb, ca] : [ca, cb];
              const n = manifold.normal();
              // Normal from body b into body a: the manifold's, negated when a is its shape 1.
              const sign = first === ca ? -1 : 1;
              for (let i = 0; i < manifold.numContacts(); i++) {
                const local1 = manifold.localContactPoint1(i);
                const local2 = manifold.localContactPoint2(i);
                if (!local1 || !local2) continue;
                toWorld(p1, first, local1);
                toWorld(p2, second, local2);
                const point: ContactPoint = {
                  bodyA: names[a],
                  bodyB: names[b],
                  point: [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2, (p1[2] + p2[2]) / 2],
                  normal: [sign * n.x, sign * n.y, sign * n.z],
                  separation: (p2[0] - p1[0]) * n.x + (p2[1] - p1[1]) * n.y + (p2[2] - p1[2]) * n.z,
                  normalForce: 0,
                };
                points.push({ a, b, point, impulse: manifold.contactImpulse(i) });
              }
            });
          }
        }
      }
    }
    const dynamic = this.scene.bodies.map((d) => d.kind === 'dynamic');
    const extra = this.scene.bodies.map((_, i) => (isFinger(this.scene, i) ? FINGER_EXTRA_ITERATIONS : 0));
    const iterations = islandIterations(dynamic, extra, links, this.settings.solverIterations);
    for (const { a, b, point, impulse } of points) {
      point.normalForce = stepImpulse(impulse, dynamic[a] ? iterations[a] : iterations[b]) / dt;
    }
    return points.map((p) => p.point);
  }

  /**
   * Always true: Rapier does not report a broken world of its own (a blow-up shows in the
   * bodies' states, which the shard checks against `FAULT_LIMITS`).
   */
  isHealthy(): boolean {
    return true;
  }

  /** Sets body `body`'s linear and angular velocity (world frame) and wakes it. */
  setVelocity(body: number, linvel: readonly number[], angvel: readonly number[]): void {
    this.bodies[body].setLinvel({ x: linvel[0], y: linvel[1], z: linvel[2] }, true);
    this.bodies[body].setAngvel({ x: angvel[0], y: angvel[1], z: angvel[2] }, true);
  }

  /** Releases the world's WASM memory. */
  free(): void {
    this.world.free();
  }
}

/** Whether body `i` is a finger: the second body of one of the scene's joints. */
function isFinger(scene: SceneDesc, i: number): boolean {
  return scene.joints.some((j) => j.body2 === i);
}

/** World position of a point given in a collider's frame. */
function toWorld(out: number[], collider: Collider, local: { x: number; y: number; z: number }): void {
  const t = collider.translation();
  const r = collider.rotation();
  quatRotate(out, [r.x, r.y, r.z, r.w], [local.x, local.y, local.z]);
  out[0] += t.x; out[1] += t.y; out[2] += t.z;
}

/**
 * Angular velocity (rad/s, world frame) that turns orientation `from` onto `to` in `dt`:
 * the rotation vector of to·from⁻¹ (the shorter way round) over dt.
 */
function rotationRate(out: { x: number; y: number; z: number }, from: ArrayLike<number>, to: ArrayLike<number>, dt: number): void {
  const [bx, by, bz, bw] = [-from[0], -from[1], -from[2], from[3]];
  const [ax, ay, az, aw] = [to[0], to[1], to[2], to[3]];
  let x = aw * bx + ax * bw + ay * bz - az * by;
  let y = aw * by - ax * bz + ay * bw + az * bx;
  let z = aw * bz + ax * by - ay * bx + az * bw;
  const w = aw * bw - ax * bx - ay * by - az * bz;
  const sin = Math.hypot(x, y, z);
  if (sin < 1e-12) {
    out.x = out.y = out.z = 0;
    return;
  }
  const scale = (2 * Math.atan2(sin, Math.abs(w))) / (sin * dt) * (w < 0 ? -1 : 1);
  x *= scale; y *= scale; z *= scale;
  out.x = x; out.y = y; out.z = z;
}

/** Handles of a world's bodies, colliders and joints. */
export interface WorldHandles {
  bodies: number[];
  colliders: number[][];
  joints: number[];
}
