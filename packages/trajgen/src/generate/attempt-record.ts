/**
 * The per-step rows of one running attempt (row t: step t; the caller counts the rows), in
 * typed arrays that a generation slot keeps from attempt to attempt: writing a step allocates
 * nothing (the arrays double when an attempt outgrows them, up to the longest an attempt may
 * be, so a slot's capacity settles near its longest attempt), and an episode's arrays are one
 * copy of the rows in use. Values are stored as the episode holds them (f32, i32, u8).
 */
export class AttemptRecord {
  private capacity = 0;
  /** Before each step: the observation, the end-effector pose, each object's pose. */
  obs = new Float32Array(0);
  eef = new Float32Array(0);
  readonly objects: Float32Array[];
  /** The step: its action, the gripper command and the source demo it followed. */
  actions = new Float32Array(0);
  gripper = new Float32Array(0);
  labels = new Int32Array(0);
  /** After each step: the end-effector pose, the reward and each sub-signal. */
  target = new Float32Array(0);
  rewards = new Float32Array(0);
  readonly signals: Uint8Array[];

  /** `maxSteps`: the most rows an attempt may have (growth stops there). */
  constructor(
    private readonly obsSize: number,
    numObjects: number,
    numSignals: number,
    private readonly maxSteps: number,
    initialCapacity = 64,
  ) {
    this.objects = Array.from({ length: numObjects }, () => new Float32Array(0));
    this.signals = Array.from({ length: numSignals }, () => new Uint8Array(0));
    this.grow(Math.min(initialCapacity, maxSteps));
  }

  /** Makes room for row `t` (doubling the arrays when needed, up to `maxSteps` rows). */
  reserve(t: number): void {
    if (t >= this.capacity) this.grow(Math.max(Math.min(2 * this.capacity, this.maxSteps), t + 1));
  }

  private grow(capacity: number): void {
    const widen = <A extends Float32Array | Int32Array | Uint8Array>(old: A, make: (n: number) => A, width: number): A => {
      const next = make(capacity * width);
      next.set(old.subarray(0, this.capacity * width));
      return next;
    };
    const f32 = (n: number) => new Float32Array(n);
    this.obs = widen(this.obs, f32, this.obsSize);
    this.eef = widen(this.eef, f32, 7);
    for (let j = 0; j < this.objects.length; j++) this.objects[j] = widen(this.objects[j], f32, 7);
    this.actions = widen(this.actions, f32, 7);
    this.gripper = widen(this.gripper, f32, 1);
    this.labels = widen(this.labels, (n) => new Int32Array(n), 1);
    this.target = widen(this.target, f32, 7);
    this.rewards = widen(this.rewards, f32, 1);
    for (let i = 0; i < this.signals.length; i++) this.signals[i] = widen(this.signals[i], (n) => new Uint8Array(n), 1);
    this.capacity = capacity;
  }
}
