import type { StructLayout } from './layout/struct-layout.js';
import { wgslStruct } from './layout/wgsl-struct.js';

/** One piece of an assembled shader and the lines it occupies. */
export interface WgslSegment {
  /** Where the text came from: a `.wgsl` file name or `struct Name`. */
  readonly origin: string;
  /** First line of the piece in the assembled code (1-based). */
  readonly startLine: number;
  readonly lineCount: number;
}

/** Complete WGSL ready for `createShaderModule`, with a map back to its pieces. */
export interface AssembledShader {
  /** A label for errors and GPU objects (the shader's name). */
  readonly name: string;
  readonly code: string;
  readonly segments: readonly WgslSegment[];
  /**
   * Maps a line of `code` (1-based, as in `GPUCompilationMessage.lineNum`) to the piece it
   * came from and the line inside that piece, e.g. `{ origin: 'hash-prng.wgsl', line: 12 }`.
   */
  locate(line: number): { origin: string; line: number } | undefined;
}

/** A piece of WGSL text to concatenate, with its origin for error messages. */
export interface WgslPiece {
  readonly origin: string;
  readonly text: string;
}

/**
 * Concatenates struct declarations (from layouts) and WGSL pieces, in that order, into one
 * module. WGSL has no `#include`; this is the whole linking model: declarations are
 * module-scope and order-independent, so concatenation suffices. Duplicate struct names
 * are declared once.
 */
export function composeWgsl(name: string, structs: readonly StructLayout[], pieces: readonly WgslPiece[]): AssembledShader {
  const all: WgslPiece[] = [];
  const seen = new Set<string>();
  for (const s of structs) {
    if (seen.has(s.name)) continue;
    seen.add(s.name);
    all.push({ origin: `struct ${s.name}`, text: wgslStruct(s) });
  }
  all.push(...pieces);
  const segments: WgslSegment[] = [];
  const parts: string[] = [];
  let line = 1;
  for (const p of all) {
    const header = `// ---- ${p.origin} ----`;
    const text = p.text.endsWith('\n') ? p.text : p.text + '\n';
    const lineCount = text.split('\n').length - 1;
    parts.push(header + '\n' + text);
    segments.push({ origin: p.origin, startLine: line + 1, lineCount });
    line += 1 + lineCount;
  }
  return {
    name,
    code: parts.join(''),
    segments,
    locate(n) {
      const s = segments.find((seg) => n >= seg.startLine && n < seg.startLine + seg.lineCount);
      return s && { origin: s.origin, line: n - s.startLine + 1 };
    },
  };
}
