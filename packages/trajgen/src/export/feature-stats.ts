/** Per-dimension statistics of a feature (LeRobot's `stats.json` entries), accumulated in float64. */

/** The statistics LeRobot stores per feature: arrays with one entry per dimension (`count` has one). */
export interface FeatureStats {
  min: number[];
  max: number[];
  mean: number[];
  /** Population standard deviation (numpy's default, ddof 0). */
  std: number[];
  count: number[];
}

/** Accumulates rows of `width` values (Welford's algorithm, one pass, stable). */
export class StatsAccumulator {
  private count = 0;
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  constructor(readonly width: number) {
    this.min = new Float64Array(width).fill(Infinity);
    this.max = new Float64Array(width).fill(-Infinity);
    this.mean = new Float64Array(width);
    this.m2 = new Float64Array(width);
  }

  /** Adds `rows` rows of `width` values, row-major. */
  addRows(values: ArrayLike<number>, rows: number): void {
    for (let r = 0; r < rows; r++) {
      this.count++;
      for (let d = 0; d < this.width; d++) {
        const x = values[r * this.width + d];
        if (x < this.min[d]) this.min[d] = x;
        if (x > this.max[d]) this.max[d] = x;
        const delta = x - this.mean[d];
        this.mean[d] += delta / this.count;
        this.m2[d] += delta * (x - this.mean[d]);
      }
    }
  }

  /** Adds one row holding `value` in every dimension (scalar features). */
  addScalar(value: number): void {
    this.addRows([value], 1);
  }

  /** The statistics so far. */
  result(): FeatureStats {
    return {
      min: Array.from(this.min),
      max: Array.from(this.max),
      mean: Array.from(this.mean),
      std: Array.from(this.m2, (m2) => Math.sqrt(this.count > 0 ? m2 / this.count : 0)),
      count: [this.count],
    };
  }
}
