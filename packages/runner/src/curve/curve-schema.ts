/**
 * The schema of `curve.json` (a {@link CurveReport} as JSON), every field described: the one
 * place that documents the file. `packages/runner/schema/curve-report.schema.json` is this schema
 * as JSON Schema (draft 2020-12), written by `npm run schema:curve`; a test checks that the file
 * is up to date, that every committed `bench/curves/<dir>/curve.json` is valid, and that what a
 * sweep writes is.
 *
 * It mirrors `curve-types.ts` as JSON sees it: a number that is `NaN` in memory (a time or loss
 * a re-analysed run did not record) is `null` in the file.
 */
import { z } from 'zod';
import { CURVE_SCHEMA_VERSION, type CurveReport } from './curve-types.js';

const rate = z.number().describe('success rate, a fraction in [0, 1] (reports show percentages)');

const interval = z
  .object({ lo: z.number().describe('lower end'), hi: z.number().describe('upper end') })
  .strict()
  .describe('a two-sided interval [lo, hi]');

const formName = z.enum(['log-linear', 'power-law', 'logistic']).describe('a competing form: log-linear, power law in the failure rate, logistic');

const unfitted = z
  .array(z.object({ form: formName, reason: z.string().describe('why it could not be fitted') }).strict())
  .describe('forms that could not be fitted, and why');

const criterionName = z.enum(['AICc', 'QAICc']).describe('AICc from the binomial likelihood; QAICc when seeds scatter more than binomially');

const point = z
  .object({
    n: z.number().int().min(1).describe('the swept quantity (see variable): training trajectories N, or distinct scenes D'),
    seed: z.number().int().min(0).describe('training seed'),
    successes: z.number().int().min(0).describe('successful evaluation episodes'),
    trials: z.number().int().min(0).describe('evaluation episodes on held-out worlds'),
    successRate: rate.describe('successes / trials'),
    wilson: interval.describe('Wilson 95 % score interval of successRate'),
    trainSeconds: z.number().nullable().describe('wall-clock training time (s); null when not recorded'),
    evalSeconds: z.number().nullable().describe('wall-clock evaluation time (s); null when not recorded'),
    finalLoss: z.number().nullable().describe('mean training loss of the last 50 optimizer steps; null when not recorded'),
  })
  .strict()
  .describe('one trained-and-evaluated policy');

const logLinearFit = z
  .object({
    a: z.number().describe('intercept: predicted success rate at N = 1'),
    b: z.number().describe('slope: success-rate gain per tenfold N'),
    r2: z.number().describe('coefficient of determination (1 when all rates are equal)'),
    n: z.number().int().describe('number of points fitted'),
  })
  .strict()
  .describe('ordinary least squares successRate = a + b·log10 N over the points, every seed counted once');

const uncertainty = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.literal('bootstrap').describe('5 or more seeds: a bootstrap percentile interval'),
        level: z.number().describe('confidence level, e.g. 0.95'),
        interval,
        seeds: z.number().int().describe('training seeds in the data'),
        resamples: z.number().int().describe('resamples drawn (seeds, then each point\'s evaluation episodes)'),
        usableResamples: z.number().int().describe('resamples on which the statistic could be computed'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('seed-range').describe('2 to 4 seeds: the range over single-seed fits, NOT a confidence interval'),
        range: interval.describe('[min, max] over the single-seed values'),
        seeds: z.number().int().describe('training seeds in the data'),
        usableSeeds: z.number().int().describe('seeds whose value could be computed'),
      })
      .strict(),
    z
      .object({
        kind: z.literal('none').describe('1 seed, or the statistic could not be computed often enough'),
        reason: z.string().describe('why there is no interval'),
        seeds: z.number().int().describe('training seeds in the data'),
      })
      .strict(),
  ])
  .describe('uncertainty of a statistic, by the number of training seeds behind it');

const saturation = z
  .object({
    saturatedFrom: z.number().nullable().describe('smallest N from which the least-squares slope of the tail is below minGainPerDecade; null while the curve still rises'),
    fitRange: z.tuple([z.number(), z.number()]).describe('[min N, saturatedFrom or max N]: the non-saturated part'),
    fit: logLinearFit.nullable().describe('least squares over fitRange; null when it holds a single N'),
    minGainPerDecade: z.number().describe('the threshold, success-rate gain per tenfold N (default 0.02)'),
  })
  .strict()
  .describe('where the curve stops improving');

