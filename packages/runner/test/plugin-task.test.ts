/**
 * The plug-in contract: a task defined in this file alone — push a cube past a line — runs
 * through createSim, the scripted expert, source-demo recording and MimicGen-style generation,
 * with no edit anywhere else. Everything the task needs is built from the public API
 * (`registerTask`, `randomizationSpace`, `parallelGripperParts`, the observation naming
 * convention).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACTION_SIZE,
  BODY_STATE_SIZE,
  CONTROL_LIMITS,
  createSim,
  fixed,
  around,
  parallelGripperParts,
  randomizationSpace,
  registerTask,
  taskIds,
  type BodyDesc,
  type Randomization,
  type ScriptedExpert,
  type Task,
} from '@gripgen/sim-core';
import { generateDataset, openDataset, recordExpertDemos } from '@gripgen/trajgen';
import { runExpertEpisode } from '../src/expert-run.js';

const EDGE = 0.04;
const NAMES = ['cubeX', 'cubeY', 'lineOffset', 'handX', 'handY', 'handZ'] as const;
type Name = (typeof NAMES)[number];
const NARROW: Randomization<Name> = {
  cubeX: around(0.4, 0.02),
  cubeY: around(0, 0.05),
  lineOffset: fixed(0.06),
  handX: fixed(0.4),
  handY: fixed(0),
  handZ: fixed(0.2),
};
const SPACE = randomizationSpace({
  names: NAMES,
  bounds: {
    cubeX: [0.2, 0.6, 'm'],
    cubeY: [-0.2, 0.2, 'm'],
    lineOffset: [0.02, 0.2, 'm'],
    handX: [0.2, 0.6, 'm'],
    handY: [-0.2, 0.2, 'm'],
    handZ: [0.1, 0.3, 'm'],
  },
  presets: { narrow: NARROW, wide: { ...NARROW, cubeX: around(0.4, 0.06), cubeY: around(0, 0.12) } },
  defaultPreset: 'wide',
});
const { P } = SPACE;
const BODY = { table: 0, hand: 1, fingerLeft: 2, fingerRight: 3, cube: 4 };
const GROUP = { table: 1, palm: 2, finger: 4, cube: 8 };
/** The line the cube's centre must cross, along x. */
const lineX = (params: ArrayLike<number>, o: number) => params[o + P.cubeX] + params[o + P.lineOffset];

/** Push-past-line's scripted expert: behind the cube, down, push along +x until past the line, hold. */
class PushExpert implements ScriptedExpert {
  private readonly phase: Uint8Array;
  constructor(numWorlds: number) {
    this.phase = new Uint8Array(numWorlds);
  }
  phaseOf(w: number): string {
    return ['approach', 'descend', 'push', 'hold'][this.phase[w]];
  }
  act(obs: Float32Array, obsSize: number, params: Float32Array, _episode: Uint32Array, stepCount: Uint32Array, out: Float32Array): Float32Array {
    for (let w = 0; w < this.phase.length; w++) {
      const o = w * obsSize;
      if (stepCount[w] === 0) this.phase[w] = 0;
      const ee = [obs[o], obs[o + 1], obs[o + 2]];
      const cube = [obs[o + 8], obs[o + 9], obs[o + 10]];
      const line = lineX(params, w * NAMES.length);
      // Pads (closed) 1 cm in front of the TCP along x: start 2 cm behind the cube's face.
      const behind = cube[0] - EDGE / 2 - 0.01 - 0.02;
      const target = [
        [behind, cube[1], 0.1],
        [behind, cube[1], 0.025],
        [line + 0.02 - EDGE / 2 - 0.01, cube[1], 0.025],
        [ee[0], ee[1], ee[2]],
      ][this.phase[w]];
      const error = Math.hypot(target[0] - ee[0], target[1] - ee[1], target[2] - ee[2]);
      if (this.phase[w] < 2 && error < 0.003) this.phase[w]++;
      else if (this.phase[w] === 2 && cube[0] > line + 0.005) this.phase[w] = 3;
      const a = w * ACTION_SIZE;
      for (let i = 0; i < 3; i++) out[a + i] = Math.max(-0.01, Math.min(0.01, target[i] - ee[i]));
      out[a + 3] = out[a + 4] = out[a + 5] = 0;
      out[a + 6] = 1;
    }
    return out;
  }
}

