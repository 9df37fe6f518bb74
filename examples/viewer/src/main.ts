/**
 * The viewer page: wires the toolbar, the two views, the inspect panel and the keyboard to a
 * {@link Viewer}. URL parameters set the start: `?worlds=16&preset=wide&seed=0&play=1&speed=1`.
 */
import { ACTION_SIZE, PICK_PLACE_OBS_NAMES, PICK_PLACE_PRESETS } from '@gripgen/sim-core';
import { ExpertController } from './motion/expert-controller.js';
import { PolicyController } from './motion/policy-controller.js';
import { installViewerHook } from './test-hook.js';
import { InspectPanel } from './ui/inspect-panel.js';
import { Toolbar, type WorldChoice } from './ui/toolbar.js';
import { Viewer } from './viewer.js';
import type { Controller } from './motion/controller.js';

const params = new URLSearchParams(location.search);
const presetParam = params.get('preset') ?? 'wide';
const start: WorldChoice = {
  numWorlds: Math.min(4096, Math.max(1, Math.floor(Number(params.get('worlds') ?? 16)) || 16)),
  preset: presetParam in PICK_PLACE_PRESETS ? presetParam : 'wide',
  seed: Math.max(0, Math.floor(Number(params.get('seed') ?? 0)) || 0),
};
const startSpeed = params.get('speed') === 'max' ? Infinity : Number(params.get('speed') ?? 1) || 1;
const autoplay = params.get('play') !== '0';

const errorBox = document.getElementById('error')!;
const inspect = new InspectPanel(document.getElementById('inspect')!);
const focusCaption = document.getElementById('focus-caption')!;
let controller: Controller = new ExpertController();

function showError(message: string, error?: unknown): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
  console.error(message, error);
}

async function apply(choice: WorldChoice, next: Controller = controller): Promise<void> {
  errorBox.hidden = true;
  const wasPlaying = viewer.playback.playing;
  await viewer.playback.pause();
  try {
    await viewer.configure({ ...choice, controller: next });
    controller = next;
  } catch (error) {
    showError(`could not start the worlds: ${error instanceof Error ? error.message : String(error)}`, error);
    // Back to what ran before (if that fails too, the error above stays on screen).
    if (next !== controller) await viewer.configure({ ...choice, controller }).catch(() => undefined);
  }
  toolbar.showSource(controller instanceof PolicyController ? controller.source : undefined);
  if (wasPlaying) viewer.playback.play();
}

const toolbar = new Toolbar({
  onWorldsChange: (choice) => void apply(choice),
  onExpert: () => void apply(toolbar.choice(), new ExpertController()),
  onPolicyFile: (file) =>
    void file.text().then(
      (text) => {
        const policy = PolicyController.fromFileText(text, file.name);
        // Checked before the running worlds are replaced: a policy for another task leaves them running.
        policy.checkCompatible({ taskId: 'pick-place', obsNames: PICK_PLACE_OBS_NAMES, actionSize: ACTION_SIZE });
        return apply(toolbar.choice(), policy);
      },
      (error: unknown) => showError(`could not read ${file.name}`, error),
    ).catch((error: unknown) => {
      showError(`${file.name}: ${error instanceof Error ? error.message : String(error)}`, error);
      toolbar.showSource(controller instanceof PolicyController ? controller.source : undefined);
    }),
  onPlayToggle: () => (viewer.playback.playing ? void viewer.playback.pause() : viewer.playback.play()),
  onStep: () => void viewer.playback.stepOnce(),
  onRestart: () => void viewer.restartEpisode(),
  onSpeed: (speed) => (viewer.playback.speed = speed),
});
toolbar.show(start, startSpeed);
toolbar.setEnabled(false); // the handlers need the viewer, created below

const viewer = await Viewer.create(
  { focusCanvas: document.getElementById('focus-canvas') as HTMLCanvasElement, gridCanvas: document.getElementById('grid-canvas') as HTMLCanvasElement },
  {
    onFrame(v) {
      const source = v.source;
      const settings = v.settings;
      inspect.update(source, v.focusedWorld, settings?.preset ?? '');
      focusCaption.textContent = `world ${v.focusedWorld}`;
      if (!source || !settings) return;
      const f = source.frame;
      const sps = v.stepsPerSecond;
      toolbar.setStatus(
        [
          v.adapterLine,
          `${f.numWorlds} worlds · ${settings.preset} · seed ${settings.seed}`,
          source.label,
          `step ${f.stepCount[v.focusedWorld]}/${f.episodeSteps}`,
          sps > 0 ? `${sps.toFixed(1)} steps/s` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      );
    },
    onPlayingChange: (playing) => toolbar.setPlaying(playing),
    onError: (message, error) => showError(message, error),
    // The status line names the adapter (and says when it is a software one): keep the notice as its tooltip.
    onNotice: (line) => (document.getElementById('status')!.title = line),
  },
);
viewer.playback.speed = startSpeed;

document.addEventListener('keydown', (e) => {
  const target = e.target as HTMLElement;
  if (target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === ' ') {
    e.preventDefault();
    if (viewer.playback.playing) void viewer.playback.pause();
    else viewer.playback.play();
  } else if (e.key === '.') {
    void viewer.playback.stepOnce();
  } else if (e.key === 'r') {
    void viewer.restartEpisode();
  } else if (e.key === 'f') {
    viewer.focusView.resetCamera();
    viewer.gridView.resetCamera();
  } else if (e.key === '[' || e.key === ']') {
    viewer.focus(viewer.focusedWorld + (e.key === ']' ? 1 : -1));
  }
});

try {
  await viewer.configure({ ...start, controller });
} catch (error) {
  showError(`could not start the worlds: ${error instanceof Error ? error.message : String(error)}`, error);
}
toolbar.setEnabled(true);
await viewer.whenDrawn();
installViewerHook(viewer, () => ({ preset: viewer.settings?.preset ?? '', seed: viewer.settings?.seed ?? 0 }));
if (autoplay) viewer.playback.play();
