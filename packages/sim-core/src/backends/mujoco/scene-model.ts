import type { MjData, MjModel } from '@mujoco/mujoco';
import { shapeHalfExtents, shapeVolume, type SceneDesc } from '../../scene/scene-desc.js';
import type { Mujoco } from './mujoco-module.js';
import { initialTravel, jointChildPosition, relativeRotation, sceneToMjcf, type MjcfNames, type MjcfOptions } from './scene-mjcf.js';
import { massProperties } from './body-mass.js';
import { combinedFriction } from '../../scene/contact-rules.js';

/**
 * Per-world MuJoCo models without compiling MJCF for every world. Compiling takes
 * milliseconds; a world's randomization changes only numbers (poses, sizes, masses,
 * frictions), not the model's structure. So a shard compiles one template per structure —
 * the MJCF with every number blanked out (`structureKey`) — and each world gets a copy of it
 * (`new MjModel(template)`, ~0.05 ms) whose scene-dependent arrays `writeSceneParams`
 * overwrites, followed by `mj_setConst` for the derived constants. A test checks that the
 * result equals the model compiled from the world's own MJCF.
 */

/** Where a scene's objects live in a compiled model. */
export interface ModelLayout {
  names: MjcfNames;
  /** MuJoCo body id of each scene body. */
  bodyIds: number[];
  /** Root body id of every MuJoCo body (`body_rootid`). */
  rootIds: Int32Array;
  /** Body id and mocap index of the controlled body's target (−1 without one). */
  targetBodyId: number;
  mocapId: number;
  /** qpos / qvel address of each scene body's free joint (−1: none). */
  freeQpos: number[];
  freeDof: number[];
  /** Index of the scene joint that moves each body (−1: none). */
  parentJoint: number[];
  /** qpos / qvel address of each scene joint. */
  jointQpos: number[];
  jointDof: number[];
  jointIds: number[];
  /** Geom id of each shape, per body. */
  geomIds: number[][];
  /** Scene body of each geom id (−1: not a scene shape). */
  geomBody: Int32Array;
  pairIds: number[];
  actuatorIds: number[];
  /** sensordata address of each contact query's sensor. */
  sensorAdr: number[];
}

/** The MJCF with every number replaced by `#`: scenes with the same key have the same model layout. */
export function structureKey(xml: string): string {
  return xml.replace(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi, '#');
}

/** Resolves the ids of a scene's objects in a model compiled from `sceneToMjcf(scene)`. */
export function resolveLayout(mj: Mujoco, model: MjModel, names: MjcfNames, scene: SceneDesc): ModelLayout {
  const id = (type: { value: number }, name: string) => {
    const i = mj.mj_name2id(model, type.value, name);
    if (i < 0) throw new Error(`MuJoCo model has no object named ${name}`);
    return i;
  };
  const T = mj.mjtObj;
  const bodyIds = names.bodies.map((n) => id(T.mjOBJ_BODY, n));
  const hasTarget = scene.bodies[scene.controlledBody] !== undefined;
  const targetBodyId = hasTarget ? id(T.mjOBJ_BODY, names.target) : -1;
  const jntQposAdr = model.jnt_qposadr as Int32Array;
  const jntDofAdr = model.jnt_dofadr as Int32Array;
  const bodyJntAdr = model.body_jntadr as Int32Array;
  const bodyJntNum = model.body_jntnum as Int32Array;
  const parentJoint = new Array<number>(scene.bodies.length).fill(-1);
  scene.joints.forEach((j, i) => (parentJoint[j.body2] = i));
  const freeQpos = bodyIds.map((b, i) => (parentJoint[i] === -1 && bodyJntNum[b] === 1 ? jntQposAdr[bodyJntAdr[b]] : -1));
  const freeDof = bodyIds.map((b, i) => (parentJoint[i] === -1 && bodyJntNum[b] === 1 ? jntDofAdr[bodyJntAdr[b]] : -1));
  const jointIds = names.joints.map((n) => id(T.mjOBJ_JOINT, n));
  const geomIds = names.geoms.map((row) => row.map((n) => id(T.mjOBJ_GEOM, n)));
  const geomBody = new Int32Array(model.ngeom).fill(-1);
  geomIds.forEach((row, body) => row.forEach((g) => (geomBody[g] = body)));
  const sensorAdrAll = model.sensor_adr as Int32Array;
  return {
    names,
    bodyIds,
    rootIds: Int32Array.from(model.body_rootid as Int32Array),
    targetBodyId,
    mocapId: targetBodyId < 0 ? -1 : (model.body_mocapid as Int32Array)[targetBodyId],
    freeQpos,
    freeDof,
    parentJoint,
    jointQpos: jointIds.map((j) => jntQposAdr[j]),
    jointDof: jointIds.map((j) => jntDofAdr[j]),
    jointIds,
    geomIds,
    geomBody,
    // Pairs are numbered in <contact> order.
    pairIds: names.pairs.map((_, i) => i),
    actuatorIds: names.actuators.map((n) => id(T.mjOBJ_ACTUATOR, n)),
    sensorAdr: names.sensors.map((n) => sensorAdrAll[id(T.mjOBJ_SENSOR, n)]),
  };
}

