import type { DatasetSource, TimelinePosition } from '../motion/dataset-source.js';
import { escapeHtml } from './format.js';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`viewer page: no element #${id}`);
  return element as T;
}

/** Band colours of subtasks and of source demos (cycled). */
const SUBTASK_COLOURS = ['#2f6fdb', '#c4521b', '#7a3fbf', '#1f9d55'];
const DEMO_COLOURS = ['#475467', '#0e7490', '#a15c07', '#b42318', '#3f6212', '#6941c6', '#c11574', '#175cd3'];

/**
 * The dataset timeline under the focus view: an episode selector, a slider over the episode's
 * steps, a band of subtasks (from `subtaskStarts`) and a band of source demos (runs of
 * `srcDemoLabels`), a marker at the success step, and a label for the current step.
 */
export class Timeline {
  private readonly root = byId<HTMLElement>('timeline');
  readonly range = byId<HTMLInputElement>('timeline-range');
  readonly episodeSelect = byId<HTMLSelectElement>('episode-select');
  private readonly bands = byId<HTMLElement>('timeline-bands');
  private readonly label = byId<HTMLElement>('timeline-label');
  private shownEpisode = -1;

  constructor(handlers: { onSeek(step: number): void; onEpisode(index: number): void }) {
    this.range.addEventListener('input', () => handlers.onSeek(Number(this.range.value)));
    this.episodeSelect.addEventListener('change', () => handlers.onEpisode(Number(this.episodeSelect.value)));
  }

  /** Shows the timeline for `source`, or hides it. */
  show(source: DatasetSource | undefined): void {
    this.root.hidden = !source;
    this.shownEpisode = -1;
    if (!source) return;
    const { dataset } = source;
    const options: string[] = [];
    for (let i = 0; i < dataset.count; i++) options.push(`<option value="${i}">${i + 1}</option>`);
    this.episodeSelect.innerHTML = options.join('');
    this.update(source);
  }

  /** Moves the slider and the label to `source`'s position (rebuilds the bands when the episode changed). */
  update(source: DatasetSource): void {
    const p = source.position();
    if (p.episode !== this.shownEpisode) this.buildBands(source, p);
    this.range.value = String(p.step);
    this.label.textContent =
      `step ${p.step} / ${p.length - 1} · subtask ${p.subtask} · source demo ${p.srcDemo} (${p.srcDemoId}) · ` +
      `attempt ${p.attempt} · ${p.success ? `success at ${p.successStep}` : 'failed'}`;
    this.label.dataset.step = String(p.step);
  }

  private buildBands(source: DatasetSource, p: TimelinePosition): void {
    this.shownEpisode = p.episode;
    this.episodeSelect.value = String(p.episode);
    const e = source.episode;
    const T = e.length;
    this.range.max = String(T - 1);
    const pct = (t: number) => `${((100 * t) / T).toFixed(3)}%`;
    const parts: string[] = [];
    e.subtaskStarts.forEach((start, k) => {
      const end = e.subtaskStarts[k + 1] ?? T;
      const name = source.subtasks[k] ?? String(k);
      parts.push(`<div class="band subtask" data-subtask="${escapeHtml(name)}" title="subtask ${escapeHtml(name)}: steps ${start}–${end - 1}" style="left:${pct(start)};width:${pct(end - start)};background:${SUBTASK_COLOURS[k % SUBTASK_COLOURS.length]}">${escapeHtml(name)}</div>`);
    });
    for (let t = 0; t < T; ) {
      const demo = e.srcDemoLabels[t];
      let end = t + 1;
      while (end < T && e.srcDemoLabels[end] === demo) end++;
      parts.push(`<div class="band demo" data-demo="${demo}" title="steps ${t}–${end - 1} from source demo ${demo}" style="left:${pct(t)};width:${pct(end - t)};background:${DEMO_COLOURS[((demo % DEMO_COLOURS.length) + DEMO_COLOURS.length) % DEMO_COLOURS.length]}">demo ${demo}</div>`);
      t = end;
    }
    if (e.successStep >= 0) parts.push(`<div class="marker" title="success at step ${e.successStep}" style="left:${pct(e.successStep + 1)}"></div>`);
    this.bands.innerHTML = parts.join('');
  }
}
