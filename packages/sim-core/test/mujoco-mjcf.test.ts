import { describe, expect, it } from 'vitest';
import { loadMujoco } from '../src/backends/mujoco/mujoco-module.js';
import { sceneToMjcf, type MjcfOptions } from '../src/backends/mujoco/scene-mjcf.js';
import { SceneModels } from '../src/backends/mujoco/scene-model.js';
import { massProperties } from '../src/backends/mujoco/body-mass.js';
import { DEFAULT_MUJOCO } from '../src/backends/mujoco/mujoco-settings.js';
import { FINGER_SERVO_MAX_FORCE } from '../src/agents/parallel-gripper/drive.js';
import { buildPickPlaceScene, GROUP } from '../src/tasks/pick-place/scene.js';
import { drawPickPlaceParams, NUM_PICK_PLACE_PARAMS } from '../src/tasks/pick-place/params.js';
import { BODY, NARROW, WIDEST, type SceneDesc } from '../src/index.js';

const OPTIONS: MjcfOptions = { settings: DEFAULT_MUJOCO, timestep: 0.002, servoForceLimit: () => FINGER_SERVO_MAX_FORCE };

function pickPlaceScene(preset = WIDEST, world = 0): SceneDesc {
  const params = new Float32Array(NUM_PICK_PLACE_PARAMS);
  drawPickPlaceParams(preset, 0, 0, world, params, 0);
  return buildPickPlaceScene(params);
}

/** "body:shape" of every shape of the scene. */
function shapeKeys(scene: SceneDesc): string[] {
  return scene.bodies.flatMap((b, i) => b.shapes.map((_, k) => `${i}:${k}`));
}

/**
 * Rapier's rule, from first principles: two shapes collide iff each one's group is in the
 * other's mask, their bodies differ, at least one body is dynamic (Rapier's default active
 * collision types), and no joint connects them (joints disable their bodies' contacts).
 */
function rapierCollides(scene: SceneDesc, a: string, b: string): boolean {
  const [ba, sa] = a.split(':').map(Number);
  const [bb, sb] = b.split(':').map(Number);
  if (ba === bb) return false;
  const A = scene.bodies[ba], B = scene.bodies[bb];
  if (A.kind !== 'dynamic' && B.kind !== 'dynamic') return false;
  if (scene.joints.some((j) => (j.body1 === ba && j.body2 === bb) || (j.body1 === bb && j.body2 === ba))) return false;
  const x = A.shapes[sa], y = B.shapes[sb];
  return (x.group & y.collidesWith) !== 0 && (y.group & x.collidesWith) !== 0;
}

