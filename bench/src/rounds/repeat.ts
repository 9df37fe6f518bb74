/**
 * The benchmarks' rule for a throughput row: its measured work repeats, round after round, until
 * the row has measured at least `minSeconds` in at least `minRounds` rounds; the row's figure is
 * the median of its rounds' rates, its spread their minimum and maximum. No Node APIs and no
 * imports: the WebGPU bench's browser page and the gripper bench's child process (copied into
 * other source trees) use it too.
 */

/** What one round measured: wall seconds and the units of work done in them (world-steps, samples, …). */
export interface RoundSample {
  seconds: number;
  work: number;
}

/** When a row has measured enough. */
export interface RoundPolicy {
  /** Measured seconds, all rounds together, at least. */
  minSeconds: number;
  /** Rounds, at least. */
  minRounds: number;
}

/** Median and spread (minimum and maximum) of the rounds' rates. */
export interface RateSummary {
  median: number;
  min: number;
  max: number;
}

/** A row's rounds: each round's sample with its rate (work per second), and their summary. */
export interface Rounds<S extends RoundSample = RoundSample> extends RateSummary {
  rounds: (S & { rate: number })[];
  /** Measured seconds of all rounds. */
  seconds: number;
  /** Work of all rounds. */
  work: number;
  /** Why the row stopped before it had measured enough: a round threw. */
  error?: string;
}

/** The rounds of `stepRounds`: each round's control steps beside its seconds and work. */
export type StepRounds = Rounds<RoundSample & { steps: number }>;

/** Milliseconds of a monotonic clock. */
export type Clock = () => number;

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median, minimum and maximum of `rates` (NaN when empty). */
export function summarizeRates(rates: readonly number[]): RateSummary {
  return rates.length === 0
    ? { median: NaN, min: NaN, max: NaN }
    : { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) };
}

/** The rounds of `samples` with their rates and summary. */
export function toRounds<S extends RoundSample>(samples: readonly S[], error?: string): Rounds<S> {
  const rounds = samples.map((s) => ({ ...s, rate: s.work / s.seconds }));
  return {
    ...summarizeRates(rounds.map((r) => r.rate)),
    rounds,
    seconds: samples.reduce((a, s) => a + s.seconds, 0),
    work: samples.reduce((a, s) => a + s.work, 0),
    ...(error !== undefined && { error }),
  };
}

/** Whether `samples` satisfy `policy`. */
function enough(samples: readonly RoundSample[], policy: RoundPolicy): boolean {
  return samples.length >= policy.minRounds && samples.reduce((a, s) => a + s.seconds, 0) >= policy.minSeconds;
}

/** The samples of `repeatRounds`, and per case what its failing round threw (absent: none failed). */
async function collect<C, S extends RoundSample>(cases: readonly C[], run: (c: C, round: number) => Promise<S>, policy: RoundPolicy) {
  const samples = cases.map(() => [] as S[]);
  const failures: ({ thrown: unknown } | undefined)[] = cases.map(() => undefined);
  const pending = (i: number) => failures[i] === undefined && !enough(samples[i]!, policy);
  for (let round = 0; cases.some((_, i) => pending(i)); round++) {
    for (let i = 0; i < cases.length; i++) {
      if (!pending(i)) continue;
      try {
        samples[i]!.push(await run(cases[i]!, round));
      } catch (thrown) {
        failures[i] = { thrown };
      }
    }
  }
  return { samples, failures };
}

/**
 * Measures every case in rounds, the cases in turn within a round (so that a machine whose load
 * drifts slows them alike), until each case has measured enough (`policy`); a case that has is
 * left out of later rounds. A round that throws ends its case (its message is kept with the rounds
 * measured before). Returns the cases' rounds, in the order of `cases`.
 */
export async function repeatRounds<C, S extends RoundSample>(
  cases: readonly C[],
  run: (c: C, round: number) => Promise<S>,
  policy: RoundPolicy,
): Promise<Rounds<S>[]> {
  const { samples, failures } = await collect(cases, run, policy);
  return samples.map((s, i) => {
    const f = failures[i];
    return toRounds(s, f === undefined ? undefined : f.thrown instanceof Error ? f.thrown.message : String(f.thrown));
  });
}

/** One case's rounds (`repeatRounds` of a single case); a round that throws ends the row with its error. */
export async function repeatRow<S extends RoundSample>(run: (round: number) => Promise<S>, policy: RoundPolicy): Promise<Rounds<S>> {
  const { samples, failures } = await collect([run], (r, round) => r(round), policy);
  if (failures[0] !== undefined) throw failures[0].thrown;
  return toRounds(samples[0]!);
}

/**
 * Rounds of one running loop (a Sim already warmed up): each round runs `step` until it has lasted
 * `policy.minSeconds / policy.minRounds` and made its share of `minSteps` (at least one step), so
 * `policy.minRounds` rounds make the row. `workPerStep`: units of work per call (e.g. the worlds
 * stepped).
 */
export function stepRounds(
  step: () => Promise<void>,
  workPerStep: number,
  policy: RoundPolicy,
  { minSteps = 1, clock = () => performance.now() }: { minSteps?: number; clock?: Clock } = {},
): Promise<StepRounds> {
  const roundMs = (policy.minSeconds / policy.minRounds) * 1000;
  const roundSteps = Math.max(1, Math.ceil(minSteps / policy.minRounds));
  return repeatRow(async () => {
    const start = clock();
    let steps = 0;
    do {
      await step();
      steps++;
    } while (steps < roundSteps || clock() - start < roundMs);
    return { seconds: (clock() - start) / 1000, work: steps * workPerStep, steps };
  }, policy);
}