const leaveOneNOut = z
  .object({
    rmse: z.number().describe('root-mean-square of measured − predicted over the N (success-rate units)'),
    folds: z
      .array(z.object({ n: z.number(), predicted: rate, measured: rate }).strict())
      .describe('one per N, increasing: its pooled rate predicted by the form fitted to the other N'),
  })
  .strict()
  .describe('leave-one-N-out prediction error');

const formFit = z
  .object({
    form: formName,
    formula: z.string().describe('the formula in its parameters, e.g. "1 − s = c·N^(−α)" (D instead of N for a coverage law)'),
    parameters: z
      .record(z.string(), z.number())
      .describe('values by name: log-linear a, b; power-law c, alpha; logistic L (ceiling), k (steepness per decade), x0 (midpoint, log10 N)'),
    parameterCount: z.number().int().describe('number of fitted parameters k'),
    logLikelihood: z.number().describe('maximised binomial log-likelihood, binomial coefficients included'),
    aic: z.number().describe('−2 ln L + 2k'),
    aicc: z.number().nullable().describe('AIC + 2k(k+1)/(n−k−1), n = points; null when n ≤ k + 1'),
    criterion: z.number().nullable().describe('the comparison\'s criterion (AICc or QAICc); null when undefined'),
    deltaCriterion: z.number().nullable().describe('criterion − the lowest criterion of the forms compared; null when undefined'),
    residuals: z.array(z.number()).describe('successRate − fitted rate at each point, in the order of points'),
    pearsonResiduals: z.array(z.number()).describe('(successes − trials·p) / √(trials·p·(1−p)) at each point, same order'),
    leaveOneNOut: leaveOneNOut.nullable().describe('null when a fold has too few distinct N'),
  })
  .strict()
  .describe('binomial maximum-likelihood fit of one form to all (N, seed) points; fitted rates are clamped to [0, 1]');

const formComparison = z
  .object({
    criterion: criterionName,
    dispersion: z
      .object({ chat: z.number().describe('Pearson χ² of the seeds around their pooled rate at each N, over df'), df: z.number().int().describe('Σ (seeds at N − 1)') })
      .strict()
      .nullable()
      .describe('seed overdispersion ĉ, measured without any form; null with one seed per N'),
    points: z.number().int().describe('number of (N, seed) points with trials: the n of AICc'),
    fits: z.array(formFit).describe('the fitted forms, in the order log-linear, power-law, logistic'),
    unfitted,
    best: formName.nullable().describe('the form whose criterion is at least 2 below every other\'s; null when none is'),
    close: z.array(formName).describe('forms within 2 of the lowest criterion, the lowest first'),
    bestByLeaveOneNOut: formName.nullable().describe('form with the lowest leave-one-N-out RMSE'),
  })
  .strict()
  .describe('which competing form fits best, and how clearly');

const formUncertainty = z
  .object({
    form: formName,
    parameters: z.record(z.string(), uncertainty).describe('uncertainty of each parameter, by name'),
  })
  .strict();

const extrapolation = z
  .object({
    fittedMaxN: z.number().describe('largest N of the fitting points (N ≤ targetN / 10)'),
    targetN: z.number().describe('the held-out N: the largest of the series'),
    fittedPoints: z.number().int().describe('(N, seed) points fitted'),
    criterion: criterionName,
    selected: formName.nullable().describe('the form the criterion picks clearly on the fitting points alone; null when none'),
    predictions: z
      .array(
        z
          .object({
            form: formName,
            predicted: rate.describe('predicted success rate at targetN, clamped to [0, 1]'),
            uncertainty: uncertainty.describe('of the prediction: bootstrap over the fitting points'),
            error: z.number().describe('measured − predicted (success-rate units)'),
            criterion: z.number().nullable().describe('the form\'s criterion on the fitting points'),
          })
          .strict(),
      )
      .describe('one per form that could be fitted'),
    unfitted,
    measured: z
      .object({
        successes: z.number().int(),
        trials: z.number().int(),
        successRate: rate,
        wilson: interval.describe('Wilson 95 % interval of the pooled rate (binomial only)'),
        seeds: z.number().int(),
      })
      .strict()
      .describe('the measurement at targetN, all seeds pooled'),
  })
  .strict()
  .describe('every form fitted on the points with N ≤ N_max / 10 only, its prediction at N_max set against the measurement');