describe('SceneDesc → MJCF', () => {
  it("the pick-place scene's contact pairs are exactly the shape pairs Rapier's filter lets collide, and nothing else collides", async () => {
    const mj = await loadMujoco();
    const scene = pickPlaceScene();
    const { xml, names } = sceneToMjcf(scene, OPTIONS);
    const keys = shapeKeys(scene);
    const expected = new Set<string>();
    for (let i = 0; i < keys.length; i++) for (let j = i + 1; j < keys.length; j++) if (rapierCollides(scene, keys[i], keys[j])) expected.add(`${keys[i]}|${keys[j]}`);
    const pairs = new Set(names.pairs.map((p) => `${p.body1}:${p.shape1}|${p.body2}:${p.shape2}`));
    expect(pairs).toEqual(expected);
    // The filter matters: palm–table, palm–fingers, finger–finger and the kinematic hand against the static bin are out.
    expect(expected.size).toBe(18);
    expect([...expected].some((p) => p.startsWith(`${BODY.table}:0|${BODY.hand}:`))).toBe(false);
    expect(GROUP.palm & scene.bodies[BODY.table].shapes[0].group).toBe(0);

    const model = mj.MjModel.from_xml_string(xml);
    try {
      // Compiled: every geom has contype = conaffinity = 0 (no implicit contacts), one pair per expected entry.
      expect(Array.from(model.geom_contype as Int32Array).every((v) => v === 0)).toBe(true);
      expect(Array.from(model.geom_conaffinity as Int32Array).every((v) => v === 0)).toBe(true);
      expect(model.npair).toBe(expected.size);
      const geomName = (g: number) => mj.mj_id2name(model, mj.mjtObj.mjOBJ_GEOM.value, g);
      const compiled = new Set<string>();
      for (let p = 0; p < model.npair; p++) {
        const g1 = geomName((model.pair_geom1 as Int32Array)[p]).slice(1).replace('_', ':');
        const g2 = geomName((model.pair_geom2 as Int32Array)[p]).slice(1).replace('_', ':');
        compiled.add(`${g1}|${g2}`);
      }
      expect(compiled).toEqual(expected);
    } finally {
      model.delete();
    }
  });

  it("combines frictions as Rapier does: max when a shape asks for it (finger pads), else the average", async () => {
    const mj = await loadMujoco();
    const scene = pickPlaceScene(WIDEST, 3);
    const { xml, names } = sceneToMjcf(scene, OPTIONS);
    const model = mj.MjModel.from_xml_string(xml);
    try {
      const friction = model.pair_friction as Float64Array;
      const cube = scene.bodies[BODY.cube].shapes[0];
      names.pairs.forEach((p, k) => {
        const a = scene.bodies[p.body1].shapes[p.shape1];
        const b = scene.bodies[p.body2].shapes[p.shape2];
        const mu = a.frictionCombine === 'max' || b.frictionCombine === 'max' ? Math.max(a.friction, b.friction) : (a.friction + b.friction) / 2;
        expect(friction[5 * k]).toBe(mu);
        expect(friction[5 * k + 1]).toBe(mu);
        expect(friction[5 * k + 2]).toBe(0);
      });
      const pairOf = (b1: number, b2: number) => names.pairs.findIndex((p) => p.body1 === b1 && p.body2 === b2);
      // Pad on cube: max(1.0, μ_cube); cube on table: the average.
      expect(friction[5 * pairOf(BODY.fingerLeft, BODY.cube)]).toBe(Math.max(1, cube.friction));
      expect(friction[5 * pairOf(BODY.table, BODY.cube)]).toBe((scene.bodies[BODY.table].shapes[0].friction + cube.friction) / 2);
      expect((model.pair_dim as Int32Array)[0]).toBe(3);
    } finally {
      model.delete();
    }
  });

  it('builds the gripper as a welded, gravity-compensated hand with slide-jointed fingers, servos and contact sensors', async () => {
    const mj = await loadMujoco();
    const scene = pickPlaceScene(NARROW);
    const { xml } = sceneToMjcf(scene, OPTIONS);
    const model = mj.MjModel.from_xml_string(xml);
    const data = new mj.MjData(model);
    try {
      expect(model.nmocap).toBe(1);
      expect(model.neq).toBe(1);
      expect(model.nu).toBe(2);
      expect(model.nsensor).toBe(2);
      // Free hand + free cube (7 + 7) + two slide joints; the fingers start open at the scene's travel.
      expect(model.nq).toBe(16);
      const hand = mj.mj_name2id(model, mj.mjtObj.mjOBJ_BODY.value, 'b2_hand');
      const finger = mj.mj_name2id(model, mj.mjtObj.mjOBJ_BODY.value, 'b3_fingerLeft');
      expect((model.body_parentid as Int32Array)[finger]).toBe(hand);
      expect((model.body_gravcomp as Float64Array)[hand]).toBe(1);
      expect(Array.from(model.actuator_forcerange as Float64Array)).toEqual([-FINGER_SERVO_MAX_FORCE, FINGER_SERVO_MAX_FORCE, -FINGER_SERVO_MAX_FORCE, FINGER_SERVO_MAX_FORCE]);
      mj.mj_resetData(model, data);
      mj.mj_forward(model, data);
      const xpos = data.xpos as Float64Array;
      for (const b of [BODY.hand, BODY.fingerLeft, BODY.fingerRight, BODY.cube]) {
        const id = mj.mj_name2id(model, mj.mjtObj.mjOBJ_BODY.value, `b${b}_${scene.bodies[b].name}`);
        for (let k = 0; k < 3; k++) expect(xpos[3 * id + k]).toBeCloseTo(scene.bodies[b].position[k], 12);
      }
      expect((data.qpos as Float64Array)[7]).toBeCloseTo(0.04, 12);
    } finally {
      data.delete();
      model.delete();
    }
  });

  it("a world's model written into a copy of its structure's template equals the model compiled from its own MJCF", async () => {
    const mj = await loadMujoco();
    const models = new SceneModels(mj, OPTIONS);
    try {
      models.instantiate(pickPlaceScene(WIDEST, 100)).model.delete();
      for (const world of [1, 2, 3, 4]) {
        const scene = pickPlaceScene(WIDEST, world);
        const written = models.instantiate(scene).model;
        const compiled = mj.MjModel.from_xml_string(sceneToMjcf(scene, OPTIONS).xml);
        try {
          const fields = [
            'qpos0', 'qpos_spring', 'body_pos', 'body_quat', 'body_subtreemass', 'body_invweight0', 'dof_invweight0', 'dof_M0',
            'geom_size', 'geom_pos', 'geom_rbound', 'geom_aabb', 'geom_friction', 'pair_friction', 'jnt_range',
            'actuator_gainprm', 'actuator_biasprm', 'actuator_forcerange', 'actuator_length0', 'actuator_acc0',
          ] as const;
          for (const f of fields) {
            const a = (written as unknown as Record<string, Float64Array>)[f];
            const b = (compiled as unknown as Record<string, Float64Array>)[f];
            expect(a.length, f).toBe(b.length);
            for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `${f}[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i])));
          }
          // Mass properties of the movable bodies (static bodies' are unused).
          for (const b of [BODY.hand, BODY.fingerLeft, BODY.fingerRight, BODY.cube]) {
            const id = mj.mj_name2id(compiled, mj.mjtObj.mjOBJ_BODY.value, `b${b}_${scene.bodies[b].name}`);
            for (const f of ['body_mass', 'body_inertia', 'body_ipos'] as const) {
              const n = f === 'body_mass' ? 1 : 3;
              for (let k = 0; k < n; k++) {
                const x = (written as unknown as Record<string, Float64Array>)[f][n * id + k];
                const y = (compiled as unknown as Record<string, Float64Array>)[f][n * id + k];
                expect(Math.abs(x - y), `${f} of ${scene.bodies[b].name}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)));
              }
            }
          }
        } finally {
          written.delete();
          compiled.delete();
        }
      }
    } finally {
      models.free();
    }
  });

  it('mass properties of a body of several boxes: total mass, centre of mass and the principal inertia frame', () => {
    const box = (h: [number, number, number], o: [number, number, number]) => ({ type: 'box' as const, halfExtents: h, offset: o, friction: 1, frictionCombine: 'average' as const, group: 1, collidesWith: 1 });
    const shapes = [box([0.1, 0.02, 0.02], [0, 0, 0]), box([0.02, 0.1, 0.02], [0.08, 0.08, 0.01])];
    const mp = massProperties(shapes, 1000);
    const m1 = 1000 * 8 * 0.1 * 0.02 * 0.02, m2 = m1;
    expect(mp.mass).toBeCloseTo(m1 + m2, 12);
    expect(mp.com[0]).toBeCloseTo(0.04, 12);
    expect(mp.com[1]).toBeCloseTo(0.04, 12);
    // R · diag(I) · Rᵀ reproduces the tensor about the centre of mass.
    const [w, x, y, z] = mp.iquatWxyz;
    const R = [
      1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
      2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
      2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
    ];
    const tensor = (i: number, j: number) => R[3 * i] * mp.inertia[0] * R[3 * j] + R[3 * i + 1] * mp.inertia[1] * R[3 * j + 1] + R[3 * i + 2] * mp.inertia[2] * R[3 * j + 2];
    const direct = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (const s of shapes) {
      const [a, b, c] = s.halfExtents;
      const m = 1000 * 8 * a * b * c;
      const d = s.offset.map((v, k) => v - mp.com[k]);
      const own = [(m / 3) * (b * b + c * c), (m / 3) * (a * a + c * c), (m / 3) * (a * a + b * b)];
      const dd = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) direct[3 * i + j] += (i === j ? own[i] + m * dd : 0) - m * d[i] * d[j];
    }
    expect(Math.abs(direct[1])).toBeGreaterThan(1e-6);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(tensor(i, j)).toBeCloseTo(direct[3 * i + j], 12);
  });

  it('mass properties of a solid cylinder: m = ρπr²·2h, I_axis = m r²/2, I_side = m(3r² + (2h)²)/12', () => {
    const r = 0.03, h = 0.05, rho = 800;
    const mp = massProperties([{ type: 'cylinder', radius: r, halfHeight: h, offset: [0, 0, 0], friction: 1, frictionCombine: 'average', group: 1, collidesWith: 1 }], rho);
    const m = rho * Math.PI * r * r * 2 * h;
    expect(mp.mass).toBeCloseTo(m, 12);
    const side = (m * (3 * r * r + 4 * h * h)) / 12;
    expect([...mp.inertia].sort((a, b) => a - b)).toEqual([side, side, (m * r * r) / 2].sort((a, b) => a - b).map((v) => expect.closeTo(v, 12)));
  });
});
