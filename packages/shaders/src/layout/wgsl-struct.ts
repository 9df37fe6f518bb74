import type { FieldLayout, StructLayout } from './struct-layout.js';

function fieldType(f: FieldLayout): string {
  return f.length === undefined ? f.type : `array<${f.type}, ${f.length}>`;
}

/**
 * The WGSL declaration of a layout, e.g.
 *
 * ```wgsl
 * struct BodyState {
 *   pos: vec3f, // offset 0
 *   quat: vec4f, // offset 16
 * } // size 32, align 16
 * ```
 *
 * Fields are declared in order with WGSL's natural layout, which is exactly what
 * {@link defineStruct} computed, so no `@align`/`@size` attributes are needed. Shaders do
 * not paste this text themselves: they name the struct with a `// #struct Name` directive
 * and {@link shaderCode} prepends the declaration.
 */
export function wgslStruct(layout: StructLayout): string {
  const lines = layout.fields.map((f) => `  ${f.name}: ${fieldType(f)}, // offset ${f.offset}`);
  return `struct ${layout.name} {\n${lines.join('\n')}\n} // size ${layout.size}, align ${layout.align}\n`;
}
