import type { MjData, MjModel } from '@mujoco/mujoco';
import { BODY_STATE_SIZE, type SceneDesc } from '../../scene/scene-desc.js';
import { quatNlerp, quatRotate } from '../../math/quat.js';
import { commandedTravel, gripperServoTarget } from '../../agents/parallel-gripper/drive.js';
import type { ContactPoint } from '../../sim/contacts.js';
import type { CpuWorld } from '../cpu-shards/cpu-world.js';
import type { Mujoco } from './mujoco-module.js';
import type { ModelLayout, SceneModels } from './scene-model.js';

/** Normal force (N) above which a contact counts as pushing. */
export const PUSHING_FORCE = 1e-3;

/** Fraction of the arena a world may use before it counts as overflowing (MuJoCo drops contacts or constraints when full). */
const ARENA_FAULT_FRACTION = 0.9;

/** Typed-array views into one world's `mjData` (taken again when the WASM memory grows). */
interface DataViews {
  qpos: Float64Array;
  qvel: Float64Array;
  ctrl: Float64Array;
  mocapPos: Float64Array;
  mocapQuat: Float64Array;
  sensordata: Float64Array;
  xpos: Float64Array;
  xquat: Float64Array;
  cvel: Float64Array;
  subtreeCom: Float64Array;
}

/**
 * One simulated world on MuJoCo: its own `mjModel` (the scene's numbers written into a copy
 * of its structure's template, see `SceneModels`) and `mjData`, stepped with the controlled
 * body's mocap target following the controller's path and the gripper's servo target
 * recomputed every MuJoCo step. Owns WASM memory: call `free()`.
 */
export class MujocoWorld implements CpuWorld<Float64Array> {
  private views: DataViews;
  private commanded = 0;
  private readonly scratch = {
    from: new Float64Array(4),
    to: new Float64Array(4),
    quat: new Float64Array(4),
    vec: new Float64Array(3),
    local: new Float64Array(3),
  };
  /**
   * Simulated time (s) the data should show. MuJoCo's own reset of a diverging world (time back
   * to 0) is disabled in the MJCF; should it happen anyway, the time gives it away.
   */
  private expectedTime = 0;
  private healthy = true;
  /** MuJoCo's timestep and arena size (read once: every embind getter call costs). */
  private readonly timestep: number;
  private readonly arenaBytes: number;

  private constructor(
    private readonly mj: Mujoco,
    private readonly models: SceneModels,
    private model: MjModel,
    private data: MjData,
    private layout: ModelLayout,
    private key: string,
    private scene: SceneDesc,
    /** MuJoCo steps per control step. */
    readonly substeps: number,
  ) {
    const opt = model.opt;
    this.timestep = opt.timestep;
    opt.delete();
    this.arenaBytes = model.narena;
    this.views = this.takeViews();
    this.resetData();
  }

  /** Builds a world for `scene`; `substeps` MuJoCo steps make one control step. */
  static build(mj: Mujoco, models: SceneModels, scene: SceneDesc, substeps: number): MujocoWorld {
    const { model, layout, key } = models.instantiate(scene);
    const data = new mj.MjData(model);
    return new MujocoWorld(mj, models, model, data, layout, key, scene, substeps);
  }

  /**
   * Starts this world over as `scene` (a new episode), reusing its model and data when the
   * scene has the same structure (no allocation); otherwise replaces them.
   */
  rebuild(scene: SceneDesc): void {
    if (!this.models.rewrite(this.model, this.data, this.key, scene)) {
      this.data.delete();
      this.model.delete();
      const { model, layout, key } = this.models.instantiate(scene);
      this.model = model;
      this.layout = layout;
      this.key = key;
      this.data = new this.mj.MjData(model);
    }
    this.scene = scene;
    this.views = this.takeViews();
    this.resetData();
  }

  private resetData(): void {
    this.mj.mj_resetData(this.model, this.data);
    this.expectedTime = 0;
    this.healthy = true;
    this.forwardKinematics();
  }

  private takeViews(): DataViews {
    const d = this.data;
    return {
      qpos: d.qpos,
      qvel: d.qvel,
      ctrl: d.ctrl,
      mocapPos: d.mocap_pos,
      mocapQuat: d.mocap_quat,
      sensordata: d.sensordata,
      xpos: d.xpos,
      xquat: d.xquat,
      cvel: d.cvel,
      subtreeCom: d.subtree_com,
    };
  }

  /** The views, taken again if the WASM memory grew since (old views are then detached). */
  private get v(): DataViews {
    if (this.views.qpos.byteLength === 0) this.views = this.takeViews();
    return this.views;
  }

  /** Sets the gripper command: −1 opens the fingers fully, +1 closes them. */
  setGripperCommand(command: number): void {
    this.commanded = commandedTravel(command);
  }

