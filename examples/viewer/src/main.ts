/**
 * The viewer page: wires the toolbar, the two views, the inspect panel, the teleoperation panel,
 * the dataset timeline and the keyboard to a {@link Viewer}. URL parameters set the start:
 * `?task=pick-place&worlds=16&preset=wide&seed=0&play=1&speed=1&source=teleop`.
 */
import { DEFAULT_TASK_ID, getTask, taskIds } from '@gripgen/sim-core';
import { droppedFiles, LoadedDataset, type DroppedFile } from './dataset/dataset-files.js';
import { DatasetSource } from './motion/dataset-source.js';
import { ExpertController } from './motion/expert-controller.js';
import { LiveSimSource } from './motion/live-sim-source.js';
import { PolicyController } from './motion/policy-controller.js';
import { TeleopController } from './motion/teleop-controller.js';
import { DemoRecorder } from './teleop/demo-recorder.js';
import { RECORDER_KEYS } from './teleop/teleop-bindings.js';
import { TeleopInput } from './teleop/teleop-input.js';
import { installViewerHook } from './test-hook.js';
import { InspectPanel } from './ui/inspect-panel.js';
import { TeleopPanel } from './ui/teleop-panel.js';
import { Timeline } from './ui/timeline.js';
import { Toolbar, type ShownSource, type WorldChoice } from './ui/toolbar.js';
import { Viewer } from './viewer.js';
import type { Controller } from './motion/controller.js';

const params = new URLSearchParams(location.search);
const taskParam = params.get('task') ?? DEFAULT_TASK_ID;
const startTask = getTask(taskIds().includes(taskParam) ? taskParam : DEFAULT_TASK_ID);
const presetParam = params.get('preset') ?? startTask.defaultPreset;
const start: WorldChoice = {
  taskId: startTask.id,
  numWorlds: Math.min(4096, Math.max(1, Math.floor(Number(params.get('worlds') ?? 16)) || 16)),
  preset: Object.hasOwn(startTask.presets, presetParam) ? presetParam : startTask.defaultPreset,
  seed: Math.max(0, Math.floor(Number(params.get('seed') ?? 0)) || 0),
};
const startSpeed = params.get('speed') === 'max' ? Infinity : Number(params.get('speed') ?? 1) || 1;
const autoplay = params.get('play') !== '0';

const errorBox = document.getElementById('error')!;
const dropHint = document.getElementById('drop-hint')!;
const inspect = new InspectPanel(document.getElementById('inspect')!);
const focusCaption = document.getElementById('focus-caption')!;
let teleopInput: TeleopInput | undefined;
// A task without a scripted expert starts in teleoperation.
let controller: Controller = params.get('source') === 'teleop' || !startTask.expert ? makeTeleop() : new ExpertController();
let dataset: DatasetSource | undefined;
/** The world choice of the live worlds (teleoperation runs one world whatever the toolbar says). */
let liveChoice: WorldChoice = start;

const recorder = new DemoRecorder(
  () => 0,
  () => viewer.settings?.preset ?? start.preset,
  () => teleopPanel.update(),
);
if (!taskIds().includes(taskParam)) showError(`unknown task "${taskParam}" in the URL; known tasks: ${taskIds().join(', ')}`);

function showError(message: string, error?: unknown): void {
  errorBox.textContent = message;
  errorBox.hidden = false;
  console.error(message, error);
}

function makeTeleop(): TeleopController {
  teleopInput?.dispose();
  teleopInput = new TeleopInput();
  return new TeleopController(teleopInput);
}

function shownSource(): ShownSource {
  if (dataset) return { kind: 'dataset', name: dataset.dataset.name };
  if (controller instanceof PolicyController) return { kind: 'policy', name: controller.source };
  return { kind: controller instanceof TeleopController ? 'teleop' : 'expert' };
}

/** Shows the panels that belong to the current source. */
function showPanels(): void {
  toolbar.showSource(shownSource());
  teleopPanel.show(!dataset && controller instanceof TeleopController ? recorder : undefined);
  timeline.show(dataset);
  const source = viewer.source;
  if (source instanceof LiveSimSource) source.observer = controller instanceof TeleopController ? recorder : undefined;
}

