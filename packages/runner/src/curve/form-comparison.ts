/**
 * Competing fits of success against N: each form of `curve-forms.ts` fitted by binomial maximum
 * likelihood to the (N, seed) points, compared by AICc (QAICc when the seeds scatter more than
 * binomially) and by leave-one-N-out prediction error.
 *
 * Every form is fitted by maximum likelihood, the log-linear one included, because AIC compares
 * maximised likelihoods; the least-squares line of `fitLogLinear` stays the chart's fit.
 */
import { fitBinomialForm } from './binomial-fit.js';
import { CURVE_FORMS, type BinomialPoint, type CurveForm } from './curve-forms.js';
import type { CurveFormName, FormComparison, FormFit, LeaveOneNOut } from './curve-types.js';

/** Criterion difference below which two forms are not told apart (Burnham & Anderson's rule of thumb). */
export const CLEAR_DIFFERENCE = 2;

/** Options of {@link compareForms}. */
export interface CompareOptions {
  /** Compute the leave-one-N-out error (default true; it refits every form once per N). */
  leaveOneNOut?: boolean;
  /** The forms to fit (default all of {@link CURVE_FORMS}). */
  forms?: readonly CurveForm[];
}

/** A fitted form with its internal parameters, for predictions and warm starts. */
export interface FittedForm {
  form: CurveForm;
  /** Internal parameters θ at the maximum (see the form). */
  theta: number[];
}

/** What {@link compareForms} returns: the plain-data comparison and the fitted forms, aligned with `comparison.fits`. */
export interface ComparedForms {
  comparison: FormComparison;
  fitted: FittedForm[];
}

/**
 * Fits every form to the points and compares them. A form with more parameters than the points
 * have distinct N is not fitted (listed in `unfitted`). Residuals are in the order of `points`.
 *
 * The criterion is AICc with n = number of (N, seed) points with trials. Seeds at the same N
 * share the true curve, so their scatter beyond binomial noise is measured without any model
 * ({@link seedDispersion}); when it exceeds 1 the binomial likelihood overstates the evidence and
 * the criterion becomes QAICc (`−2 ln L / ĉ + 2K + 2K(K+1)/(n−K−1)`, K = k + 1).
 */
export function compareForms(points: readonly BinomialPoint[], options: CompareOptions = {}): ComparedForms {
  const forms = options.forms ?? CURVE_FORMS;
  const distinctN = new Set(points.map((p) => p.n)).size;
  const count = points.filter((p) => p.trials > 0).length;
  const dispersion = seedDispersion(points);
  const chat = dispersion && dispersion.chat > 1 ? dispersion.chat : 1;
  const quasi = chat > 1;

  const fits: FormFit[] = [];
  const fitted: FittedForm[] = [];
  const unfitted: { form: CurveFormName; reason: string }[] = [];
  for (const form of forms) {
    const k = form.parameterNames.length;
    if (distinctN < k) {
      unfitted.push({ form: form.name, reason: `${k} parameters need ${k} distinct N, the points have ${distinctN}` });
      continue;
    }
    const result = fitBinomialForm(form, points);
    if (!result) {
      unfitted.push({ form: form.name, reason: 'no finite likelihood from any starting value' });
      continue;
    }
    const { theta, logLikelihood } = result;
    const reported = form.reported(theta);
    const fitted01 = points.map((p) => clamp01(form.probability(theta, p.n)));
    fits.push({
      form: form.name,
      formula: form.formula,
      parameters: Object.fromEntries(form.parameterNames.map((name, i) => [name, reported[i]])),
      parameterCount: k,
      logLikelihood,
      aic: -2 * logLikelihood + 2 * k,
      aicc: smallSampleCriterion(logLikelihood, k, count),
      criterion: quasi ? smallSampleCriterion(logLikelihood / chat, k + 1, count) : smallSampleCriterion(logLikelihood, k, count),
      deltaCriterion: null,
      residuals: points.map((p, i) => (p.trials > 0 ? p.successes / p.trials - fitted01[i] : 0)),
      pearsonResiduals: points.map((p, i) => pearsonResidual(p, fitted01[i])),
      leaveOneNOut: options.leaveOneNOut === false ? null : leaveOneNOut(form, theta, points),
    });
    fitted.push({ form, theta });
  }

  const compared = fits.filter((f) => f.criterion !== null).sort((x, y) => x.criterion! - y.criterion!);
  const lowest = compared.length > 0 ? compared[0].criterion! : 0;
  for (const f of compared) f.deltaCriterion = f.criterion! - lowest;
  const close = compared.filter((f) => f.deltaCriterion! < CLEAR_DIFFERENCE).map((f) => f.form);
  const withLoo = fits.filter((f) => f.leaveOneNOut !== null).sort((x, y) => x.leaveOneNOut!.rmse - y.leaveOneNOut!.rmse);
  return {
    comparison: {
      criterion: quasi ? 'QAICc' : 'AICc',
      dispersion,
      points: count,
      fits,
      unfitted,
      best: compared.length >= 2 && close.length === 1 ? close[0] : null,
      close,
      bestByLeaveOneNOut: withLoo.length > 0 ? withLoo[0].form : null,
    },
    fitted,
  };
}

/**
 * Overdispersion between training seeds, without any curve model: at each N with 2 or more
 * seeds, the Pearson χ² of the seeds' counts around their pooled rate, summed over N and divided
 * by its degrees of freedom Σ (seeds − 1). About 1 when seeds differ only by binomial noise of
 * the evaluation; `null` when no N has 2 seeds.
 */
