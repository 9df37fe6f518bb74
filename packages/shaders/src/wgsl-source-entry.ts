/** One embedded `.wgsl` file, as recorded by the generator. */
export interface WgslSourceEntry {
  /** File name inside `src/wgsl/`. */
  readonly file: string;
  /** Library shaders this one needs, from its `// #requires name …` lines. */
  readonly requires: readonly string[];
  /** Struct layouts this one needs, from its `// #struct Name …` lines. */
  readonly structs: readonly string[];
  /** The file's text, verbatim. */
  readonly source: string;
}
