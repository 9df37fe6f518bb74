import { sourceDemosToZip } from '@gripgen/trajgen';
import type { DemoRecorder } from '../teleop/demo-recorder.js';
import { GAMEPAD_HELP, TELEOP_BINDINGS } from '../teleop/teleop-bindings.js';
import { escapeHtml } from './format.js';

/** File name of an export of kept demos. */
export const DEMO_EXPORT_NAME = 'gripgen-teleop-demos.zip';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`viewer page: no element #${id}`);
  return element as T;
}

/**
 * The teleoperation panel over the focus view: the key bindings, record / keep / discard, the
 * kept demos (with whether `success` fired) and their export as a zip of source-demo files.
 */
export class TeleopPanel {
  private readonly root = byId<HTMLElement>('teleop-panel');
  private readonly record = byId<HTMLButtonElement>('record');
  private readonly keep = byId<HTMLButtonElement>('keep');
  private readonly discard = byId<HTMLButtonElement>('discard');
  private readonly status = byId<HTMLElement>('record-status');
  private readonly list = byId<HTMLOListElement>('demo-list');
  private readonly exportButton = byId<HTMLButtonElement>('export-demos');
  private recorder: DemoRecorder | undefined;

  constructor(handlers: { onRecord(): void; onKeep(): void; onDiscard(): void }) {
    // Bindings come in opposite pairs (W/S, A/D, …): one row each.
    const rows: [string, string][] = [];
    for (let i = 0; i + 1 < TELEOP_BINDINGS.length; i += 2) {
      const [a, b] = [TELEOP_BINDINGS[i], TELEOP_BINDINGS[i + 1]];
      rows.push([`<kbd>${a.key}</kbd> <kbd>${b.key}</kbd>`, `${escapeHtml(a.does)} / ${escapeHtml(b.does)}`]);
    }
    rows.push(
      ['<kbd>Shift</kbd>', 'with a move key: fine steps (0.3×)'],
      ['<kbd>N</kbd>', 'record: a new episode, recorded from its first step'],
      ['<kbd>K</kbd> <kbd>⌫</kbd>', 'keep / discard the recorded demo'],
      ['gamepad', GAMEPAD_HELP.map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(v)}`).join(' · ')],
    );
    byId('teleop-keys').innerHTML = rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join('');
    this.record.addEventListener('click', () => handlers.onRecord());
    this.keep.addEventListener('click', () => handlers.onKeep());
    this.discard.addEventListener('click', () => handlers.onDiscard());
    this.exportButton.addEventListener('click', () => this.download());
    this.list.addEventListener('click', (e) => {
      const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-remove]');
      if (button && this.recorder) this.recorder.remove(Number(button.dataset.remove));
    });
  }

  /** Shows the panel for `recorder`, or hides it. */
  show(recorder: DemoRecorder | undefined): void {
    this.recorder = recorder;
    this.root.hidden = !recorder;
    this.update();
  }

  /** Redraws the recording state and the kept demos. */
  update(): void {
    const r = this.recorder;
    if (!r) return;
    const state = r.state;
    this.record.classList.toggle('active', state === 'recording' || state === 'armed');
    this.keep.disabled = this.discard.disabled = !(state === 'recording' || state === 'finished');
    const success = r.successStep >= 0 ? ` · success at step ${r.successStep}` : '';
    const key = r.worldKey;
    this.status.textContent =
      state === 'idle' ? 'not recording'
      : state === 'armed' ? 'starting a new episode…'
      : state === 'recording' ? `● recording episode ${key.episode}: ${r.steps} steps${success}`
      : `recorded ${r.steps} steps${success || ' · success never fired'}${r.endedByFault ? ' (the world faulted)' : ''} — keep or discard?`;
    this.status.dataset.state = state;
    this.list.innerHTML = r.kept
      .map(({ demo, success: ok }, i) => `<li data-demo="${escapeHtml(demo.id)}">${demo.length} steps, episode ${demo.world.episode} · <span class="${ok ? 'success' : 'failure'}">${ok ? 'success' : 'no success'}</span><button data-remove="${i}" title="remove">×</button></li>`)
      .join('');
    this.exportButton.disabled = r.kept.length === 0;
    this.exportButton.textContent = `Export ${r.kept.length} demo${r.kept.length === 1 ? '' : 's'} (.zip)`;
  }

  /** The kept demos as the export's bytes (a zip of `demo_000.json`, …). */
  exportBytes(): Uint8Array {
    return sourceDemosToZip((this.recorder?.kept ?? []).map((k) => k.demo));
  }

  private download(): void {
    const bytes = this.exportBytes();
    const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = DEMO_EXPORT_NAME;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
