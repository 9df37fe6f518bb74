import { acquireGpu, DEFAULT_TASK_ID, formatAdapter, getTask, type ContactPoint, type GpuAdapterDescription, type GpuContext } from '@gripgen/sim-core';
import { BoxRenderer, pixelRay, rayHitPlaneZ, taskViewRegion } from '@gripgen/sim-core/render';
import type { Controller } from './motion/controller.js';
import { LiveSimSource } from './motion/live-sim-source.js';
import type { MotionSource } from './motion/motion-source.js';
import { Playback } from './playback.js';
import { GridLayout } from './render/grid-layout.js';
import { addContactBoxes } from './render/contact-boxes.js';
import { SceneView } from './render/scene-view.js';
import { buildFocusBoxes, buildGridBoxes, worldContentBounds } from './render/world-boxes.js';
import { SerialQueue } from './serial-queue.js';

/** What the shown worlds are: of which task, how many, drawn from which preset and seed. */
export interface SourceSettings {
  /** Registered task id. */
  taskId: string;
  numWorlds: number;
  preset: string;
  seed: number;
}

/** What the live worlds are: of which task, how many, drawn from which preset and seed, driven by what. */
export interface WorldSettings extends SourceSettings {
  controller: Controller;
}

/** The page elements the viewer draws into. */
export interface ViewerElements {
  focusCanvas: HTMLCanvasElement;
  gridCanvas: HTMLCanvasElement;
}

/** What the viewer tells the page after each drawn frame. */
export interface ViewerListener {
  /** A frame was drawn (the source's frame, the focused world). */
  onFrame(viewer: Viewer): void;
  /** Playing started or stopped. */
  onPlayingChange(playing: boolean): void;
  /** Something failed (the message is for the user). */
  onError(message: string, error: unknown): void;
  /** A one-line notice (e.g. the software adapter in use). */
  onNotice(line: string): void;
}

/** Shadow-map sides of the focus view (one world) and of the grid (many). */
const FOCUS_SHADOW_MAP = 2048;
const GRID_SHADOW_MAP = 2048;

/**
 * The viewer: a motion source (live worlds), a focus view of one world and a grid view of all,
 * the play/pause clock, and on-demand drawing (a frame is drawn when the worlds step, the
 * camera moves or a canvas is resized — not continuously).
 */
export class Viewer {
  readonly playback: Playback;
  readonly focusView: SceneView;
  readonly gridView: SceneView;
  /** Frames drawn so far. */
  framesDrawn = 0;
  /** Steps taken since the source was created. */
  stepsTaken = 0;
  private source_: MotionSource | undefined;
  private showContacts_ = false;
  /** The focused world's contacts at the current frame, and which world they are of. */
  private contacts_: { world: number; points: ContactPoint[] } | undefined;
  private settings_: SourceSettings | undefined;
  private layout = new GridLayout(1, taskViewRegion(getTask(DEFAULT_TASK_ID)));
  private focused = 0;
  private readonly queue = new SerialQueue();
  private frameRequested = false;
  private readonly drawnWaiters: (() => void)[] = [];
  private readonly stepTimes: number[] = [];

  private constructor(
    private readonly gpu: GpuContext,
    readonly renderer: BoxRenderer,
    elements: ViewerElements,
    private readonly listener: ViewerListener,
  ) {
    const onChange = () => this.requestFrame();
    this.focusView = new SceneView(elements.focusCanvas, renderer, {
      shadowMapSize: FOCUS_SHADOW_MAP,
      onChange,
      // Frames the focused world's objects, fixtures and gripper, seen from the front (+x) and a little to the side.
      resetCamera: (camera) => {
        const { min, max } = this.source_ ? worldContentBounds(this.source_.frame, this.focused) : this.layout.region;
        camera.yaw = 0.45;
        camera.pitch = 0.6;
        camera.frame(min, max);
        camera.target[2] = 0.04;
        camera.distance = Math.max(0.5, camera.distance * 0.8);
      },
    });
    this.gridView = new SceneView(elements.gridCanvas, renderer, {
      shadowMapSize: GRID_SHADOW_MAP,
      onChange,
      onClick: (x, y) => this.pickInGrid(x, y),
      resetCamera: (camera) => {
        const { min, max } = this.layout.bounds();
        camera.yaw = 0;
        camera.pitch = 1.2;
        camera.frame(min, max);
        camera.target[2] = 0;
        camera.zoom(0.62);
      },
    });
    this.playback = new Playback(
      () => this.queue.run(() => this.advance()),
      (error) => this.fail('stepping failed', error),
      (playing) => listener.onPlayingChange(playing),
    );
  }