/**
 * Writes everything of `scene` that a compiled model holds as numbers: body poses (and the
 * free joints' qpos0), the mocap target's pose, joint ranges and initial travels, box sizes
 * and offsets (with their bounding sphere and box), mass properties of movable bodies, pair
 * frictions and the drives' gains and force limits; then `mj_setConst` recomputes the
 * constants derived from them (subtree masses, inverse weights, `dof_M0`, …). `stat.meanmass`
 * and `stat.meansize` (visualization only) keep the template's values.
 */
export function writeSceneParams(mj: Mujoco, model: MjModel, data: MjData, layout: ModelLayout, scene: SceneDesc, options: MjcfOptions): void {
  const bodyPos = model.body_pos as Float64Array;
  const bodyQuat = model.body_quat as Float64Array;
  const qpos0 = model.qpos0 as Float64Array;
  const qposSpring = model.qpos_spring as Float64Array;
  const bodyMass = model.body_mass as Float64Array;
  const bodyInertia = model.body_inertia as Float64Array;
  const bodyIpos = model.body_ipos as Float64Array;
  const bodyIquat = model.body_iquat as Float64Array;
  const geomSize = model.geom_size as Float64Array;
  const geomPos = model.geom_pos as Float64Array;
  const geomRbound = model.geom_rbound as Float64Array;
  const geomAabb = model.geom_aabb as Float64Array;
  const geomFriction = model.geom_friction as Float64Array;
  const jntRange = model.jnt_range as Float64Array;
  const pairFriction = model.pair_friction as Float64Array;
  const gain = model.actuator_gainprm as Float64Array;
  const bias = model.actuator_biasprm as Float64Array;
  const forceRange = model.actuator_forcerange as Float64Array;
  const NGAIN = gain.length / model.nu;
  const NBIAS = bias.length / model.nu;
  const s = options.settings;

  const setPose = (b: number, pos: readonly number[], quatXyzw: readonly number[]) => {
    for (let k = 0; k < 3; k++) bodyPos[3 * b + k] = pos[k];
    bodyQuat[4 * b] = quatXyzw[3];
    for (let k = 0; k < 3; k++) bodyQuat[4 * b + 1 + k] = quatXyzw[k];
  };

  scene.bodies.forEach((body, i) => {
    const b = layout.bodyIds[i];
    const pj = layout.parentJoint[i];
    if (pj === -1) {
      setPose(b, body.position, body.rotation);
    } else {
      const j = scene.joints[pj];
      setPose(b, jointChildPosition(scene, pj), relativeRotation(scene.bodies[j.body1], body));
      const q = layout.jointQpos[pj];
      qpos0[q] = initialTravel(scene, pj);
      qposSpring[q] = 0;
      jntRange[2 * layout.jointIds[pj]] = j.limits[0];
      jntRange[2 * layout.jointIds[pj] + 1] = j.limits[1];
    }
    const fq = layout.freeQpos[i];
    if (fq >= 0) {
      for (let k = 0; k < 3; k++) qpos0[fq + k] = qposSpring[fq + k] = body.position[k];
      qpos0[fq + 3] = qposSpring[fq + 3] = body.rotation[3];
      for (let k = 0; k < 3; k++) qpos0[fq + 4 + k] = qposSpring[fq + 4 + k] = body.rotation[k];
    }
    const controlled = i === scene.controlledBody;
    if (body.kind !== 'fixed') {
      const volume = body.shapes.reduce((v, sh) => v + shapeVolume(sh), 0);
      const mass = controlled ? s.controlledBodyMass : (body.mass ?? volume);
      const mp = massProperties(body.shapes, mass / volume);
      bodyMass[b] = mp.mass;
      for (let k = 0; k < 3; k++) {
        bodyInertia[3 * b + k] = mp.inertia[k];
        bodyIpos[3 * b + k] = mp.com[k];
      }
      for (let k = 0; k < 4; k++) bodyIquat[4 * b + k] = mp.iquatWxyz[k];
    }
    body.shapes.forEach((sh, k) => {
      const g = layout.geomIds[i][k];
      // MuJoCo's geom size: box half extents; cylinder (radius, half length, 0).
      const size = sh.type === 'box' ? sh.halfExtents : [sh.radius, sh.halfHeight, 0];
      const half = shapeHalfExtents(sh);
      for (let a = 0; a < 3; a++) {
        geomSize[3 * g + a] = size[a];
        geomPos[3 * g + a] = sh.offset[a];
        geomAabb[6 * g + a] = 0;
        geomAabb[6 * g + 3 + a] = half[a];
      }
      // MuJoCo's bounding sphere: a box's half diagonal; a cylinder's hypot(radius, half length).
      geomRbound[g] = sh.type === 'cylinder' ? Math.hypot(sh.radius, sh.halfHeight) : Math.hypot(half[0], half[1], half[2]);
      geomFriction[3 * g] = sh.friction;
    });
  });
  const controlled = scene.bodies[scene.controlledBody];
  if (controlled && layout.targetBodyId >= 0) setPose(layout.targetBodyId, controlled.position, controlled.rotation);
  layout.names.pairs.forEach((p, k) => {
    const mu = combinedFriction(scene.bodies[p.body1].shapes[p.shape1], scene.bodies[p.body2].shapes[p.shape2]);
    const pair = layout.pairIds[k];
    pairFriction[5 * pair] = mu;
    pairFriction[5 * pair + 1] = mu;
  });
  scene.joints.forEach((j, i) => {
    const a = layout.actuatorIds[i];
    const limit = options.servoForceLimit?.(i) ?? j.drive.maxForce;
    gain[NGAIN * a] = j.drive.stiffness;
    bias[NBIAS * a + 1] = -j.drive.stiffness;
    bias[NBIAS * a + 2] = -j.drive.damping;
    forceRange[2 * a] = -limit;
    forceRange[2 * a + 1] = limit;
  });
  mj.mj_setConst(model, data);
}

