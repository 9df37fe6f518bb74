/**
 * Binomial distribution primitives for the curve statistics: log-gamma, log binomial
 * coefficients, and an exact binomial sampler driven by one uniform number, so resampling stays
 * a pure function of a counter-based PRNG draw.
 */

const LANCZOS_G = 7;
const LANCZOS_COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/**
 * `ln Γ(x)` for `x > 0` by the Lanczos approximation (g = 7, 9 terms; relative error about
 * 1e-15), with the reflection formula below 0.5.
 */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  const shifted = x - 1;
  let sum = LANCZOS_COEFFICIENTS[0];
  for (let i = 1; i < LANCZOS_COEFFICIENTS.length; i++) sum += LANCZOS_COEFFICIENTS[i] / (shifted + i);
  const t = shifted + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** `ln C(trials, successes)`, the log binomial coefficient. */
export function lnBinomialCoefficient(trials: number, successes: number): number {
  return lnGamma(trials + 1) - lnGamma(successes + 1) - lnGamma(trials - successes + 1);
}

/**
 * Draws from Binomial(trials, probability) by inversion with one uniform number, searching
 * outwards from the mode (Kemp 1986): each count k owns a slice of [0, 1) of width P(k), so
 * the draw is exact up to rounding and costs O(√(trials·p·(1−p))) steps. Construct once per
 * (trials, probability) and call {@link BinomialSampler.draw} per uniform.
 */
export class BinomialSampler {
  private readonly mode: number;
  private readonly pmfAtMode: number;
  private readonly oddsUp: number;

  /** @throws RangeError for a negative or fractional `trials` or a `probability` outside [0, 1]. */
  constructor(
    readonly trials: number,
    readonly probability: number,
  ) {
    if (!Number.isInteger(trials) || trials < 0) throw new RangeError(`trials must be a non-negative integer, got ${trials}`);
    if (!(probability >= 0 && probability <= 1)) throw new RangeError(`probability must be in [0, 1], got ${probability}`);
    this.mode = Math.min(trials, Math.floor((trials + 1) * probability));
    this.oddsUp = probability / (1 - probability);
    this.pmfAtMode =
      probability === 0 || probability === 1
        ? 1
        : Math.exp(
            lnBinomialCoefficient(trials, this.mode) +
              this.mode * Math.log(probability) +
              (trials - this.mode) * Math.log1p(-probability),
          );
  }

  /** The count owned by the uniform `u` in [0, 1). */
  draw(u: number): number {
    const { trials, probability, mode } = this;
    if (probability === 0) return 0;
    if (probability === 1) return trials;
    let remaining = u - this.pmfAtMode;
    if (remaining < 0) return mode;
    let below = mode;
    let above = mode;
    let pmfBelow = this.pmfAtMode;
    let pmfAbove = this.pmfAtMode;
    while (below > 0 || above < trials) {
      if (below > 0) {
        // P(k−1) = P(k) · k / ((trials − k + 1) · odds)
        pmfBelow *= below / ((trials - below + 1) * this.oddsUp);
        below--;
        remaining -= pmfBelow;
        if (remaining < 0) return below;
      }
      if (above < trials) {
        // P(k+1) = P(k) · (trials − k) / (k + 1) · odds
        pmfAbove *= ((trials - above) / (above + 1)) * this.oddsUp;
        above++;
        remaining -= pmfAbove;
        if (remaining < 0) return above;
      }
    }
    // Only rounding of the probabilities' sum leaves u unassigned.
    return mode;
  }
}
