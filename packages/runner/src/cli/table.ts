/** Horizontal alignment of a table column. */
export type Align = 'left' | 'right';

/** Options of `formatTable`. */
export interface TableOptions {
  /** Column titles, underlined with dashes; no header row when absent. */
  header?: readonly string[];
  /** Alignment per column; default: first column left, the others right. */
  align?: readonly Align[];
  /** Spaces between columns (default 2). */
  gap?: number;
}

/**
 * Formats rows of cells as an aligned plain-text table (no trailing newline). Numbers are
 * printed with `String()`: format them first for fixed decimals.
 */
export function formatTable(rows: readonly (readonly (string | number)[])[], options: TableOptions = {}): string {
  const gap = ' '.repeat(options.gap ?? 2);
  const body = rows.map((row) => row.map(String));
  const all = options.header ? [[...options.header], ...body] : body;
  const numCols = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: numCols }, (_, c) => Math.max(0, ...all.map((r) => (r[c] ?? '').length)));
  const alignOf = (c: number): Align => options.align?.[c] ?? (c === 0 ? 'left' : 'right');
  const line = (cells: readonly string[]) =>
    widths
      .map((w, c) => {
        const cell = cells[c] ?? '';
        return alignOf(c) === 'left' ? cell.padEnd(w) : cell.padStart(w);
      })
      .join(gap)
      .trimEnd();
  const lines = body.map(line);
  if (options.header) lines.unshift(line(options.header), widths.map((w) => '-'.repeat(w)).join(gap));
  return lines.join('\n');
}

/** Formats `[label, value]` pairs as two left-aligned columns. */
export function formatKeyValue(pairs: readonly (readonly [string, string | number])[]): string {
  return formatTable(pairs, { align: ['left', 'left'], gap: 3 });
}

/** Formats a number with thousands separators and `digits` decimals: `12,345.6`. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
