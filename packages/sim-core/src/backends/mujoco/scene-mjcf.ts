import { shapeVolume, type BodyDesc, type SceneDesc, type ShapeDesc } from '../../scene/scene-desc.js';
import { bodiesMayTouch, combinedFriction, shapesCollide } from '../../scene/contact-rules.js';
import { quatMultiply, quatRotate } from '../../math/quat.js';
import type { MujocoSettings } from './mujoco-settings.js';

/**
 * The generic SceneDesc → MJCF converter of the mujoco backend. Nothing here knows a task:
 *
 * - a `fixed` body becomes a static body (no joint) under `<worldbody>`;
 * - a `dynamic` body becomes a body with a free joint, its `mass` spread uniformly over its
 *   boxes' volume (as Rapier's collider density does);
 * - the `controlledBody` (kinematic in the scene) becomes a free, gravity-compensated body of
 *   mass `controlledBodyMass` welded to a `mocap` target body that the backend moves along
 *   the controller's path. The weld (`weldSolref`, `weldSolimp`) makes it a stiff
 *   hand that does not sag, while contacts, friction and the fingers see its real velocity
 *   (a mocap body has none) and push back on it;
 * - each prismatic joint becomes a `slide` joint of body2, which is nested inside body1 (a
 *   reduced-coordinate articulation rooted at body1), with its limits and a position
 *   actuator (stiffness and damping of the joint's drive, force range from `servoForceLimit`);
 * - every shape is a box geom with `contype = conaffinity = 0`; contacts come only from
 *   explicit `<pair>`s, one per pair of shapes that Rapier's rules let collide
 *   (`shapesCollide`, `bodiesMayTouch`), each with its friction combined as Rapier does
 *   (`combinedFriction`), so neither MuJoCo's OR-rule of contype/conaffinity nor its `max`
 *   friction combination applies;
 * - each contact query becomes a contact sensor (normal force of the strongest contact
 *   between the two bodies).
 *
 * The model's reference configuration (qpos0, mocap poses) is the scene's initial state, so
 * `mj_resetData` starts the world as the scene describes it; the qpos of a slide joint is the
 * joint's travel (its `ref` is the scene's initial travel).
 */

/** MuJoCo names of the scene's objects in the generated MJCF. */
export interface MjcfNames {
  /** Body of each scene body (the controlled body's free body, not its target). */
  bodies: string[];
  /** Mocap target of the controlled body. */
  target: string;
  /** Geoms of each scene body, one per shape. */
  geoms: string[][];
  /** Slide joint and actuator of each scene joint. */
  joints: string[];
  actuators: string[];
  /** Contact sensor of each scene contact query (3 values: the strongest contact's force in its contact frame, normal first). */
  sensors: string[];
  /** Explicit contact pairs: scene [body, shape] of each side, in `<contact>` order. */
  pairs: { body1: number; shape1: number; body2: number; shape2: number; friction: number }[];
}

/** The generated model and the names of its objects. */
export interface SceneMjcf {
  xml: string;
  names: MjcfNames;
}

/** What the converter needs besides the scene. */
export interface MjcfOptions {
  settings: MujocoSettings;
  /** MuJoCo timestep (s). */
  timestep: number;
  /** Force limit (N) of joint `index`'s position actuator (default: its drive's `maxForce`). */
  servoForceLimit?: (index: number) => number;
  /** Gravity (m/s²), default −9.81 along z. */
  gravity?: readonly [number, number, number];
}

