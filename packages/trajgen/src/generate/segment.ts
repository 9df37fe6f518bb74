/**
 * Segmentation of source demos into object-centric subtasks (MimicGen's
 * `get_subtask_indices` and `randomize_subtask_boundaries`).
 */
import type { SourceDemo } from '../demos/source-demo.js';
import type { SubtaskSpec } from '@gripgen/sim-core';

/** [start, end) step ranges of one demo's subtasks, in subtask order. */
export type Segments = [number, number][];

/**
 * Subtask k ends at the first 0→1 edge of its end signal after subtask k−1's end (signals
 * are recorded after each step, so the step that raised the signal is the subtask's last);
 * the last subtask runs to the demo's end. Throws naming the demo and subtask when a
 * signal never rises.
 */
export function segmentDemo(demo: SourceDemo, subtasks: readonly SubtaskSpec[]): Segments {
  const segments: Segments = [];
  let start = 0;
  for (let k = 0; k < subtasks.length; k++) {
    const spec = subtasks[k];
    let end = demo.length;
    if (spec.endSignal !== null && k < subtasks.length - 1) {
      const signal = demo.signals[spec.endSignal];
      if (!signal) throw new Error(`source demo ${demo.id}: no signal "${spec.endSignal}" (subtask "${spec.name}")`);
      end = -1;
      for (let t = start; t < demo.length; t++) {
        const before = t === 0 ? 0 : signal[t - 1];
        if (signal[t] === 1 && before === 0) {
          end = t + 1;
          break;
        }
      }
      if (end < 0) throw new Error(`source demo ${demo.id}: signal "${spec.endSignal}" never rises after step ${start}, so subtask "${spec.name}" has no end`);
    }
    if (end <= start) throw new Error(`source demo ${demo.id}: subtask "${spec.name}" is empty (steps ${start}…${end})`);
    segments.push([start, end]);
    start = end;
  }
  return segments;
}

/**
 * One attempt's boundaries: each non-final subtask's end (and the next one's start) moved
 * later by `offsets[k]` steps, kept inside the demo so that every segment has at least one step.
 */
export function offsetSegments(segments: Segments, offsets: readonly number[]): Segments {
  const out: Segments = segments.map(([s, e]) => [s, e]);
  const T = segments[segments.length - 1][1];
  for (let k = 0; k < out.length - 1; k++) {
    const end = Math.min(out[k][1] + offsets[k], T - 1);
    out[k][1] = end;
    out[k + 1][0] = end;
  }
  for (const [s, e] of out) if (e <= s) throw new Error(`boundary offsets leave an empty subtask segment (${s}…${e})`);
  return out;
}
