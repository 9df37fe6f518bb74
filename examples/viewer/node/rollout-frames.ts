/**
 * Frames of a rollout drawn by the viewer's WebGPU renderer in headless Chrome: the viewer's
 * grid view alone (toolbar, focus view and inspect panel hidden) filling a `width` × `height`
 * page, one PNG per control step. `gripgen render` (packages/runner/src/render) encodes them
 * into a video.
 */
import { launchChrome } from '../../../bench/src/browser/launch-chrome.js';
import type { ViewerHook } from '../src/test-hook.js';
import { VIEWER_CHROME_ARGS } from './chrome-args.js';
import { openViewer, startViewerServer } from './serve-viewer.js';

/** What to draw: the viewer's URL parameters, the policy and the frame size. */
export interface RolloutFramesOptions {
  task: string;
  worlds: number;
  /** Randomization preset. */
  preset: string;
  seed: number;
  /** Control steps taken; one frame after each. */
  steps: number;
  /** A runner policy file (.json) or an ONNX model (.onnx) driving the worlds; the task's scripted expert when absent. */
  policyPath?: string;
  /** Frame size in pixels. */
  width: number;
  height: number;
  /** Called once the page is ready to draw (the viewer built and started), before the first step. */
  onReady?: () => void;
  /** Receives each frame (a PNG) in order; awaited before the next step. */
  onFrame: (png: Uint8Array, step: number) => Promise<void> | void;
}

/** Shows only the grid view, filling the page. */
const GRID_ONLY_CSS = `
#toolbar, #focus-pane, #inspect, #grid-pane .caption { display: none !important; }
main { display: block !important; padding: 0 !important; height: 100vh; }
#grid-pane { width: 100vw; height: 100vh; border: 0 !important; border-radius: 0 !important; }
`;

/** A built, served viewer and a headless Chrome, drawing one rollout after another. */
export interface RolloutSession {
  /** Draws one rollout in a new tab of the options' size; throws naming the page's errors. */
  render(options: RolloutFramesOptions): Promise<void>;
  /** Closes Chrome and the server. */
  close(): Promise<void>;
}

/** Builds and serves the viewer and starts headless Chrome (the slow part: tens of seconds on SwiftShader). */
export async function openRolloutSession(): Promise<RolloutSession> {
  const server = await startViewerServer();
  let browser: Awaited<ReturnType<typeof launchChrome>>;
  try {
    browser = await launchChrome({ extraArgs: VIEWER_CHROME_ARGS });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    render: async (options) => {
      const { task, worlds, preset, seed, steps, width, height } = options;
      const query = `?play=0&task=${encodeURIComponent(task)}&worlds=${worlds}&preset=${encodeURIComponent(preset)}&seed=${seed}`;
      const { page, errors } = await openViewer(browser, server, query, { width, height });
      try {
        await page.addStyleTag({ content: GRID_ONLY_CSS });
        if (options.policyPath !== undefined) {
          const input = await page.$('#policy-file');
          if (!input) throw new Error('the viewer page has no #policy-file input');
          await (input as unknown as { uploadFile(path: string): Promise<void> }).uploadFile(options.policyPath);
          const name = options.policyPath.split(/[\\/]/).pop()!;
          await page.waitForFunction(
            (label) => {
              const state = (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.state();
              const error = document.getElementById('error');
              return state.source === label || (error !== null && !error.hidden);
            },
            { timeout: 60_000, polling: 100 },
            `policy ${name}`,
          );
          const shown = await page.evaluate(() => {
            const error = document.getElementById('error');
            return error !== null && !error.hidden ? error.textContent : null;
          });
          if (shown) throw new Error(`the viewer refused the policy: ${shown}`);
        }
        // The grid view refits its canvas to the page; wait for that frame.
        await page.evaluate(() => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.whenDrawn());
        options.onReady?.();
        for (let step = 1; step <= steps; step++) {
          await page.evaluate(() => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.step(1));
          await options.onFrame(await page.screenshot({ type: 'png' }), step);
        }
        if (errors.length > 0) throw new Error(`the viewer page logged errors:\n${errors.join('\n')}`);
      } finally {
        await page.close();
      }
    },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** One rollout in a session of its own: {@link openRolloutSession}, render, close. */
export async function renderRolloutFrames(options: RolloutFramesOptions): Promise<void> {
  const session = await openRolloutSession();
  try {
    await session.render(options);
  } finally {
    await session.close();
  }
}
