/**
 * Adam optimizer on a flat `Float32Array` parameter vector (Kingma & Ba 2015), bias-corrected,
 * with optional decoupled weight decay (AdamW, Loshchilov & Hutter 2019). Plain-TS reference for
 * the WGSL optimizer kernel: moments are stored in f32, each update computed in double precision.
 */

/** Adam hyperparameters. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  readonly lr?: number;
  /** First-moment decay (default 0.9). */
  readonly beta1?: number;
  /** Second-moment decay (default 0.999). */
  readonly beta2?: number;
  /** Added to √v̂ in the denominator (default 1e-8). */
  readonly epsilon?: number;
  /** Decoupled weight decay: `p ← p − lr × weightDecay × p` each step (default 0). */
  readonly weightDecay?: number;
}

/** Adam state for one parameter vector: the two moment estimates and the step count. */
export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  /** First-moment estimate m. */
  readonly m: Float32Array;
  /** Second-moment estimate v. */
  readonly v: Float32Array;
  /** Number of steps taken so far. */
  stepCount = 0;

  constructor(size: number, options: AdamOptions = {}) {
    this.lr = options.lr ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    const check = (value: number, field: string, ok: boolean) => {
      if (!Number.isFinite(value) || !ok) throw new Error(`Adam: invalid ${field} ${value}`);
    };
    check(this.lr, 'lr', this.lr > 0);
    check(this.beta1, 'beta1', this.beta1 >= 0 && this.beta1 < 1);
    check(this.beta2, 'beta2', this.beta2 >= 0 && this.beta2 < 1);
    check(this.epsilon, 'epsilon', this.epsilon >= 0);
    check(this.weightDecay, 'weightDecay', this.weightDecay >= 0);
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /**
   * One update: `m ← β1 m + (1−β1) g`, `v ← β2 v + (1−β2) g²`,
   * `p ← p − η (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε) − η × weightDecay × p` with
   * `η = lr × lrScale` (a learning-rate schedule's factor for this step, default 1).
   */
  step(params: Float32Array, grads: ArrayLike<number>, lrScale = 1): void {
    if (params.length !== this.m.length || grads.length !== this.m.length) {
      throw new Error(`Adam.step: expected ${this.m.length} params and grads, got ${params.length} and ${grads.length}`);
    }
    this.stepCount++;
    const { beta1, beta2, epsilon, m, v } = this;
    const lr = this.lr * lrScale;
    const correction1 = 1 - beta1 ** this.stepCount;
    const correction2 = 1 - beta2 ** this.stepCount;
    const decay = lr * this.weightDecay;
    for (let j = 0; j < params.length; j++) {
      const g = grads[j];
      const mj = beta1 * m[j] + (1 - beta1) * g;
      const vj = beta2 * v[j] + (1 - beta2) * g * g;
      m[j] = mj;
      v[j] = vj;
      const p = params[j];
      params[j] = p - (lr * (mj / correction1)) / (Math.sqrt(vj / correction2) + epsilon) - decay * p;
    }
  }
}