  /**
   * Advances one control step: the controlled body's target moves from pose `from` to pose
   * `to` (each [x, y, z, qx, qy, qz, qw]) in `substeps` equal parts (linear / nlerp), one
   * `mj_step` each, the finger servos' target recomputed from the current travels before
   * every step (`gripperServoTarget`).
   */
  stepControl(from: ArrayLike<number>, fromOffset: number, to: ArrayLike<number>, toOffset: number): void {
    const n = this.substeps;
    const { from: a, to: b, quat: q } = this.scratch;
    for (let i = 0; i < 4; i++) {
      a[i] = from[fromOffset + 3 + i];
      b[i] = to[toOffset + 3 + i];
    }
    const L = this.layout;
    const m = L.mocapId;
    const joints = L.jointQpos;
    const dt = this.timestep;
    for (let k = 1; k <= n; k++) {
      const v = this.v;
      const t = k / n;
      if (m >= 0) {
        for (let i = 0; i < 3; i++) v.mocapPos[3 * m + i] = from[fromOffset + i] + (to[toOffset + i] - from[fromOffset + i]) * t;
        quatNlerp(q, a, b, t);
        v.mocapQuat[4 * m] = q[3];
        v.mocapQuat[4 * m + 1] = q[0];
        v.mocapQuat[4 * m + 2] = q[1];
        v.mocapQuat[4 * m + 3] = q[2];
      }
      if (joints.length > 0) {
        const target = gripperServoTarget(this.commanded, v.qpos[joints[0]], v.qpos[joints[joints.length > 1 ? 1 : 0]]);
        for (const act of L.actuatorIds) v.ctrl[act] = target;
      }
      this.mj.mj_step(this.model, this.data);
    }
    this.expectedTime += n * dt;
    // A world MuJoCo reset by itself, or whose arena overflowed (contacts dropped), is a fault.
    if (Math.abs(this.data.time - this.expectedTime) > 0.5 * dt) this.healthy = false;
    if (this.data.maxuse_arena > ARENA_FAULT_FRACTION * this.arenaBytes) this.healthy = false;
    this.forwardKinematics();
  }

  /** False once MuJoCo has reset the world by itself or its arena overflowed (then the shard resets it). */
  isHealthy(): boolean {
    return this.healthy;
  }

  /** Poses and velocities of every body at the current state (mj_step leaves them at the step's start). */
  private forwardKinematics(): void {
    this.mj.mj_kinematics(this.model, this.data);
    this.mj.mj_comPos(this.model, this.data);
    this.mj.mj_comVel(this.model, this.data);
  }

  /** Current travel of each prismatic joint (m), written to `out`. */
  readJointTravel(out: number[]): number[] {
    const qpos = this.v.qpos;
    const joints = this.layout.jointQpos;
    for (let i = 0; i < joints.length; i++) out[i] = qpos[joints[i]];
    return out;
  }

  /** Writes BODY_STATE_SIZE floats per body (position, quaternion [x, y, z, w], linear and angular velocity) at `offset`. */
  readBodies(out: Float32Array | Float64Array, offset: number): void {
    const { xpos, xquat, cvel, subtreeCom } = this.v;
    const rootId = this.layout.rootIds;
    let o = offset;
    for (const b of this.layout.bodyIds) {
      out[o] = xpos[3 * b];
      out[o + 1] = xpos[3 * b + 1];
      out[o + 2] = xpos[3 * b + 2];
      out[o + 3] = xquat[4 * b + 1];
      out[o + 4] = xquat[4 * b + 2];
      out[o + 5] = xquat[4 * b + 3];
      out[o + 6] = xquat[4 * b];
      // cvel is [angular, linear] at the subtree centre of mass of the body's root.
      const wx = cvel[6 * b], wy = cvel[6 * b + 1], wz = cvel[6 * b + 2];
      const r = rootId[b];
      const dx = xpos[3 * b] - subtreeCom[3 * r];
      const dy = xpos[3 * b + 1] - subtreeCom[3 * r + 1];
      const dz = xpos[3 * b + 2] - subtreeCom[3 * r + 2];
      out[o + 7] = cvel[6 * b + 3] + wy * dz - wz * dy;
      out[o + 8] = cvel[6 * b + 4] + wz * dx - wx * dz;
      out[o + 9] = cvel[6 * b + 5] + wx * dy - wy * dx;
      out[o + 10] = wx;
      out[o + 11] = wy;
      out[o + 12] = wz;
      o += BODY_STATE_SIZE;
    }
  }

  /** For each of the scene's contact queries, 1 if the two bodies touch with a pushing contact in the last MuJoCo step. */
  readContacts(out: Uint8Array, offset: number): void {
    const sensordata = this.v.sensordata;
    const adr = this.layout.sensorAdr;
    for (let q = 0; q < adr.length; q++) out[offset + q] = sensordata[adr[q]] > PUSHING_FORCE ? 1 : 0;
  }

