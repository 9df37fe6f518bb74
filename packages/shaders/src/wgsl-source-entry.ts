/** One embedded `.wgsl` file, as recorded by the generator. */
export interface WgslSourceEntry {
  /** File name inside `src/wgsl/`. */
  readonly file: string;
  /** Library shaders this one needs, from its `// #requires name …` lines. */
  readonly requires: readonly string[];
  /** Struct layouts this one needs, from its `// #struct Name …` lines. */
  readonly structs: readonly string[];
  /**
   * From a `// #fragment` line: the file uses declarations it does not make (module-scope
   * variables or constants of the kernels that require it, or pieces appended by the host),
   * so it compiles only as part of those kernels, not on its own.
   */
  readonly fragment: boolean;
  /** The file's text, verbatim. */
  readonly source: string;
}
