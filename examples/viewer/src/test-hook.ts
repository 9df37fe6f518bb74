import { quatRotate, shapeHalfExtents, type GpuAdapterDescription } from '@gripgen/sim-core';
import { BOX_FLAGS, projectToPixels, taskWorldBodies, type Rgb } from '@gripgen/sim-core/render';
import type { DatasetSource, TimelinePosition } from './motion/dataset-source.js';
import { LiveSimSource } from './motion/live-sim-source.js';
import { PolicyController } from './motion/policy-controller.js';
import type { DemoRecorder, RecordingState } from './teleop/demo-recorder.js';
import type { Viewer } from './viewer.js';

/** The page's parts beyond the viewer that the hook reads and drives. */
export interface ViewerApp {
  recorder: DemoRecorder;
  /** The kept demos as the export button downloads them. */
  exportDemos(): Uint8Array;
  /** The dataset being played, if any. */
  dataset(): DatasetSource | undefined;
  /** What moving the timeline slider does. */
  seek(step: number): Promise<void>;
}

/** Name of the global the viewer page defines once it has drawn its first frame. */
export const VIEWER_HOOK = '__gripgenViewer';

/** Where an object of the focused world is drawn, and in which colour. */
export interface ObjectProbe {
  world: number;
  /** The object's body name (e.g. pick-place's `cube`). */
  name: string;
  /** Centre of the object (its first shape) in page CSS pixels. */
  x: number;
  y: number;
  /** Half the smaller side of the object's projected bounding box (CSS px). */
  halfSize: number;
  /** The object's hue parameter (`<name>Hue`) in the world and its unlit sRGB colour (0–1). */
  hue: number;
  rgb: Rgb;
  /** Another box of the scene lies between the eye and the object's centre. */
  occluded: boolean;
}

/** The test and automation hook on `window[VIEWER_HOOK]` (also handy from the devtools console). */
export interface ViewerHook {
  /** The adapter the viewer draws with. */
  adapter(): GpuAdapterDescription;
  /** The current state in numbers. */
  state(): { taskId: string; numWorlds: number; preset: string; seed: number; focusedWorld: number; framesDrawn: number; stepsTaken: number; playing: boolean; source: string };
  /** Focuses world `world` and waits for the frame that shows it. */
  focus(world: number): Promise<void>;
  /** Pauses, takes `count` control steps and waits for the frame that shows them. */
  step(count: number): Promise<void>;
  /** Resolves when a frame requested now has been drawn. */
  whenDrawn(): Promise<void>;
  /**
   * An object of the focused world in the focus view: the body named `name`, by default the
   * first body with a hue parameter (`<name>Hue`, e.g. pick-place's cube).
   */
  objectProbe(name?: string): ObjectProbe;
  /** Centre of world `world`'s tile in the grid view, in page CSS pixels. */
  tileCenter(world: number): { x: number; y: number };
  /** The focused world's observation and sub-signals by name, and its step. */
  observe(): { obs: Record<string, number>; signals: Record<string, number>; step: number; gripperCommand: number };
  /**
   * Pauses; then every world's current observation row and the driving policy's raw output for
   * them (`numWorlds × chunk × actionSize`, before chunk execution and snapping), or null when no
   * policy drives the worlds.
   */
  policyActions(): Promise<{ obs: number[]; actions: number[] } | null>;
  /** The teleoperation recorder: its state and the kept demos. */
  recording(): { state: RecordingState; steps: number; successStep: number; kept: { id: string; length: number; success: boolean }[] };
  /** The kept demos' export (a zip), base64. */
  exportDemos(): string;
  /** Where the dataset timeline is, or null when no dataset is shown. */
  timeline(): TimelinePosition | null;
  /** Moves the dataset timeline to `step` and waits for the frame that shows it. */
  seek(step: number): Promise<void>;
}

