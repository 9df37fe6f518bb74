/**
 * Checks of the option objects `Sim.reset`, `Sim.step` and `Sim.perturb` take, so that a wrong
 * argument (a misspelt key, `reset({ seed })` from Gymnasium habit, a vector of the wrong
 * length) is refused with a message naming the method, the key, the value and what is allowed,
 * instead of being ignored or failing deep inside a backend.
 */
import { shownInput } from '../config/errors.js';
import type { Perturbation, ResetOptions, StepOptions } from './sim.js';

const RESET_KEYS = ['mask', 'episodes', 'worldIds'] as const;
const STEP_KEYS = ['readback'] as const;
const PERTURB_KEYS = ['body', 'linearVelocity', 'angularVelocity'] as const;

/** Throws unless `value` is undefined or an object whose keys are all in `allowed`. */
function checkOptionObject(method: string, what: string, value: unknown, allowed: readonly string[], hint = ''): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${method}: ${what} must be an object with keys ${allowed.join(', ')}; got ${shownInput(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new Error(`${method}: unknown ${what} key ${JSON.stringify(key)}; allowed: ${allowed.join(', ')}${hint}`);
  }
}

/** Throws unless `value` is undefined or array-like (an array or typed array). */
function checkArrayLike(method: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || typeof (value as ArrayLike<unknown>).length !== 'number') {
    throw new Error(`${method}: ${name} must be an array or typed array of numWorlds entries; got ${shownInput(value)}`);
  }
}

/** Validates `reset`'s options (see {@link ResetOptions}). */
export function checkResetOptions(options: unknown): asserts options is ResetOptions | undefined {
  checkOptionObject('reset', 'option', options, RESET_KEYS, ' (the seed is fixed by createSim; a world\'s draw depends on (seed, episode), see `episodes`)');
  if (options === undefined) return;
  for (const key of RESET_KEYS) checkArrayLike('reset', key, (options as Record<string, unknown>)[key]);
}

/** Validates `step`'s options (see {@link StepOptions}). */
export function checkStepOptions(options: unknown): asserts options is StepOptions | undefined {
  checkOptionObject('step', 'option', options, STEP_KEYS);
  const readback = (options as StepOptions | undefined)?.readback;
  if (readback !== undefined && typeof readback !== 'boolean') throw new Error(`step: readback must be true or false; got ${shownInput(readback)}`);
}

/** Validates a {@link Perturbation}: a body name and finite 3-vectors. */
export function checkPerturbation(p: unknown): asserts p is Perturbation {
  if (p === undefined) throw new Error(`perturb: the perturbation must be an object with keys ${PERTURB_KEYS.join(', ')}; got nothing`);
  checkOptionObject('perturb', 'perturbation', p, PERTURB_KEYS);
  const { body } = p as Record<string, unknown>;
  if (typeof body !== 'string') throw new Error(`perturb: body must be a body name (a string); got ${shownInput(body)}`);
  for (const key of ['linearVelocity', 'angularVelocity'] as const) {
    const v = (p as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const ok = Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (!ok) throw new Error(`perturb: ${key} must be 3 finite numbers (m/s or rad/s, world frame); got ${shownInput(v)}`);
  }
}
