/**
 * A task's scripted expert in WGSL, for loops that keep the expert on the GPU beside the webgpu
 * step kernel (the runner's `GpuExpertLoop`). The kernel `expert_act` writes every world's
 * action from its output row and parameters, as the task's `ScriptedExpert` does on the host.
 */
import { defineStruct, type StructLayout } from '@gripgen/shaders';

/** Constants of `expert_act`: the style key, and where things sit in the Sim's rows (4-byte words). */
export const ExpertConfig = defineStruct('ExpertConfig', [
  ['numWorlds', 'u32'],
  ['seed', 'u32'],
  /** 0, from a buffer (see hash-prng's `noContract`). */
  ['opaqueZero', 'u32'],
  ['numParams', 'u32'],
  ['outputStride', 'u32'],
  ['obsOffset', 'u32'],
  ['episodeOffset', 'u32'],
  ['stepCountOffset', 'u32'],
]);

/**
 * The WGSL of a task's expert. Bindings of `expert_act`: 0 {@link ExpertConfig} (uniform), 1 the
 * Sim's output rows (u32), 2 the Sim's parameters (f32, `numParams` per world), 3 one state of
 * `stateBytes` per world (read-write, zero at first), 4 the Sim's actions (f32, 7 per world).
 * The module is assembled with `INVOCATION_WGSL`, `quat.wgsl` and `hash-prng.wgsl`.
 */
export interface GpuExpertProgram {
  /** The kernel's text, the TS constants it uses written in. */
  wgsl(): string;
  /** The structs it declares: {@link ExpertConfig} and its per-world state. */
  readonly structs: readonly StructLayout[];
  /** Bytes of one world's state. */
  readonly stateBytes: number;
}