export function seedDispersion(points: readonly BinomialPoint[]): { chat: number; df: number } | null {
  const byN = new Map<number, BinomialPoint[]>();
  for (const p of points) {
    if (p.trials === 0) continue;
    const group = byN.get(p.n);
    if (group) group.push(p);
    else byN.set(p.n, [p]);
  }
  let chiSquare = 0;
  let df = 0;
  for (const group of byN.values()) {
    if (group.length < 2) continue;
    df += group.length - 1;
    const rate = group.reduce((s, p) => s + p.successes, 0) / group.reduce((s, p) => s + p.trials, 0);
    if (rate === 0 || rate === 1) continue; // every seed at 0 % (or 100 %): no scatter at all
    for (const p of group) chiSquare += (p.successes - p.trials * rate) ** 2 / (p.trials * rate * (1 - rate));
  }
  return df > 0 ? { chat: chiSquare / df, df } : null;
}

/**
 * One plain sentence on which form fits best, or that none is clearly better; fitted forms
 * without a criterion (too few points for their parameters) are named as not compared. `symbol`
 * names the x variable (`N`, or `D` for a coverage law).
 */
export function describeComparison(comparison: FormComparison, symbol: string = 'N'): string {
  const { criterion, fits, best, close } = comparison;
  if (fits.length === 0) return 'no form could be fitted';
  const compared = fits.filter((f) => f.deltaCriterion !== null).sort((x, y) => x.deltaCriterion! - y.deltaCriterion!);
  let text: string;
  if (best) {
    const next = compared[1];
    text = `${formLabel(best)} fits best by ${criterion} (next: ${formLabel(next.form)}, Δ${criterion} = ${next.deltaCriterion!.toFixed(1)})`;
  } else if (close.length >= 2) {
    text = `no form is clearly better by ${criterion}: ${close.map(formLabel).join(', ')} are within ${CLEAR_DIFFERENCE} of the lowest`;
  } else {
    const forms = `${compared.length} form${compared.length === 1 ? '' : 's'}`;
    text = `no comparison by ${criterion}: ${forms} with a defined ${criterion} (${comparison.points} points)`;
  }
  const uncompared = notCompared(comparison);
  if (uncompared && compared.length >= 2) text += `; ${uncompared}`;
  const loo = comparison.bestByLeaveOneNOut;
  if (loo) {
    const rmse = fits.find((f) => f.form === loo)!.leaveOneNOut!.rmse;
    text += `; leave-one-${symbol}-out error is lowest for ${formLabel(loo)} (${(100 * rmse).toFixed(1)} points RMS)`;
  }
  return text;
}

/**
 * The fitted forms the criterion could not rank (too few points for their parameters), as
 * `logistic not compared (no AICc from 4 points)`; empty when every fitted form has one.
 */
export function notCompared(comparison: Pick<FormComparison, 'criterion' | 'fits' | 'points'>): string {
  const missing = comparison.fits.filter((f) => f.criterion === null).map((f) => formLabel(f.form));
  if (missing.length === 0) return '';
  return `${missing.join(', ')} not compared (no ${comparison.criterion} from ${comparison.points} points)`;
}

/** One plain sentence on the seeds' overdispersion and the criterion it leads to. */
export function describeDispersion(comparison: Pick<FormComparison, 'criterion' | 'dispersion'>, symbol: string = 'N'): string {
  const d = comparison.dispersion;
  if (!d) return `one seed per ${symbol}: seed-to-seed scatter is unmeasured, so AICc rests on the binomial likelihood alone`;
  const chat = `ĉ = ${d.chat.toFixed(2)}, ${d.df} df`;
  return comparison.criterion === 'QAICc'
    ? `seeds scatter ${d.chat.toFixed(1)}× more than binomially (${chat}): criterion QAICc`
    : `seeds scatter no more than binomially (${chat}): criterion AICc`;
}

/** The name of a form in prose: `log-linear`, `power law`, `logistic`. */
export function formLabel(form: CurveFormName): string {
  return form === 'power-law' ? 'power law' : form;
}

/** `−2 ln L + 2K + 2K(K+1)/(n−K−1)`; `null` when n ≤ K + 1. */
function smallSampleCriterion(logLikelihood: number, parameters: number, points: number): number | null {
  const denominator = points - parameters - 1;
  return denominator > 0 ? -2 * logLikelihood + 2 * parameters + (2 * parameters * (parameters + 1)) / denominator : null;
}

/** Each N predicted by the form fitted to the other N; `null` when a fold cannot be fitted. */
function leaveOneNOut(form: CurveForm, theta: readonly number[], points: readonly BinomialPoint[]): LeaveOneNOut | null {
  const ns = [...new Set(points.map((p) => p.n))].sort((x, y) => x - y);
  if (ns.length - 1 < form.parameterNames.length) return null;
  const folds: LeaveOneNOut['folds'] = [];
  for (const n of ns) {
    const training = points.filter((p) => p.n !== n);
    const held = points.filter((p) => p.n === n);
    const trials = held.reduce((s, p) => s + p.trials, 0);
    if (trials === 0) continue;
    const fit = fitBinomialForm(form, training, [theta, ...form.starts(training)]);
    if (!fit) return null;
    folds.push({ n, predicted: clamp01(form.probability(fit.theta, n)), measured: held.reduce((s, p) => s + p.successes, 0) / trials });
  }
  if (folds.length === 0) return null;
  const meanSquare = folds.reduce((s, f) => s + (f.measured - f.predicted) ** 2, 0) / folds.length;
  return { rmse: Math.sqrt(meanSquare), folds };
}

function pearsonResidual(p: BinomialPoint, probability: number): number {
  if (p.trials === 0) return 0;
  // Clamped away from 0 and 1 so a point a form predicts exactly stays finite.
  const q = Math.min(1 - 1e-12, Math.max(1e-12, probability));
  return (p.successes - p.trials * q) / Math.sqrt(p.trials * q * (1 - q));
}

/** Clamps a model probability to [0, 1]. */
export function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