/** A compiled template model and where the scene lives in it. */
interface Template {
  model: MjModel;
  data: MjData;
  layout: ModelLayout;
}

/**
 * The templates of one thread, by structure key, and the MJCF options they were built with.
 * `instantiate(scene)` returns a new model for the scene (caller frees it); `rewrite` reuses
 * a world's model when the structure is unchanged.
 */
export class SceneModels {
  private readonly templates = new Map<string, Template>();

  constructor(
    private readonly mj: Mujoco,
    readonly options: MjcfOptions,
  ) {}

  /** The scene's MJCF and its structure key. */
  describe(scene: SceneDesc): { xml: string; key: string; names: MjcfNames } {
    const { xml, names } = sceneToMjcf(scene, this.options);
    return { xml, key: structureKey(xml), names };
  }

  /** A fresh model for `scene`: a copy of its structure's template with the scene's numbers written. */
  instantiate(scene: SceneDesc): { model: MjModel; layout: ModelLayout; key: string } {
    const { xml, key, names } = this.describe(scene);
    let template = this.templates.get(key);
    if (!template) {
      const model = this.mj.MjModel.from_xml_string(xml);
      const data = new this.mj.MjData(model);
      template = { model, data, layout: resolveLayout(this.mj, model, names, scene) };
      this.templates.set(key, template);
    }
    const model = new this.mj.MjModel(template.model);
    writeSceneParams(this.mj, model, template.data, template.layout, scene, this.options);
    return { model, layout: template.layout, key };
  }

  /** Writes `scene` into a model of structure `key`, if `scene` has that structure; returns whether it did. */
  rewrite(model: MjModel, data: MjData, key: string, scene: SceneDesc): boolean {
    const template = this.templates.get(key);
    if (!template || this.describe(scene).key !== key) return false;
    writeSceneParams(this.mj, model, data, template.layout, scene, this.options);
    return true;
  }

  /** Frees the templates. */
  free(): void {
    for (const t of this.templates.values()) {
      t.data.delete();
      t.model.delete();
    }
    this.templates.clear();
  }
}
