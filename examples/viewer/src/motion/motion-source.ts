/**
 * Where the viewer's worlds get their motion from. A {@link MotionSource} owns a batch of
 * worlds of one task and produces {@link WorldFrame}s; the viewer only draws and inspects
 * frames, so live simulation (scripted expert, trained policy, teleoperation) and recorded data
 * (dataset playback with a timeline) plug in the same way, whatever the task.
 */

import type { ContactPoint, Task } from '@gripgen/sim-core';

/** Everything the viewer draws and inspects about a batch of worlds of one task at one instant. */
export interface WorldFrame {
  /** The task the worlds are of (its scene, presets and observation names). */
  readonly task: Task;
  readonly numWorlds: number;
  /** Observations, `obsNames.length` per world (the task's `obsNames`). */
  readonly obs: Float32Array;
  readonly obsNames: readonly string[];
  /** Randomized parameters of each world's episode, `paramNames.length` per world. */
  readonly params: Float32Array;
  readonly paramNames: readonly string[];
  /** Sub-signals, `signalNames.length` per world (`success` first). */
  readonly signals: Uint8Array;
  readonly signalNames: readonly string[];
  /** 1 where `success` was set at some step of the current episode. */
  readonly succeeded: Uint8Array;
  /** The action each world received at the last step (`actionSize` per world; zeros before the first). */
  readonly actions: Float32Array;
  readonly actionSize: number;
  readonly episode: Uint32Array;
  /** World key of each world's randomization (the slot index unless a source set it). */
  readonly worldId: Uint32Array;
  /** Control steps since each world's episode started. */
  readonly stepCount: Uint32Array;
  /** Episode length after which the source starts the next episode. */
  readonly episodeSteps: number;
}

/** A source of frames: live simulation or recorded data. */
export interface MotionSource {
  /** What drives the worlds, for the status bar (e.g. "scripted expert", "policy policy.json"). */
  readonly label: string;
  /** The current frame (updated in place by {@link step} and {@link restart}). */
  readonly frame: WorldFrame;
  /** Advances one control step (a source that ends an episode starts the next one itself). */
  step(): Promise<void>;
  /** Starts a new episode in every world. */
  restart(): Promise<void>;
  /**
   * World `world`'s contact points at the current frame, from the simulator (`Sim.contacts`);
   * absent on sources that have none (a dataset records no contacts).
   */
  contacts?(world: number): Promise<ContactPoint[]>;
  /** Extra lines for the inspect panel about world `world` (e.g. the expert's phase). */
  describeWorld(world: number): Record<string, string>;
  /** Releases the worlds (GPU buffers, device). */
  dispose(): Promise<void>;
}