/** Frees what a controller the viewer no longer uses holds (an ONNX model's session). */
function release(c: Controller): void {
  void c.dispose?.();
}

async function apply(choice: WorldChoice, requested: Controller = controller): Promise<void> {
  errorBox.hidden = true;
  // The scripted expert drives only a task that has one: otherwise the person at the keyboard does.
  const next = requested instanceof ExpertController && !getTask(choice.taskId).expert ? makeTeleop() : requested;
  const wasPlaying = viewer.playback.playing;
  await viewer.playback.pause();
  if (recorder.state === 'recording') recorder.stop();
  if (!(next instanceof TeleopController)) {
    teleopInput?.dispose();
    teleopInput = undefined;
  }
  const worlds = (c: Controller, w: WorldChoice) => (c instanceof TeleopController ? { ...w, numWorlds: 1 } : w);
  try {
    await viewer.configure({ ...worlds(next, choice), controller: next });
    if (next !== controller) release(controller);
    controller = next;
    dataset = undefined;
    liveChoice = choice;
  } catch (error) {
    showError(`could not start the worlds: ${error instanceof Error ? error.message : String(error)}`, error);
    if (next !== controller) release(next);
    // Back to what ran before (if that fails too, the error above stays on screen).
    if (controller instanceof TeleopController && !teleopInput) controller = makeTeleop();
    await viewer.configure({ ...worlds(controller, liveChoice), controller }).catch(() => undefined);
    dataset = undefined;
  }
  toolbar.show(liveChoice);
  showPanels();
  if (wasPlaying) viewer.playback.play();
}

async function loadDataset(files: DroppedFile[]): Promise<void> {
  errorBox.hidden = true;
  let source: DatasetSource;
  try {
    source = new DatasetSource(await LoadedDataset.fromFiles(files));
  } catch (error) {
    showError(`could not load the dataset: ${error instanceof Error ? error.message : String(error)}`, error);
    showPanels();
    return;
  }
  const wasPlaying = viewer.playback.playing;
  await viewer.playback.pause();
  if (recorder.state === 'recording') recorder.stop();
  teleopInput?.dispose();
  teleopInput = undefined;
  const shown = { taskId: source.frame.task.id, numWorlds: 1, preset: source.preset, seed: source.dataset.manifest.seed };
  await viewer.useSource(async () => source, shown);
  dataset = source;
  toolbar.show(shown);
  showPanels();
  if (wasPlaying) viewer.playback.play();
}

/** Moves the dataset timeline to `step` of the current episode. */
async function seek(step: number): Promise<void> {
  const source = dataset;
  if (!source) return;
  await viewer.playback.pause();
  await viewer.withSource(() => source.seek(step));
}

async function selectEpisode(index: number): Promise<void> {
  const source = dataset;
  if (!source) return;
  await viewer.withSource(() => source.selectEpisode(index));
  viewer.focusView.resetCamera();
}

async function record(): Promise<void> {
  if (!(controller instanceof TeleopController) || dataset) return;
  if (!getTask(liveChoice.taskId).datagen) {
    showError(`task ${liveChoice.taskId} has no datagen spec (subtasks): generation cannot use its demos, so the viewer does not record them`);
    return;
  }
  recorder.arm();
  await viewer.restartEpisode();
  viewer.playback.play();
}

const toolbar = new Toolbar({
  onWorldsChange: (choice) => void apply(choice),
  onExpert: () => void apply(liveChoice, new ExpertController()),
  onTeleop: () => {
    (document.activeElement as HTMLElement | null)?.blur();
    void apply(liveChoice, makeTeleop());
  },
  // Checked before the running worlds are replaced: a bad file or a policy for another task leaves them running.
  onPolicyFile: (file) =>
    void PolicyController.fromFile(file, getTask(liveChoice.taskId)).then(
      (policy) => apply(liveChoice, policy),
      (error: unknown) => {
        showError(error instanceof Error ? error.message : `${file.name}: ${String(error)}`, error);
        showPanels();
      },
    ),
  onDatasetFiles: (files) => void loadDataset(files),
  onPlayToggle: () => (viewer.playback.playing ? void viewer.playback.pause() : viewer.playback.play()),
  onStep: () => void viewer.playback.stepOnce(),
  onRestart: () => void viewer.restartEpisode(),
  onSpeed: (speed) => (viewer.playback.speed = speed),
  onShowContacts: (show) => (viewer.showContacts = show),
});
toolbar.show(start, startSpeed);
toolbar.setEnabled(false); // the handlers need the viewer, created below