  /** Acquires a WebGPU device for drawing and builds both views (no worlds yet: call {@link configure}). */
  static async create(elements: ViewerElements, listener: ViewerListener): Promise<Viewer> {
    const gpu = await acquireGpu({ label: 'gripgen viewer', onNotice: (line) => listener.onNotice(line) });
    try {
      const renderer = await BoxRenderer.create(gpu.device, { colorFormat: navigator.gpu.getPreferredCanvasFormat(), sampleCount: 4 });
      return new Viewer(gpu, renderer, elements, listener);
    } catch (e) {
      gpu.release();
      throw e;
    }
  }

  /** The adapter the viewer draws with. */
  get adapter(): GpuAdapterDescription {
    return this.gpu.adapterInfo;
  }

  /** One line naming the drawing adapter. */
  get adapterLine(): string {
    return formatAdapter(this.gpu.adapterInfo);
  }

  get source(): MotionSource | undefined {
    return this.source_;
  }

  get settings(): SourceSettings | undefined {
    return this.settings_;
  }

  get focusedWorld(): number {
    return this.focused;
  }

  get gridLayout(): GridLayout {
    return this.layout;
  }

  /** Whether the focus view draws the focused world's contact points and normals. */
  get showContacts(): boolean {
    return this.showContacts_;
  }

  set showContacts(show: boolean) {
    this.showContacts_ = show;
    this.requestFrame();
  }

  /**
   * The focused world's contact points at the current frame (read from the Sim after every
   * step, restart and focus change), or undefined when the source has none (a dataset) or
   * they are still being read.
   */
  get focusContacts(): readonly ContactPoint[] | undefined {
    return this.contacts_?.world === this.focused ? this.contacts_.points : undefined;
  }

  /** Wall-clock steps per second over the last few seconds of playing (0 when idle). */
  get stepsPerSecond(): number {
    const now = performance.now();
    while (this.stepTimes.length > 0 && now - this.stepTimes[0] > 3000) this.stepTimes.shift();
    if (this.stepTimes.length < 2) return 0;
    return (this.stepTimes.length - 1) / ((this.stepTimes[this.stepTimes.length - 1] - this.stepTimes[0]) / 1000);
  }

  /**
   * Replaces the worlds (new Sim) with `settings`; the focused world stays if it still exists.
   * On failure the previous worlds are gone and the error is rethrown.
   */
  async configure(settings: WorldSettings): Promise<void> {
    await this.useSource(
      () =>
        LiveSimSource.create({
          taskId: settings.taskId,
          numWorlds: settings.numWorlds,
          preset: settings.preset,
          seed: settings.seed,
          controller: settings.controller,
        }),
      settings,
    );
  }

  /**
   * Replaces the motion source with the one `create` makes (after the old one is disposed),
   * described by `settings`. On failure there is no source and the error is rethrown.
   */
  async useSource(create: () => Promise<MotionSource>, settings: SourceSettings): Promise<void> {
    await this.queue.run(async () => {
      const old = this.source_;
      this.source_ = undefined;
      await old?.dispose();
      this.source_ = await create();
      this.settings_ = settings;
      this.contacts_ = undefined;
      this.stepsTaken = 0;
      this.stepTimes.length = 0;
      if (this.focused >= settings.numWorlds) this.focused = 0;
      const region = taskViewRegion(getTask(settings.taskId));
      if (this.layout.numWorlds !== settings.numWorlds || this.layout.region !== region) {
        this.layout = new GridLayout(settings.numWorlds, region);
        this.gridView.resetCamera();
      }
      this.focusView.resetCamera();
      await this.readContacts();
    });
    this.requestFrame();
  }

