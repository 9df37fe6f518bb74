import type { GenerationProgress } from '@gripgen/trajgen';

/**
 * Remaining seconds of a generation run, modelled from its batch rather than from the rate of
 * kept trajectories: with many worlds the attempts of a round all end at about the same step, so
 * for most of the first round nothing has finished (the rate is 0, then jumps), yet the step rate
 * is known from the first steps.
 *
 * Model: an attempt takes L control steps — until a round's worth of attempts has finished, the
 * longest source demo's length (generated attempts add bridges to the source segments: with 1024
 * pick-place worlds and 10 demos of 61–86 steps, the 200th success came at step 97), and at least
 * 10 % more than the steps made so far; after it, the observed world-steps per attempt
 * (steps × worlds / attempts);
 * the run needs the remaining attempts (with `guarantee`, the missing successes divided by the
 * success rate observed over at least 10 attempts, else by 1), spread over the worlds; so it ends
 * after about L × (attempts made + attempts needed) / worlds steps, and no earlier than L steps
 * (the first round). The seconds per step are measured from the first step reported on (the
 * first steps carry the start-up: worker threads, compilation). Returns a function of each
 * progress report, undefined before the second step; a report from a new run (fewer steps than
 * the last one) starts the measurement again.
 */
export function generationEta(worlds: number, longestDemoSteps: number): (p: GenerationProgress) => number | undefined {
  let first: { steps: number; wallSeconds: number } | null = null;
  let lastSteps = 0;
  return (p) => {
    // A new run (its steps start again): measure afresh.
    if (p.steps < lastSteps) first = null;
    lastSteps = p.steps;
    if (p.steps <= 0 || worlds <= 0) return undefined;
    first ??= { steps: p.steps, wallSeconds: p.wallSeconds };
    if (p.steps <= first.steps) return undefined;
    return remainingSeconds(p, worlds, longestDemoSteps, (p.wallSeconds - first.wallSeconds) / (p.steps - first.steps));
  };
}

function remainingSeconds(p: GenerationProgress, worlds: number, longestDemoSteps: number, secondsPerStep: number): number {
  const attemptSteps = p.attempts >= worlds ? (p.steps * worlds) / p.attempts : Math.max(longestDemoSteps, 1.1 * p.steps, 1);
  const successRate = p.attempts >= 10 ? Math.max(p.successes, 1) / p.attempts : 1;
  const needed = p.guarantee ? Math.max(0, p.target - p.kept) / successRate : Math.max(0, p.target - p.attempts);
  if (needed === 0) return 0;
  const totalSteps = Math.max(attemptSteps, (attemptSteps * (p.attempts + needed)) / worlds);
  // Past the modelled end (attempts longer than modelled): at least one more step.
  return Math.max(totalSteps - p.steps, 1) * secondsPerStep;
}
