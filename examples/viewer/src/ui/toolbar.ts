import { getTask, taskIds } from '@gripgen/sim-core';
import { inputFiles, type DroppedFile } from '../dataset/dataset-files.js';
import { SPEEDS } from '../playback.js';

/** The worlds the toolbar asks for. */
export interface WorldChoice {
  /** Registered task id. */
  taskId: string;
  numWorlds: number;
  preset: string;
  seed: number;
}

/** What the toolbar's controls do. */
export interface ToolbarHandlers {
  /** Task, worlds, preset or seed changed. */
  onWorldsChange(choice: WorldChoice): void;
  /** The scripted expert was chosen. */
  onExpert(): void;
  /** A policy file was picked. */
  onPolicyFile(file: File): void;
  /** Teleoperation was chosen. */
  onTeleop(): void;
  /** Dataset files (or a dataset folder) were picked. */
  onDatasetFiles(files: DroppedFile[]): void;
  onPlayToggle(): void;
  onStep(): void;
  onRestart(): void;
  onSpeed(speed: number): void;
  /** The contacts checkbox changed. */
  onShowContacts(show: boolean): void;
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`viewer page: no element #${id}`);
  return element as T;
}

/** What the source control shows. */
export type ShownSource = { kind: 'expert' | 'teleop' } | { kind: 'policy' | 'dataset'; name: string };

/** The toolbar: source, task, preset, world count, seed, play / step / restart, speed, contacts, status line. */
export class Toolbar {
  readonly source = byId<HTMLSelectElement>('source');
  readonly policyFile = byId<HTMLInputElement>('policy-file');
  readonly task = byId<HTMLSelectElement>('task');
  readonly preset = byId<HTMLSelectElement>('preset');
  readonly worlds = byId<HTMLSelectElement>('worlds');
  readonly seed = byId<HTMLInputElement>('seed');
  readonly play = byId<HTMLButtonElement>('play');
  readonly step = byId<HTMLButtonElement>('step');
  readonly restart = byId<HTMLButtonElement>('restart');
  readonly speed = byId<HTMLSelectElement>('speed');
  readonly showContacts = byId<HTMLInputElement>('show-contacts');
  private readonly status = byId<HTMLElement>('status');
  readonly datasetFiles = byId<HTMLInputElement>('dataset-files');
  readonly datasetFolder = byId<HTMLInputElement>('dataset-folder');
  private shown: ShownSource = { kind: 'expert' };

  constructor(handlers: ToolbarHandlers) {
    for (const id of taskIds()) this.task.add(new Option(id, id));
    this.task.addEventListener('change', () => {
      this.showTask(this.task.value, this.preset.value);
      handlers.onWorldsChange(this.choice());
    });
    const worldsChanged = () => handlers.onWorldsChange(this.choice());
    this.preset.addEventListener('change', worldsChanged);
    this.worlds.addEventListener('change', worldsChanged);
    this.seed.addEventListener('change', worldsChanged);
    this.source.addEventListener('change', () => {
      const value = this.source.value;
      if (value === 'expert') handlers.onExpert();
      else if (value === 'teleop') handlers.onTeleop();
      else if (value === 'policy') this.policyFile.click();
      else if (value === 'dataset') this.datasetFiles.click();
      else this.datasetFolder.click();
    });
    this.policyFile.addEventListener('change', () => {
      const file = this.policyFile.files?.[0];
      this.policyFile.value = '';
      if (file) handlers.onPolicyFile(file);
      else this.showSource(this.shown);
    });
    for (const input of [this.datasetFiles, this.datasetFolder]) {
      input.addEventListener('change', () => {
        const files = inputFiles(input);
        input.value = '';
        if (files.length > 0) handlers.onDatasetFiles(files);
        else this.showSource(this.shown);
      });
      input.addEventListener('cancel', () => this.showSource(this.shown));
    }
    this.policyFile.addEventListener('cancel', () => this.showSource(this.shown));
    this.play.addEventListener('click', () => handlers.onPlayToggle());
    this.step.addEventListener('click', () => handlers.onStep());
    this.restart.addEventListener('click', () => handlers.onRestart());
    this.speed.addEventListener('change', () => handlers.onSpeed(this.speed.value === 'max' ? Infinity : Number(this.speed.value)));
    this.showContacts.addEventListener('change', () => handlers.onShowContacts(this.showContacts.checked));
  }

  /** The worlds currently chosen. */
  choice(): WorldChoice {
    return {
      taskId: this.task.value,
      numWorlds: Number(this.worlds.value),
      preset: this.preset.value,
      seed: Math.max(0, Math.floor(Number(this.seed.value) || 0)),
    };
  }

  /** Shows `choice` in the controls (adds a world count the list lacks), and `speed` when given. */
  show(choice: WorldChoice, speed?: number): void {
    if (![...this.worlds.options].some((o) => Number(o.value) === choice.numWorlds)) this.worlds.add(new Option(String(choice.numWorlds)));
    this.worlds.value = String(choice.numWorlds);
    this.showTask(choice.taskId, choice.preset);
    this.seed.value = String(choice.seed);
    if (speed !== undefined) this.speed.value = Number.isFinite(speed) ? String(SPEEDS.find((s) => s === speed) ?? 1) : 'max';
  }

  /**
   * Shows task `taskId`: its presets (keeping `preset` where the task has it, else its default
   * preset) and whether it has a scripted expert (the expert source is disabled, with a note,
   * for a task without one).
   */
  private showTask(taskId: string, preset: string): void {
    const task = getTask(taskId);
    if (![...this.task.options].some((o) => o.value === taskId)) this.task.add(new Option(taskId, taskId));
    this.task.value = taskId;
    const presets = Object.keys(task.presets);
    if ([...this.preset.options].map((o) => o.value).join() !== presets.join()) {
      this.preset.replaceChildren(...presets.map((name) => new Option(name, name)));
    }
    this.preset.value = Object.hasOwn(task.presets, preset) || preset === 'custom' ? preset : task.defaultPreset;
    const expert = this.source.querySelector<HTMLOptionElement>('option[value="expert"]')!;
    expert.disabled = !task.expert;
    expert.textContent = task.expert ? 'Scripted expert' : 'Scripted expert (none for this task)';
  }

  /** Shows what drives the worlds: the expert, a policy file or a dataset by name, teleoperation. */
  showSource(shown: ShownSource): void {
    this.shown = shown;
    const policy = this.source.querySelector<HTMLOptionElement>('option[value="policy"]')!;
    policy.textContent = shown.kind === 'policy' ? `Policy: ${shown.name}` : 'Policy file…';
    const dataset = this.source.querySelector<HTMLOptionElement>('option[value="dataset"]')!;
    dataset.textContent = shown.kind === 'dataset' ? `Dataset: ${shown.name}` : 'Dataset files…';
    this.source.value = shown.kind;
    // Teleoperation drives one world, a dataset is its own world: the world controls do not apply.
    this.worlds.disabled = shown.kind === 'teleop' || shown.kind === 'dataset';
    this.task.disabled = this.preset.disabled = this.seed.disabled = shown.kind === 'dataset';
  }

  /** Enables or disables every control (disabled until the viewer is ready). */
  setEnabled(enabled: boolean): void {
    for (const control of [this.source, this.task, this.preset, this.worlds, this.seed, this.play, this.step, this.restart, this.speed]) control.disabled = !enabled;
    if (enabled) this.showSource(this.shown);
  }

  setPlaying(playing: boolean): void {
    this.play.textContent = playing ? '❚❚ Pause' : '▶ Play';
    this.play.classList.toggle('active', playing);
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }
}