  /** Starts a new episode in every world. */
  async restartEpisode(): Promise<void> {
    await this.queue.run(async () => {
      await this.source_?.restart();
      await this.readContacts();
    });
    this.requestFrame();
  }

  /** Reads the focused world's contacts again (between steps) and draws. */
  async refreshContacts(): Promise<void> {
    await this.queue.run(() => this.readContacts());
    this.requestFrame();
  }

  /** Runs `change` on the source between steps (e.g. a seek), then draws. */
  async withSource(change: (source: MotionSource) => void | Promise<void>): Promise<void> {
    await this.queue.run(async () => {
      if (this.source_) await change(this.source_);
      await this.readContacts();
    });
    this.requestFrame();
  }

  /** Focuses world `world` (clamped to the batch); the focus camera frames it when it changes. */
  focus(world: number): void {
    const n = this.source_?.frame.numWorlds ?? 1;
    const next = Math.min(n - 1, Math.max(0, Math.floor(world)));
    if (next === this.focused) return;
    this.focused = next;
    this.focusView.resetCamera();
    this.refreshContacts().catch((error: unknown) => this.fail('reading contacts failed', error));
  }

  /** Schedules a frame at the next animation frame (several requests make one frame). */
  requestFrame(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      try {
        this.draw();
      } catch (error) {
        this.fail('drawing failed', error);
      }
    });
  }

  /** Resolves once a frame requested now has been drawn and its GPU work has finished. */
  whenDrawn(): Promise<void> {
    this.requestFrame();
    return new Promise((resolve) => this.drawnWaiters.push(resolve));
  }

  private async advance(): Promise<void> {
    const source = this.source_;
    if (!source) return;
    await source.step();
    await this.readContacts();
    this.stepsTaken++;
    this.stepTimes.push(performance.now());
    this.requestFrame();
  }

  /** Reads the focused world's contacts from the source (inside the queue, between steps). */
  private async readContacts(): Promise<void> {
    const source = this.source_;
    const world = this.focused;
    this.contacts_ = source?.contacts ? { world, points: await source.contacts(world) } : undefined;
  }

  private draw(): void {
    const source = this.source_;
    const encoder = this.gpu.device.createCommandEncoder({ label: 'viewer frame' });
    if (source) {
      buildFocusBoxes(this.focusView.boxes, source.frame, this.focused);
      const contacts = this.focusContacts;
      if (this.showContacts_ && contacts) addContactBoxes(this.focusView.boxes, contacts);
      buildGridBoxes(this.gridView.boxes, source.frame, this.layout, this.focused);
    } else {
      this.focusView.boxes.clear();
      this.gridView.boxes.clear();
    }
    this.focusView.encode(encoder);
    this.gridView.encode(encoder);
    this.gpu.device.queue.submit([encoder.finish()]);
    this.gpu.check();
    this.framesDrawn++;
    this.listener.onFrame(this);
    const waiters = this.drawnWaiters.splice(0);
    if (waiters.length > 0) {
      void this.gpu.device.queue.onSubmittedWorkDone().then(() => {
        for (const resolve of waiters) resolve();
      });
    }
  }

  private pickInGrid(x: number, y: number): void {
    const viewProj = this.gridView.lastViewProj;
    if (!viewProj) return;
    const canvas = this.gridView.canvas;
    const hit = rayHitPlaneZ(pixelRay(viewProj, x, y, canvas.clientWidth, canvas.clientHeight), 0);
    if (!hit) return;
    const world = this.layout.worldAt(hit[0], hit[1]);
    if (world >= 0) this.focus(world);
  }

  private fail(what: string, error: unknown): void {
    this.listener.onError(`${what}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}
