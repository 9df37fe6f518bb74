import { createSim, type Sim } from '../sim/sim.js';
import type { SimConfigInput } from '../config/sim-config.js';

/** The backends a scenario can run on (any the Sim accepts). */
export type ScenarioBackend = NonNullable<SimConfigInput['backend']>;

/** One world's outcome: what was measured, what mechanics predicts, and the verdict. */
export interface WorldOutcome {
  world: number;
  /** Measured quantities, by name (SI units; angles in degrees). */
  measured: Record<string, number>;
  /** Predicted quantities or bounds, by name, from the scenario's formulas. */
  expected: Record<string, number>;
  pass: boolean;
  /** Which check failed, when one did. */
  failure?: string;
}

/** A scenario's run on one backend. */
export interface ScenarioReport {
  id: string;
  backend: string;
  /** The formulas and tolerances the worlds were checked against. */
  expectation: string;
  worlds: WorldOutcome[];
  /** Fraction of worlds that passed. */
  passRate: number;
  /** Fraction of worlds that must pass for the scenario to pass. */
  requiredPassRate: number;
  pass: boolean;
}

/** Options of a scenario run. */
export interface ScenarioOptions {
  backend: ScenarioBackend;
  /** Randomized instances (worlds) to run. */
  numWorlds: number;
  /** Seed of the instances' randomization. */
  seed?: number;
  /** Worker threads (rapier); 0 runs in the calling thread. */
  threads?: number;
  /** On webgpu: pick-place's own kernel (`task`, default) or the scene solver (`scene`). */
  gpuProgram?: 'task' | 'scene';
}

/**
 * A physical scenario: a small pick-place scene, driven through the Sim API on any backend,
 * whose expected values are formulas from mechanics (not from any engine's output).
 */
export interface Scenario {
  id: string;
  /** One line: the set-up. */
  title: string;
  /** The formulas and tolerances, as printed in reports. */
  expectation: string;
  /** Fraction of worlds that must pass (1 unless the formula's threshold is probabilistic). */
  requiredPassRate: number;
  /** The randomization of the instances (pick-place overrides on a preset). */
  randomization: Record<string, unknown>;
  /** Drives the worlds and judges each. */
  measure(sim: Sim): Promise<WorldOutcome[]>;
}

/** Runs a scenario on one backend and judges it. */
export async function runScenario(scenario: Scenario, options: ScenarioOptions): Promise<ScenarioReport> {
  const sim = await createSim({
    task: 'pick-place',
    backend: options.backend,
    numWorlds: options.numWorlds,
    seed: options.seed ?? 0,
    threads: options.threads ?? 0,
    actionMode: 'absolute',
    maxEpisodeSteps: 100_000,
    randomization: scenario.randomization,
    ...(options.gpuProgram !== undefined && { gpuProgram: options.gpuProgram }),
  });
  try {
    const worlds = await scenario.measure(sim);
    const passRate = worlds.filter((w) => w.pass).length / worlds.length;
    return {
      id: scenario.id,
      backend: sim.spec.backend,
      expectation: scenario.expectation,
      worlds,
      passRate,
      requiredPassRate: scenario.requiredPassRate,
      pass: passRate >= scenario.requiredPassRate,
    };
  } finally {
    await sim.dispose();
  }
}

/**
 * Judges one world: every check is [name, ok]; the outcome fails on the first check that
 * does not hold.
 */
export function judge(
  world: number,
  measured: Record<string, number>,
  expected: Record<string, number>,
  checks: readonly (readonly [string, boolean])[],
): WorldOutcome {
  const failed = checks.find(([, ok]) => !ok);
  return { world, measured, expected, pass: !failed, ...(failed ? { failure: failed[0] } : {}) };
}
