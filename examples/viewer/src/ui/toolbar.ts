import { PICK_PLACE_PRESETS } from '@gripgen/sim-core';
import { SPEEDS } from '../playback.js';

/** The worlds the toolbar asks for. */
export interface WorldChoice {
  numWorlds: number;
  preset: string;
  seed: number;
}

/** What the toolbar's controls do. */
export interface ToolbarHandlers {
  /** Worlds, preset or seed changed. */
  onWorldsChange(choice: WorldChoice): void;
  /** The scripted expert was chosen. */
  onExpert(): void;
  /** A policy file was picked. */
  onPolicyFile(file: File): void;
  onPlayToggle(): void;
  onStep(): void;
  onRestart(): void;
  onSpeed(speed: number): void;
}

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`viewer page: no element #${id}`);
  return element as T;
}

/** The toolbar: source, preset, world count, seed, play / step / restart, speed, status line. */
export class Toolbar {
  readonly source = byId<HTMLSelectElement>('source');
  readonly policyFile = byId<HTMLInputElement>('policy-file');
  readonly preset = byId<HTMLSelectElement>('preset');
  readonly worlds = byId<HTMLSelectElement>('worlds');
  readonly seed = byId<HTMLInputElement>('seed');
  readonly play = byId<HTMLButtonElement>('play');
  readonly step = byId<HTMLButtonElement>('step');
  readonly restart = byId<HTMLButtonElement>('restart');
  readonly speed = byId<HTMLSelectElement>('speed');
  private readonly status = byId<HTMLElement>('status');
  private policyName: string | undefined;

  constructor(handlers: ToolbarHandlers) {
    for (const name of Object.keys(PICK_PLACE_PRESETS)) this.preset.add(new Option(name, name));
    const worldsChanged = () => handlers.onWorldsChange(this.choice());
    this.preset.addEventListener('change', worldsChanged);
    this.worlds.addEventListener('change', worldsChanged);
    this.seed.addEventListener('change', worldsChanged);
    this.source.addEventListener('change', () => {
      if (this.source.value === 'expert') handlers.onExpert();
      else this.policyFile.click();
    });
    this.policyFile.addEventListener('change', () => {
      const file = this.policyFile.files?.[0];
      this.policyFile.value = '';
      if (file) handlers.onPolicyFile(file);
      else this.showSource(this.policyName);
    });
    this.policyFile.addEventListener('cancel', () => this.showSource(this.policyName));
    this.play.addEventListener('click', () => handlers.onPlayToggle());
    this.step.addEventListener('click', () => handlers.onStep());
    this.restart.addEventListener('click', () => handlers.onRestart());
    this.speed.addEventListener('change', () => handlers.onSpeed(this.speed.value === 'max' ? Infinity : Number(this.speed.value)));
  }

  /** The worlds currently chosen. */
  choice(): WorldChoice {
    return { numWorlds: Number(this.worlds.value), preset: this.preset.value, seed: Math.max(0, Math.floor(Number(this.seed.value) || 0)) };
  }

  /** Shows `choice` in the controls (adds a world count the list lacks). */
  show(choice: WorldChoice, speed: number): void {
    if (![...this.worlds.options].some((o) => Number(o.value) === choice.numWorlds)) this.worlds.add(new Option(String(choice.numWorlds)));
    this.worlds.value = String(choice.numWorlds);
    this.preset.value = choice.preset;
    this.seed.value = String(choice.seed);
    this.speed.value = Number.isFinite(speed) ? String(SPEEDS.find((s) => s === speed) ?? 1) : 'max';
  }

  /** Shows which source drives the worlds: the expert, or a policy file by name. */
  showSource(policyName: string | undefined): void {
    this.policyName = policyName;
    const option = this.source.querySelector<HTMLOptionElement>('option[value="policy"]')!;
    option.textContent = policyName ? `Policy: ${policyName}` : 'Policy file…';
    this.source.value = policyName ? 'policy' : 'expert';
  }

  /** Enables or disables every control (disabled until the viewer is ready). */
  setEnabled(enabled: boolean): void {
    for (const control of [this.source, this.preset, this.worlds, this.seed, this.play, this.step, this.restart, this.speed]) control.disabled = !enabled;
  }

  setPlaying(playing: boolean): void {
    this.play.textContent = playing ? '❚❚ Pause' : '▶ Play';
    this.play.classList.toggle('active', playing);
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }
}