/** Converts a scene description to MJCF. Throws on scenes it cannot express (see the module comment). */
export function sceneToMjcf(scene: SceneDesc, options: MjcfOptions): SceneMjcf {
  const s = options.settings;
  const bodies = scene.bodies;
  const names: MjcfNames = {
    bodies: bodies.map((b, i) => `b${i}_${safeName(b.name)}`),
    target: `b${scene.controlledBody}_${safeName(bodies[scene.controlledBody]?.name ?? 'none')}_target`,
    geoms: bodies.map((b, i) => b.shapes.map((_, k) => `g${i}_${k}`)),
    joints: scene.joints.map((j, i) => `j${i}_${safeName(j.name)}`),
    actuators: scene.joints.map((j, i) => `a${i}_${safeName(j.name)}`),
    sensors: scene.contactQueries.map(([a, b], i) => `q${i}_${a}_${b}`),
    pairs: [],
  };

  // Tree: body2 of a joint hangs under body1.
  const parentJoint = new Array<number>(bodies.length).fill(-1);
  scene.joints.forEach((j, i) => {
    if (j.body1 === j.body2) throw new Error(`sceneToMjcf: joint ${j.name} connects body ${j.body1} to itself`);
    if (parentJoint[j.body2] !== -1) throw new Error(`sceneToMjcf: body ${bodies[j.body2].name} is body2 of two joints`);
    if (bodies[j.body2].kind !== 'dynamic') throw new Error(`sceneToMjcf: joint ${j.name} moves the ${bodies[j.body2].kind} body ${bodies[j.body2].name}`);
    parentJoint[j.body2] = i;
  });
  const children = bodies.map(() => [] as number[]);
  scene.joints.forEach((j) => children[j.body1].push(j.body2));
  for (let i = 0; i < bodies.length; i++) {
    const seen = new Set<number>();
    for (let b = i; parentJoint[b] !== -1; b = scene.joints[parentJoint[b]].body1) {
      if (seen.has(b)) throw new Error(`sceneToMjcf: the joints form a loop through body ${bodies[b].name}`);
      seen.add(b);
    }
  }
  bodies.forEach((b, i) => {
    if (b.kind === 'kinematic' && i !== scene.controlledBody) {
      throw new Error(`sceneToMjcf: kinematic body ${b.name} is not the controlled body (only that one can be moved)`);
    }
  });

  const out: string[] = [];
  const g = options.gravity ?? [0, 0, -9.81];
  out.push(`<mujoco model="gripgen-scene">`);
  out.push(`  <compiler angle="radian" autolimits="true"/>`);
  out.push(
    `  <option timestep="${num(options.timestep)}" integrator="${s.integrator}" cone="${s.cone}" impratio="${num(s.impratio)}"` +
      ` solver="${s.solver}" iterations="${s.iterations}" noslip_iterations="${s.noslipIterations}" gravity="${vec(g)}">`,
  );
  // A diverging world is left to the backend's fault check (flag and reset), not reset by MuJoCo.
  out.push(`    <flag autoreset="disable"/>`);
  out.push(`  </option>`);
  out.push(`  <size memory="${Math.ceil(s.arenaBytes / 1024)}K"/>`);
  out.push(`  <worldbody>`);

  const emitBody = (i: number, indent: string, pos: readonly number[], quat: readonly number[]) => {
    const b = bodies[i];
    const controlled = i === scene.controlledBody;
    const attrs = `name="${names.bodies[i]}" pos="${vec(pos)}" quat="${wxyz(quat)}"${controlled ? ' gravcomp="1"' : ''}`;
    out.push(`${indent}<body ${attrs}>`);
    const inner = `${indent}  `;
    if (parentJoint[i] !== -1) {
      const j = scene.joints[parentJoint[i]];
      // The joint axis is given in body1's frame; MuJoCo wants it in body2's (this body's).
      const axis = rotateInverse(relativeRotation(bodies[j.body1], b), j.axis);
      out.push(
        `${inner}<joint name="${names.joints[parentJoint[i]]}" type="slide" axis="${vec(axis)}" range="${num(j.limits[0])} ${num(j.limits[1])}"` +
          ` ref="${num(initialTravel(scene, parentJoint[i]))}" limited="true" solreflimit="${vec(s.contactSolref)}" solimplimit="${vec(s.contactSolimp)}"/>`,
      );
    } else if (b.kind === 'dynamic' || controlled) {
      out.push(`${inner}<freejoint name="${names.bodies[i]}_free"/>`);
    }
    const mass = controlled ? s.controlledBodyMass : b.kind === 'dynamic' ? b.mass : undefined;
    const volume = b.shapes.reduce((v, sh) => v + shapeVolume(sh), 0);
    if ((b.kind === 'dynamic' || controlled) && volume <= 0) throw new Error(`sceneToMjcf: movable body ${b.name} has no volume`);
    // Rapier's default collider density is 1 kg/m³.
    const density = b.kind === 'fixed' ? 0 : mass === undefined ? 1 : mass / volume;
    b.shapes.forEach((sh, k) => {
      out.push(
        `${inner}<geom name="${names.geoms[i][k]}" ${geomShape(sh)} pos="${vec(sh.offset)}"` +
          ` density="${num(density)}" contype="0" conaffinity="0" friction="${num(sh.friction)} 0 0"/>`,
      );
    });
    for (const c of children[i]) {
      // Body2 where the scene puts it along the axis: its anchor at body1's anchor moved by the
      // initial travel (the joint's `ref`, so qpos is the travel).
      emitBody(c, inner, jointChildPosition(scene, parentJoint[c]), relativeRotation(b, bodies[c]));
    }
    out.push(`${indent}</body>`);
  };

  bodies.forEach((b, i) => {
    if (parentJoint[i] !== -1) return;
    emitBody(i, '    ', b.position, b.rotation);
  });
  const controlled = bodies[scene.controlledBody];
  if (controlled) {
    out.push(`    <body name="${names.target}" mocap="true" pos="${vec(controlled.position)}" quat="${wxyz(controlled.rotation)}"/>`);
  }
  out.push(`  </worldbody>`);

  // Explicit contact pairs with Rapier's filter and friction combination.
  out.push(`  <contact>`);
  for (let a = 0; a < bodies.length; a++) {
    for (let b = a + 1; b < bodies.length; b++) {
      if (!bodiesMayTouch(scene, a, b)) continue;
      bodies[a].shapes.forEach((sa, ka) => {
        bodies[b].shapes.forEach((sb, kb) => {
          if (!shapesCollide(sa, sb)) return;
          const mu = combinedFriction(sa, sb);
          names.pairs.push({ body1: a, shape1: ka, body2: b, shape2: kb, friction: mu });
          out.push(
            `    <pair geom1="${names.geoms[a][ka]}" geom2="${names.geoms[b][kb]}" condim="3" friction="${num(mu)} ${num(mu)} 0 0 0"` +
              ` solref="${vec(s.contactSolref)}" solimp="${vec(s.contactSolimp)}"/>`,
          );
        });
      });
    }
  }
  out.push(`  </contact>`);

  if (controlled) {
    out.push(`  <equality>`);
    out.push(
      `    <weld body1="${names.target}" body2="${names.bodies[scene.controlledBody]}" relpose="0 0 0 1 0 0 0"` +
        ` solref="${vec(s.weldSolref)}" solimp="${vec(s.weldSolimp)}"/>`,
    );
    out.push(`  </equality>`);
  }

  if (scene.joints.length > 0) {
    out.push(`  <actuator>`);
    scene.joints.forEach((j, i) => {
      const limit = options.servoForceLimit?.(i) ?? j.drive.maxForce;
      out.push(
        `    <position name="${names.actuators[i]}" joint="${names.joints[i]}" kp="${num(j.drive.stiffness)}" kv="${num(j.drive.damping)}"` +
          ` ctrllimited="false" forcelimited="true" forcerange="${num(-limit)} ${num(limit)}"/>`,
      );
    });
    out.push(`  </actuator>`);
  }

  if (scene.contactQueries.length > 0) {
    out.push(`  <sensor>`);
    scene.contactQueries.forEach(([a, b], i) => {
      out.push(`    <contact name="${names.sensors[i]}" body1="${names.bodies[a]}" body2="${names.bodies[b]}" num="1" data="force" reduce="maxforce"/>`);
    });
    out.push(`  </sensor>`);
  }
  out.push(`</mujoco>`);
  return { xml: out.join('\n'), names };
}

