import type { MainModule } from '@mujoco/mujoco';

/** The MuJoCo WebAssembly module (`@mujoco/mujoco`, single-threaded build). */
export type Mujoco = MainModule;

let ready: Promise<Mujoco> | undefined;

/**
 * Loads MuJoCo's WebAssembly module once per thread and returns it. Imported on demand, so
 * programs that never pick the mujoco backend never load its 10 MB of WebAssembly.
 */
export function loadMujoco(): Promise<Mujoco> {
  ready ??= import('@mujoco/mujoco').then((m) => m.default());
  return ready;
}
