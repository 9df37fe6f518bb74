/** A progress report on a stream (stderr by default). */
export interface Progress {
  /**
   * Reports `done` of `total` units finished, with an optional detail (e.g. rates) after the
   * counts. `etaSeconds`, where the caller can model the remaining time better than the rate of
   * `done` (e.g. many worlds whose attempts all end together), replaces the computed ETA.
   */
  update(done: number, detail?: string, etaSeconds?: number): void;
  /** Ends the report (clears the bar's line on a terminal). */
  finish(): void;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  total: number;
  /** Shown before the bar, e.g. `expert`. */
  label?: string;
  /** Default: `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Width of the bar in characters (default 30). */
  width?: number;
}

/** Off a terminal: the first line comes this long after the start, then at least this often. */
const FIRST_LINE_MS = 2000;
const HEARTBEAT_MS = 15000;

/**
 * A progress bar: on a terminal it redraws one line with `\r` (at most every 100 ms);
 * otherwise (a pipe or a file) it prints one line per 10 % reached, and also a line 2 s after the
 * start and every 15 s without one, so a slow start still shows the elapsed time and ETA.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const { total } = options;
  const label = options.label ? `${options.label} ` : '';
  const width = options.width ?? 30;
  const start = performance.now();
  let lastDraw = -Infinity;
  let lastDecile = 0;
  let lastLine = start - HEARTBEAT_MS + FIRST_LINE_MS;
  let drawn = false;

  const describe = (done: number, detail?: string, etaSeconds?: number) => {
    const elapsed = (performance.now() - start) / 1000;
    const estimate = etaSeconds ?? (done > 0 ? (elapsed * (total - done)) / done : undefined);
    const eta = done < total && estimate !== undefined && Number.isFinite(estimate) ? `, eta ${estimate.toFixed(1)} s` : '';
    return `${done}/${total} (${elapsed.toFixed(1)} s${eta})${detail ? ` ${detail}` : ''}`;
  };

  return {
    update(done, detail, etaSeconds) {
      if (stream.isTTY) {
        const now = performance.now();
        if (done < total && now - lastDraw < 100) return;
        lastDraw = now;
        const fraction = total > 0 ? Math.min(1, done / total) : 1;
        const filled = Math.round(fraction * width);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
        stream.write(`\r${label}[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${describe(done, detail, etaSeconds)}\x1b[K`);
        drawn = true;
      } else {
        const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
        const now = performance.now();
        if (decile <= lastDecile && now - lastLine < HEARTBEAT_MS) return;
        lastDecile = Math.max(decile, lastDecile);
        lastLine = now;
        const percent = total > 0 ? Math.floor((100 * done) / total) : 100;
        stream.write(`${label}${percent}% ${describe(done, detail, etaSeconds)}\n`);
      }
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
