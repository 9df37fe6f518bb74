/** A progress report on a stream (stderr by default). */
export interface Progress {
  /** Reports `done` of `total` units finished, with an optional detail (e.g. rates) after the counts. */
  update(done: number, detail?: string): void;
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

/**
 * A progress bar: on a terminal it redraws one line with `\r` (at most every 100 ms);
 * otherwise (a pipe or a file) it prints one line per 10 % reached.
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const { total } = options;
  const label = options.label ? `${options.label} ` : '';
  const width = options.width ?? 30;
  const start = performance.now();
  let lastDraw = -Infinity;
  let lastDecile = 0;
  let drawn = false;

  const describe = (done: number, detail?: string) => {
    const elapsed = (performance.now() - start) / 1000;
    const eta = done > 0 && done < total ? `, eta ${((elapsed * (total - done)) / done).toFixed(1)} s` : '';
    return `${done}/${total} (${elapsed.toFixed(1)} s${eta})${detail ? ` ${detail}` : ''}`;
  };

  return {
    update(done, detail) {
      if (stream.isTTY) {
        const now = performance.now();
        if (done < total && now - lastDraw < 100) return;
        lastDraw = now;
        const fraction = total > 0 ? Math.min(1, done / total) : 1;
        const filled = Math.round(fraction * width);
        const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
        stream.write(`\r${label}[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}% ${describe(done, detail)}\x1b[K`);
        drawn = true;
      } else {
        const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
        if (decile <= lastDecile) return;
        lastDecile = decile;
        stream.write(`${label}${decile * 10}% ${describe(done, detail)}\n`);
      }
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