const pushPastLine: Task<Randomization<Name>> = {
  id: 'push-past-line',
  description: 'push the cube along +x until its centre is past a line',
  agent: 'parallel-gripper',
  ...SPACE,
  demoPreset: 'narrow',
  numBodies: 5,
  buildScene(params, o) {
    const p = (name: Name) => params[o + P[name]];
    const gripper = parallelGripperParts([p('handX'), p('handY'), p('handZ')], [0, 0, 0, 1], 0.04, {
      palm: GROUP.palm,
      finger: GROUP.finger,
      palmTouches: GROUP.cube,
      fingerTouches: GROUP.table | GROUP.cube,
    });
    const box = (half: [number, number, number], friction: number, group: number) =>
      ({ type: 'box', halfExtents: half, offset: [0, 0, 0], friction, frictionCombine: 'average', group, collidesWith: 0xffff }) as const;
    const bodies: BodyDesc[] = [
      { name: 'table', kind: 'fixed', position: [0, 0, -0.05], rotation: [0, 0, 0, 1], shapes: [box([0.8, 0.8, 0.05], 0.5, GROUP.table)] },
      ...gripper.bodies,
      { name: 'cube', kind: 'dynamic', position: [p('cubeX'), p('cubeY'), EDGE / 2], rotation: [0, 0, 0, 1], mass: 0.2, shapes: [box([EDGE / 2, EDGE / 2, EDGE / 2], 0.5, GROUP.cube)] },
    ];
    return {
      bodies,
      joints: gripper.joints(BODY.hand, BODY.fingerLeft, BODY.fingerRight),
      controlledBody: BODY.hand,
      contactQueries: [
        [BODY.fingerLeft, BODY.cube],
        [BODY.fingerRight, BODY.cube],
      ],
    };
  },
  initialControllerPose(params, o, out, k) {
    out.set([params[o + P.handX], params[o + P.handY], params[o + P.handZ], 0, 0, 0, 1], k);
  },
  signalNames: ['success', 'isTouching'],
  evaluate(view, out) {
    const cubeX = view.bodies[view.bodiesOffset + BODY.cube * BODY_STATE_SIZE];
    const success = cubeX > lineX(view.params, view.paramsOffset);
    out.signals[out.signalsOffset] = success ? 1 : 0;
    out.signals[out.signalsOffset + 1] = view.contacts[view.contactsOffset] || view.contacts[view.contactsOffset + 1] ? 1 : 0;
    return success;
  },
  obsNames: [
    'ee_pos_x', 'ee_pos_y', 'ee_pos_z', 'ee_quat_x', 'ee_quat_y', 'ee_quat_z', 'ee_quat_w', 'gripper_opening',
    'cube_pos_x', 'cube_pos_y', 'cube_pos_z', 'cube_quat_x', 'cube_quat_y', 'cube_quat_z', 'cube_quat_w',
    'line_pos_x', 'line_pos_y', 'line_pos_z',
  ],
  observe(view, out, o) {
    const b = view.bodies;
    const h = view.bodiesOffset + BODY.hand * BODY_STATE_SIZE;
    const c = view.bodiesOffset + BODY.cube * BODY_STATE_SIZE;
    for (let i = 0; i < 7; i++) out[o + i] = b[h + i];
    out[o + 7] = view.jointTravel[0] + view.jointTravel[1];
    for (let i = 0; i < 7; i++) out[o + 8 + i] = b[c + i];
    out.set([lineX(view.params, view.paramsOffset), view.params[view.paramsOffset + P.cubeY], 0], o + 15);
  },
  reward(view) {
    return -Math.abs(view.bodies[view.bodiesOffset + BODY.cube * BODY_STATE_SIZE] - lineX(view.params, view.paramsOffset));
  },
  expert: (numWorlds) => new PushExpert(numWorlds),
  datagen: {
    subtasks: [
      { name: 'reach', object: 'cube', endSignal: 'isTouching' },
      { name: 'push', object: 'cube', endSignal: null },
    ],
    objects: ['cube', 'line'],
  },
};