const teleopPanel = new TeleopPanel({
  onRecord: () => void record(),
  onKeep: () => void recorder.keep(),
  onDiscard: () => recorder.discard(),
});
const timeline = new Timeline({
  onSeek: (step) => void seek(step),
  onEpisode: (index) => void selectEpisode(index),
});

const viewer = await Viewer.create(
  { focusCanvas: document.getElementById('focus-canvas') as HTMLCanvasElement, gridCanvas: document.getElementById('grid-canvas') as HTMLCanvasElement },
  {
    onFrame(v) {
      const source = v.source;
      const settings = v.settings;
      inspect.update(source, v.focusedWorld, settings?.preset ?? '', v.focusContacts);
      focusCaption.textContent = dataset ? `dataset episode ${dataset.episodeIndex + 1}` : `world ${v.focusedWorld}`;
      if (dataset) timeline.update(dataset);
      if (!source || !settings) return;
      const f = source.frame;
      const sps = v.stepsPerSecond;
      toolbar.setStatus(
        [
          v.adapterLine,
          dataset ? `${settings.taskId} · ${settings.preset} · seed ${settings.seed}` : `${f.numWorlds} worlds · ${settings.taskId} · ${settings.preset} · seed ${settings.seed}`,
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
  } else if (e.key === 'v') {
    toolbar.showContacts.checked = !toolbar.showContacts.checked;
    viewer.showContacts = toolbar.showContacts.checked;
  } else if (e.key === '[' || e.key === ']') {
    viewer.focus(viewer.focusedWorld + (e.key === ']' ? 1 : -1));
  } else if (controller instanceof TeleopController && !dataset) {
    if (e.code === RECORDER_KEYS.record) void record();
    else if (e.code === RECORDER_KEYS.keep) recorder.keep();
    else if (e.code === RECORDER_KEYS.discard) {
      e.preventDefault();
      recorder.discard();
    }
  } else if (dataset && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
    e.preventDefault();
    const delta = (e.key === 'ArrowRight' ? 1 : -1) * (e.shiftKey ? 10 : 1);
    void seek(dataset.position().step + delta);
  } else if (dataset && (e.key === 'PageUp' || e.key === 'PageDown')) {
    e.preventDefault();
    void selectEpisode(dataset.episodeIndex + (e.key === 'PageDown' ? 1 : -1));
  }
});

// Drag and drop a dataset folder (or its manifest and shards) anywhere on the page.
let dragDepth = 0;
window.addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth++;
  dropHint.hidden = false;
});
window.addEventListener('dragover', (e) => e.preventDefault());
window.addEventListener('dragleave', () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) dropHint.hidden = true;
});
window.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  dropHint.hidden = true;
  if (!e.dataTransfer) return;
  void droppedFiles(e.dataTransfer).then(loadDataset, (error: unknown) => showError('could not read the dropped files', error));
});

try {
  await viewer.configure({ ...(controller instanceof TeleopController ? { ...start, numWorlds: 1 } : start), controller });
} catch (error) {
  showError(`could not start the worlds: ${error instanceof Error ? error.message : String(error)}`, error);
}
toolbar.setEnabled(true);
showPanels();
await viewer.whenDrawn();
installViewerHook(viewer, () => ({ taskId: viewer.settings?.taskId ?? '', preset: viewer.settings?.preset ?? '', seed: viewer.settings?.seed ?? 0 }), {
  recorder,
  exportDemos: () => teleopPanel.exportBytes(),
  dataset: () => dataset,
  seek,
});
if (autoplay) viewer.playback.play();
