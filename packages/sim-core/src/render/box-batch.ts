import { BOX_FLAGS, BoxInstance } from '@gripgen/shaders';

const WORDS = BoxInstance.size / 4;
const CENTER = BoxInstance.field('center').offset / 4;
const FLAGS = BoxInstance.field('flags').offset / 4;
const ROTATION = BoxInstance.field('rotation').offset / 4;
const HALF = BoxInstance.field('halfExtents').offset / 4;
const COLOR = BoxInstance.field('color').offset / 4;

/** One box of a {@link BoxBatch}, as plain numbers. */
export interface BoxRow {
  center: [number, number, number];
  /** Quaternion [x, y, z, w]. */
  rotation: [number, number, number, number];
  halfExtents: [number, number, number];
  /** sRGB. */
  color: [number, number, number];
  /** `BOX_FLAGS` bits. */
  flags: number;
}

/** An axis-aligned box, world space. */
export interface Bounds {
  min: [number, number, number];
  max: [number, number, number];
}

/**
 * A growable list of boxes to draw, stored as `BoxInstance` rows (the layout the `box-render`
 * shader reads), plus the bounds of the boxes that cast shadows (for fitting the light).
 * Reuse one batch per view: {@link clear} keeps the memory.
 */
export class BoxBatch {
  private bytes: ArrayBuffer;
  private f32: Float32Array;
  private u32: Uint32Array;
  /** Number of boxes added since the last {@link clear}. */
  count = 0;
  /** Bounds of the shadow-casting boxes (conservative: each box's bounding sphere). Empty: min > max. */
  readonly casterBounds: Bounds = emptyBounds();

  constructor(capacity = 64) {
    this.bytes = new ArrayBuffer(Math.max(1, capacity) * BoxInstance.size);
    this.f32 = new Float32Array(this.bytes);
    this.u32 = new Uint32Array(this.bytes);
  }

  /** Removes every box (keeps the memory). */
  clear(): void {
    this.count = 0;
    const { min, max } = this.casterBounds;
    min.fill(Infinity);
    max.fill(-Infinity);
  }

  /**
   * Adds a box: centre and orientation (quaternion [x, y, z, w]) in world space, half extents
   * (m), sRGB colour, `BOX_FLAGS` bits. Boxes without the `noShadow` flag widen {@link casterBounds}.
   */
  add(
    center: ArrayLike<number>,
    rotation: ArrayLike<number>,
    halfExtents: ArrayLike<number>,
    color: ArrayLike<number>,
    flags = 0,
  ): void {
    if ((this.count + 1) * WORDS > this.f32.length) this.grow();
    const o = this.count * WORDS;
    const f = this.f32;
    for (let i = 0; i < 3; i++) {
      f[o + CENTER + i] = center[i];
      f[o + HALF + i] = halfExtents[i];
      f[o + COLOR + i] = color[i];
    }
    for (let i = 0; i < 4; i++) f[o + ROTATION + i] = rotation[i];
    f[o + COLOR + 3] = 1;
    this.u32[o + FLAGS] = flags;
    this.count++;
    if ((flags & BOX_FLAGS.noShadow) === 0) {
      const radius = Math.hypot(halfExtents[0], halfExtents[1], halfExtents[2]);
      const b = this.casterBounds;
      for (let i = 0; i < 3; i++) {
        b.min[i] = Math.min(b.min[i], center[i] - radius);
        b.max[i] = Math.max(b.max[i], center[i] + radius);
      }
    }
  }

  /** The rows added so far (`count × BoxInstance.size` bytes), a view of the batch's memory. */
  get data(): Float32Array {
    return this.f32.subarray(0, this.count * WORDS);
  }

  /** Box `index` as added (for picking, occlusion tests and debugging). */
  box(index: number): BoxRow {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`BoxBatch.box: index ${index} out of 0..${this.count - 1}`);
    const o = index * WORDS;
    const f = this.f32;
    return {
      center: [f[o + CENTER], f[o + CENTER + 1], f[o + CENTER + 2]],
      rotation: [f[o + ROTATION], f[o + ROTATION + 1], f[o + ROTATION + 2], f[o + ROTATION + 3]],
      halfExtents: [f[o + HALF], f[o + HALF + 1], f[o + HALF + 2]],
      color: [f[o + COLOR], f[o + COLOR + 1], f[o + COLOR + 2]],
      flags: this.u32[o + FLAGS],
    };
  }

  private grow(): void {
    const bytes = new ArrayBuffer(this.bytes.byteLength * 2);
    new Uint8Array(bytes).set(new Uint8Array(this.bytes));
    this.bytes = bytes;
    this.f32 = new Float32Array(bytes);
    this.u32 = new Uint32Array(bytes);
  }
}

/** Bounds that contain nothing (min = +∞, max = −∞). */
export function emptyBounds(): Bounds {
  return { min: [Infinity, Infinity, Infinity], max: [-Infinity, -Infinity, -Infinity] };
}

/** Whether `bounds` contains anything. */
export function boundsIsEmpty(bounds: Bounds): boolean {
  return !(bounds.min[0] <= bounds.max[0]);
}