/** Travel of joint `index` in the scene's initial poses: body2's anchor minus body1's, along the axis. */
export function initialTravel(scene: SceneDesc, index: number): number {
  const j = scene.joints[index];
  const b1 = scene.bodies[j.body1];
  const b2 = scene.bodies[j.body2];
  const a1 = [0, 0, 0];
  const a2 = [0, 0, 0];
  const axis = [0, 0, 0];
  quatRotate(a1, b1.rotation, j.anchor1);
  quatRotate(a2, b2.rotation, j.anchor2);
  quatRotate(axis, b1.rotation, j.axis);
  let t = 0;
  for (let k = 0; k < 3; k++) t += (b2.position[k] + a2[k] - b1.position[k] - a1[k]) * axis[k];
  return t;
}

/** Rotation of body `b` relative to body `a` (a⁻¹ · b), [x, y, z, w]. */
export function relativeRotation(a: BodyDesc, b: BodyDesc): number[] {
  const out = [0, 0, 0, 1];
  quatMultiply(out, [-a.rotation[0], -a.rotation[1], -a.rotation[2], a.rotation[3]], b.rotation);
  return out;
}

/** Body-frame position of body2 of joint `index` relative to body1 at the scene's initial travel. */
export function jointChildPosition(scene: SceneDesc, index: number): number[] {
  const j = scene.joints[index];
  const anchor2 = [0, 0, 0];
  quatRotate(anchor2, relativeRotation(scene.bodies[j.body1], scene.bodies[j.body2]), j.anchor2);
  const t = initialTravel(scene, index);
  return [0, 1, 2].map((k) => j.anchor1[k] - anchor2[k] + j.axis[k] * t);
}

function rotateInverse(q: readonly number[], v: readonly number[]): number[] {
  const out = [0, 0, 0];
  quatRotate(out, [-q[0], -q[1], -q[2], q[3]], v);
  return out;
}

/** A number as MJCF text: full double precision, so the model is exactly the scene. */
function num(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

function vec(v: readonly number[]): string {
  return v.map(num).join(' ');
}

/** gripgen's [x, y, z, w] as MJCF's `w x y z`. */
function wxyz(q: readonly number[]): string {
  return `${num(q[3])} ${num(q[0])} ${num(q[1])} ${num(q[2])}`;
}

/** A scene name usable inside an MJCF name attribute. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** A geom's `type` and `size` attributes: a box's half extents, a cylinder's radius and half length (axis z). */
function geomShape(sh: ShapeDesc): string {
  if (sh.type === 'cylinder') return `type="cylinder" size="${num(sh.radius)} ${num(sh.halfHeight)}"`;
  return `type="box" size="${vec(sh.halfExtents)}"`;
}
