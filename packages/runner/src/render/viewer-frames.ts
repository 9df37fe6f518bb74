/**
 * The viewer's headless frame source (examples/viewer/node/rollout-frames.ts), loaded from the
 * repository checkout: it builds the viewer with Vite and drives it in headless Chrome, so it
 * exists only in a source checkout, run through tsx (`npm run gripgen`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Options of the viewer's `renderRolloutFrames` (mirrors `RolloutFramesOptions` there). */
export interface RolloutFramesOptions {
  task: string;
  worlds: number;
  /** Randomization preset. */
  preset: string;
  seed: number;
  /** Control steps taken; one frame after each. */
  steps: number;
  /** A runner policy file (.json) or an ONNX model (.onnx); the task's scripted expert when absent. */
  policyPath?: string;
  width: number;
  height: number;
  /** Called once the viewer is built, started and ready to step. */
  onReady?: () => void;
  /** Receives each frame (a PNG) in order; awaited before the next step. */
  onFrame: (png: Uint8Array, step: number) => Promise<void> | void;
}

/** Where the frame source lives (relative to this file: packages/runner/src/render/). */
const FRAMES_MODULE = new URL('../../../../examples/viewer/node/rollout-frames.ts', import.meta.url);

/** A built, served viewer and a headless Chrome drawing one rollout after another (mirrors `RolloutSession` there). */
export interface RolloutSession {
  render(options: RolloutFramesOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * Loads the viewer's `openRolloutSession` (it builds and serves the viewer and starts headless
 * Chrome); throws saying why when this is not a source checkout run through tsx.
 */
export async function loadRolloutSession(): Promise<() => Promise<RolloutSession>> {
  const path = fileURLToPath(FRAMES_MODULE);
  if (!import.meta.url.endsWith('.ts') || !existsSync(path)) {
    throw new Error(`gripgen render draws with the viewer of a gripgen source checkout (${path}), run from its sources: npm run gripgen -- render …`);
  }
  const module = (await import(FRAMES_MODULE.href)) as { openRolloutSession: () => Promise<RolloutSession> };
  return module.openRolloutSession;
}