let dir: string;
beforeAll(async () => {
  registerTask(pushPastLine);
  dir = await mkdtemp(join(tmpdir(), 'gripgen-plugin-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a task defined in a test file (the plug-in contract)', () => {
  it('is registered and runs through createSim, with its own observation and signals', async () => {
    expect(taskIds()).toContain('push-past-line');
    const sim = await createSim({ task: 'push-past-line', numWorlds: 4, backend: 'rapier', threads: 0, seed: 3 });
    try {
      expect(sim.spec.obsNames).toEqual(pushPastLine.obsNames);
      expect(sim.spec.signalNames).toEqual(['success', 'isTouching']);
      expect(sim.spec.bodyNames).toEqual(['table', 'hand', 'fingerLeft', 'fingerRight', 'cube']);
      const r = await sim.reset();
      // The cube rests on the table where the parameters put it, and is not yet past its line.
      for (let w = 0; w < 4; w++) {
        const o = w * sim.spec.obsSize;
        expect(r.obs[o + 10]).toBeCloseTo(EDGE / 2, 2);
        expect(r.obs[o + 8]).toBeCloseTo(sim.paramTable[w * NAMES.length + P.cubeX], 3);
        expect(r.success[w]).toBe(0);
      }
    } finally {
      await sim.dispose();
    }
  });

  it('runs on the webgpu backend too (the scene solver), starting from the same observation as on rapier', async () => {
    const obs: Float32Array[] = [];
    for (const backend of ['rapier', 'webgpu'] as const) {
      const sim = await createSim({ task: 'push-past-line', numWorlds: 4, backend, threads: 0, seed: 3 });
      try {
        expect(sim.spec.backend).toBe(backend);
        obs.push((await sim.reset()).obs.slice());
      } finally {
        await sim.dispose();
      }
    }
    // The same parameters build the same scene: every observation entry agrees to f32 rounding.
    for (let i = 0; i < obs[0].length; i++) expect(obs[1][i]).toBeCloseTo(obs[0][i], 5);
  });

  it('its scripted expert pushes the cube past the line (gripgen expert)', async () => {
    const stats = await runExpertEpisode({ task: 'push-past-line', numWorlds: 16, backend: 'rapier', threads: 0, steps: 120 });
    expect(stats.task).toBe('push-past-line');
    expect(stats.randomization).toBe('wide');
    expect(stats.successRate).toBeGreaterThanOrEqual(15 / 16);
  });

  it('records source demos and generates a dataset from them (gripgen demos + generate)', async () => {
    const demos = await recordExpertDemos({ task: 'push-past-line', count: 4, threads: 0, maxSteps: 120 });
    expect(demos).toHaveLength(4);
    for (const d of demos) {
      expect(d.task).toBe('push-past-line');
      expect(d.randomization).toBe('narrow');
      expect(Object.keys(d.objectPoses)).toEqual(['cube', 'line']);
      // The line has no orientation in the observation: its poses carry the identity quaternion.
      expect(Array.from(d.objectPoses.line.subarray(3, 7))).toEqual([0, 0, 0, 1]);
    }
    const stats = await generateDataset({ demos, out: dir, worlds: 8, threads: 0, backend: 'rapier', config: { numTrials: 16, maxAttemptSteps: 150 } });
    expect(stats.task).toBe('push-past-line');
    expect(stats.attempts).toBe(16);
    expect(stats.successes).toBeGreaterThanOrEqual(12);
    expect(Object.keys(stats.failuresBySubtask).every((s) => s === 'reach' || s === 'push')).toBe(true);
    const dataset = await openDataset(dir);
    expect(dataset.manifest.taskId).toBe('push-past-line');
    expect(dataset.manifest.counts.episodes).toBe(stats.kept);
    // Each trajectory records where its subtasks began.
    const first = await dataset.get(0);
    expect(first.subtaskStarts).toHaveLength(2);
    expect(first.subtaskStarts[0]).toBe(0);
    expect(first.subtaskStarts[1]).toBeGreaterThan(0);
  });
});