const seriesResult = z
  .object({
    name: z.string().describe('series name (the training randomization)'),
    points: z.array(point).describe('every (N, seed) point, by N then seed'),
    fit: logLinearFit.nullable().describe('least squares over all points; null with fewer than 2 distinct N'),
    slope: uncertainty.nullable().describe('uncertainty of fit.b; null without a fit'),
    saturation: saturation.nullable().describe('null without points'),
    forms: formComparison.nullable().describe('competing binomial fits; null with fewer than 2 distinct N'),
    formUncertainty: z.array(formUncertainty).describe('uncertainty of each fitted form\'s parameters, in the order of forms.fits'),
    extrapolation: extrapolation.nullable().describe('null when fewer than 2 distinct N lie at or below a tenth of the largest'),
  })
  .strict()
  .describe('one curve and its statistics');

const machine = z
  .object({
    cpuModel: z.string().describe('CPU model as the OS reports it'),
    cores: z.number().int().describe('logical cores available to the process'),
    memoryGiB: z.number().describe('total memory (GiB)'),
    node: z.string().describe('Node.js version'),
    platform: z.string().describe('process.platform'),
    arch: z.string().describe('process.arch'),
  })
  .partial()
  .strict()
  .describe('the machine the run ran on (a re-analysed report keeps what its run recorded)');

const adapter = z
  .object({
    vendor: z.string(),
    architecture: z.string(),
    device: z.string(),
    description: z.string(),
    isSoftware: z.boolean().describe('a CPU implementation (SwiftShader, llvmpipe, WARP)'),
  })
  .strict()
  .nullable()
  .describe('the WebGPU adapter used; null when nothing ran on a GPU');

/** zod schema of `curve.json` (see the module comment). */
export const curveReportSchema = z
  .object({
    schemaVersion: z.literal(CURVE_SCHEMA_VERSION).describe('layout version; a file without it is version 1 (gripgen curve --reanalyze upgrades it)'),
    variable: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('trajectories').describe('points[].n is the number of training trajectories N (gripgen curve)') }).strict(),
        z
          .object({
            kind: z.literal('scenes').describe('points[].n is the number of distinct scenes D the training trajectories were generated in (gripgen coverage --diversity)'),
            trajectories: z.number().int().min(1).describe('training trajectories N of every point'),
          })
          .strict(),
      ])
      .describe('what the points vary'),
    title: z.string().describe('report title'),
    createdAt: z.string().describe('when the run finished, ISO 8601'),
    reanalyzedAt: z.string().optional().describe('when the statistics were last recomputed from the stored points (--reanalyze), ISO 8601'),
    config: z.unknown().describe('the sweep configuration (packages/runner/src/sweep/sweep-config.ts), with the trainer used and the datasets'),
    series: z.array(seriesResult).describe('the curves with their statistics'),
    timings: z.record(z.string(), z.number()).describe('wall-clock seconds: total, data, train, evaluate (cached points excluded)'),
    adapter,
    machine,
  })
  .strict()
  .describe('curve.json: policy success against the number of training trajectories N (gripgen curve) or distinct scenes D (gripgen coverage --diversity)');

/** `curve.json` as JSON Schema (draft 2020-12), as written to `schema/curve-report.schema.json`. */
export function curveReportJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(curveReportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
}

/** {@link curveReportJsonSchema} as the text of `schema/curve-report.schema.json` (2-space indent, trailing newline). */
export function curveReportJsonSchemaText(): string {
  return `${JSON.stringify(curveReportJsonSchema(), null, 2)}\n`;
}

/** Compile-time check that every {@link CurveReport} fits the schema's shape (strictness is checked at run time by the tests). */
export type CurveReportFitsSchema = CurveReport extends z.input<typeof curveReportSchema> ? true : never;
const reportFitsSchema: CurveReportFitsSchema = true;
void reportFitsSchema;

/**
 * Checks a parsed `curve.json` against the schema; throws naming every bad field. Returns it
 * typed as a report.
 */
export function checkCurveReport(value: unknown): CurveReport {
  const result = curveReportSchema.safeParse(value);
  if (!result.success) {
    throw new Error(`curve.json: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return value as CurveReport;
}