  /**
   * The contacts of the last MuJoCo step, the pair ordered as the scene lists the bodies
   * (`bodyA` the later one): MuJoCo's contact point (midway between the surfaces), the normal
   * from bodyB into bodyA, the signed distance, and the normal force from `mj_contactForce`.
   */
  contacts(): ContactPoint[] {
    const out: ContactPoint[] = [];
    const names = this.scene.bodies.map((b) => b.name);
    const vec = this.data.contact;
    const force = new this.mj.DoubleBuffer(6);
    try {
      for (let i = 0; i < vec.size(); i++) {
        const c = vec.get(i)!;
        try {
          if (c.exclude !== 0 || c.efc_address < 0) continue;
          const b1 = this.layout.geomBody[c.geom1];
          const b2 = this.layout.geomBody[c.geom2];
          if (b1 < 0 || b2 < 0) continue;
          this.mj.mj_contactForce(this.model, this.data, i, force);
          const f = force.GetView() as Float64Array;
          const frame = c.frame as Float64Array;
          const pos = c.pos as Float64Array;
          // MuJoCo's normal points from geom1 to geom2: into bodyA when bodyA is geom2's body.
          const a = Math.max(b1, b2);
          const b = Math.min(b1, b2);
          const sign = a === b2 ? 1 : -1;
          out.push({
            bodyA: names[a],
            bodyB: names[b],
            point: [pos[0], pos[1], pos[2]],
            normal: [sign * frame[0], sign * frame[1], sign * frame[2]],
            separation: c.dist,
            normalForce: Math.max(0, f[0]),
          });
        } finally {
          c.delete();
        }
      }
    } finally {
      force.delete();
      vec.delete();
    }
    return out;
  }

  /**
   * Sets a body's velocity (world frame). A free body takes it as is; a body on a slide
   * joint takes the part along its axis, relative to its parent; a fixed body ignores it.
   */
  setVelocity(body: number, linvel: readonly number[], angvel: readonly number[]): void {
    const v = this.v;
    const L = this.layout;
    const b = L.bodyIds[body];
    const q = this.scratch.quat;
    q[0] = v.xquat[4 * b + 1]; q[1] = v.xquat[4 * b + 2]; q[2] = v.xquat[4 * b + 3]; q[3] = v.xquat[4 * b];
    const dof = L.freeDof[body];
    if (dof >= 0) {
      for (let k = 0; k < 3; k++) v.qvel[dof + k] = linvel[k];
      // A free joint's angular velocity is in the body frame.
      const inv = [-q[0], -q[1], -q[2], q[3]];
      const local = quatRotate(this.scratch.local, inv, angvel);
      for (let k = 0; k < 3; k++) v.qvel[dof + 3 + k] = local[k];
    } else if (L.parentJoint[body] >= 0) {
      const j = this.scene.joints[L.parentJoint[body]];
      const parent = L.bodyIds[j.body1];
      const pq = [v.xquat[4 * parent + 1], v.xquat[4 * parent + 2], v.xquat[4 * parent + 3], v.xquat[4 * parent]];
      const axis = quatRotate(this.scratch.vec, pq, j.axis);
      const state = new Float64Array(BODY_STATE_SIZE * this.scene.bodies.length);
      this.readBodies(state, 0);
      const p = j.body1 * BODY_STATE_SIZE;
      let rel = 0;
      for (let k = 0; k < 3; k++) rel += (linvel[k] - state[p + 7 + k]) * axis[k];
      v.qvel[L.jointDof[L.parentJoint[body]]] = rel;
    }
    this.mj.mj_comVel(this.model, this.data);
  }

  /** The world's complete state (MuJoCo's `mjSTATE_INTEGRATION`: time, qpos, qvel, act, warm start, ctrl, mocap, …). */
  snapshot(): Float64Array {
    const sig = this.mj.mjtState.mjSTATE_INTEGRATION.value;
    const buffer = new this.mj.DoubleBuffer(this.mj.mj_stateSize(this.model, sig));
    try {
      this.mj.mj_getState(this.model, this.data, buffer, sig);
      return Float64Array.from(buffer.GetView() as Float64Array);
    } finally {
      buffer.delete();
    }
  }

  /** Restores `snapshot()` output taken from a world of the same scene. */
  restore(state: Float64Array): void {
    const sig = this.mj.mjtState.mjSTATE_INTEGRATION.value;
    const size = this.mj.mj_stateSize(this.model, sig);
    if (state.length !== size) throw new Error(`MuJoCo state has ${state.length} numbers; this world's has ${size}`);
    this.mj.mj_setState(this.model, this.data, state as unknown as number[], sig);
    this.expectedTime = this.data.time;
    this.healthy = true;
    this.forwardKinematics();
  }

  /** Frees the world's model and data. */
  free(): void {
    this.data.delete();
    this.model.delete();
  }
}