/** Installs {@link ViewerHook} for `viewer`. */
export function installViewerHook(viewer: Viewer, describe: () => { taskId: string; preset: string; seed: number }, app: ViewerApp): void {
  const hook: ViewerHook = {
    adapter: () => ({ ...viewer.adapter }),
    state: () => ({
      numWorlds: viewer.source?.frame.numWorlds ?? 0,
      ...describe(),
      focusedWorld: viewer.focusedWorld,
      framesDrawn: viewer.framesDrawn,
      stepsTaken: viewer.stepsTaken,
      playing: viewer.playback.playing,
      source: viewer.source?.label ?? '',
    }),
    focus: async (world) => {
      viewer.focus(world);
      await viewer.whenDrawn();
    },
    step: async (count) => {
      await viewer.playback.pause();
      for (let i = 0; i < count; i++) await viewer.playback.stepOnce();
      await viewer.whenDrawn();
    },
    whenDrawn: () => viewer.whenDrawn(),
    objectProbe: (name) => objectProbe(viewer, name),
    tileCenter: (world) => {
      const layout = viewer.gridLayout;
      const [ox, oy] = layout.origin(world);
      const centre = [ox + (layout.tileMin[0] + layout.tileMax[0]) / 2, oy + (layout.tileMin[1] + layout.tileMax[1]) / 2, 0];
      return toPage(viewer.gridView.canvas, viewer.gridView.lastViewProj!, centre);
    },
    observe: () => {
      const f = viewer.source!.frame;
      const w = viewer.focusedWorld;
      const obs = Object.fromEntries(f.obsNames.map((name, i) => [name, f.obs[w * f.obsNames.length + i]]));
      const signals = Object.fromEntries(f.signalNames.map((name, i) => [name, f.signals[w * f.signalNames.length + i]]));
      return { obs, signals, step: f.stepCount[w], gripperCommand: f.actions[w * f.actionSize + f.actionSize - 1] };
    },
    policyActions: async () => {
      await viewer.playback.pause();
      const source = viewer.source;
      if (!(source instanceof LiveSimSource) || !(source.controller instanceof PolicyController)) return null;
      const obs = source.frame.obs.slice();
      const actions = await source.controller.query(obs, source.frame.numWorlds);
      return { obs: Array.from(obs), actions: Array.from(actions) };
    },
    recording: () => ({
      state: app.recorder.state,
      steps: app.recorder.steps,
      successStep: app.recorder.successStep,
      kept: app.recorder.kept.map(({ demo, success }) => ({ id: demo.id, length: demo.length, success })),
    }),
    exportDemos: () => {
      const bytes = app.exportDemos();
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    timeline: () => app.dataset()?.position() ?? null,
    seek: async (step) => {
      await app.seek(step);
      await viewer.whenDrawn();
    },
  };
  (window as unknown as Record<string, ViewerHook>)[VIEWER_HOOK] = hook;
}

function toPage(canvas: HTMLCanvasElement, viewProj: Parameters<typeof projectToPixels>[0], point: ArrayLike<number>): { x: number; y: number } {
  const rect = canvas.getBoundingClientRect();
  const p = projectToPixels(viewProj, point, rect.width, rect.height);
  if (!p) throw new Error('point is behind the camera');
  return { x: rect.left + p[0], y: rect.top + p[1] };
}

function objectProbe(viewer: Viewer, name?: string): ObjectProbe {
  const source = viewer.source;
  const viewProj = viewer.focusView.lastViewProj;
  if (!source || !viewProj) throw new Error('objectProbe: nothing drawn yet');
  const f = source.frame;
  const world = viewer.focusedWorld;
  const bodies = taskWorldBodies(f.task, f.obs, world * f.obsNames.length, f.params, world * f.paramNames.length);
  const body = name === undefined ? bodies.find((b) => b.hue !== null) : bodies.find((b) => b.name === name);
  if (!body || body.hue === null) {
    throw new Error(`objectProbe: task ${f.task.id} has ${name === undefined ? 'no body with a hue parameter' : `no body "${name}" with a hue parameter`}`);
  }
  const shape = body.shapes[0];
  const offset = quatRotate([0, 0, 0], body.rotation, shape.offset);
  const centre = [0, 1, 2].map((i) => body.position[i] + offset[i]);
  const half = shapeHalfExtents(shape);
  const canvas = viewer.focusView.canvas;
  const page = toPage(canvas, viewProj, centre);
  const corners: { x: number; y: number }[] = [];
  for (const sx of [-1, 1]) for (const sy of [-1, 1]) for (const sz of [-1, 1]) {
    const corner = quatRotate([0, 0, 0], body.rotation, [sx * half[0], sy * half[1], sz * half[2]]);
    corners.push(toPage(canvas, viewProj, [centre[0] + corner[0], centre[1] + corner[1], centre[2] + corner[2]]));
  }
  const spanX = Math.max(...corners.map((c) => c.x)) - Math.min(...corners.map((c) => c.x));
  const spanY = Math.max(...corners.map((c) => c.y)) - Math.min(...corners.map((c) => c.y));
  return { world, name: body.name, ...page, halfSize: Math.min(spanX, spanY) / 2, hue: body.hue, rgb: body.color, occluded: occluded(viewer, centre) };
}

/** Whether a box of the focus view other than the one centred on `target` and the ground hides the point `target`. */
function occluded(viewer: Viewer, target: number[]): boolean {
  const view = viewer.focusView;
  const eye = view.camera.eye();
  const dir = [target[0] - eye[0], target[1] - eye[1], target[2] - eye[2]];
  for (let b = 0; b < view.boxes.count; b++) {
    const box = view.boxes.box(b);
    const isTarget = box.center.every((c, i) => Math.abs(c - target[i]) < 1e-6);
    if (isTarget || (box.flags & BOX_FLAGS.ground) !== 0) continue;
    const [qx, qy, qz, qw] = box.rotation;
    const inverse = [-qx, -qy, -qz, qw];
    const origin = quatRotate([0, 0, 0], inverse, [eye[0] - box.center[0], eye[1] - box.center[1], eye[2] - box.center[2]]);
    const d = quatRotate([0, 0, 0], inverse, dir);
    // Slab test along the segment eye → target (t in [0, 1]).
    let near = 0, far = 1;
    for (let i = 0; i < 3 && near <= far; i++) {
      if (Math.abs(d[i]) < 1e-12) {
        if (Math.abs(origin[i]) > box.halfExtents[i]) far = -1;
        continue;
      }
      const t1 = (-box.halfExtents[i] - origin[i]) / d[i];
      const t2 = (box.halfExtents[i] - origin[i]) / d[i];
      near = Math.max(near, Math.min(t1, t2));
      far = Math.min(far, Math.max(t1, t2));
    }
    if (near <= far && near < 0.999) return true;
  }
  return false;
}
