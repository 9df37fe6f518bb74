import RAPIER from '@dimforge/rapier3d-simd-compat';

/** The Rapier module type (`@dimforge/rapier3d-simd-compat`). */
export type Rapier = typeof RAPIER;

let ready: Promise<Rapier> | undefined;

/** Loads Rapier's WASM once per thread and returns the module. */
export function loadRapier(): Promise<Rapier> {
  ready ??= RAPIER.init().then(() => RAPIER);
  return ready;
}
