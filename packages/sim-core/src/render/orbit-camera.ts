import { mat4, vec3 } from 'gl-matrix';

const UP = vec3.fromValues(0, 0, 1);

/** Limits and defaults of an {@link OrbitCamera}. */
export interface OrbitCameraOptions {
  /** Point looked at (world, m). */
  target?: [number, number, number];
  /** Distance from the target (m). */
  distance?: number;
  /** Azimuth (rad) of the eye around the target's vertical; 0 puts the eye on +x. */
  yaw?: number;
  /** Elevation (rad) of the eye above the target's horizontal plane. */
  pitch?: number;
  /** Vertical field of view (rad). */
  fovY?: number;
  minDistance?: number;
  maxDistance?: number;
}

/**
 * A Z-up orbit camera: the eye sits at `distance` from `target`, at azimuth `yaw` and elevation
 * `pitch`. `orbit`, `pan` and `zoom` are what mouse drags and the wheel call. Matrices follow
 * WebGPU conventions (clip z in [0, 1]); gl-matrix does the maths.
 */
export class OrbitCamera {
  target: vec3;
  distance: number;
  yaw: number;
  pitch: number;
  fovY: number;
  minDistance: number;
  maxDistance: number;
  /** Elevation limits (rad): just above the horizon to just short of straight down. */
  static readonly PITCH_RANGE = [0.02, 1.55] as const;

  constructor(options: OrbitCameraOptions = {}) {
    this.target = vec3.fromValues(...(options.target ?? [0, 0, 0]));
    this.distance = options.distance ?? 1;
    this.yaw = options.yaw ?? 0;
    this.pitch = options.pitch ?? 0.6;
    this.fovY = options.fovY ?? (40 * Math.PI) / 180;
    this.minDistance = options.minDistance ?? 0.05;
    this.maxDistance = options.maxDistance ?? 200;
    this.clamp();
  }

  /** The eye position. */
  eye(dst: vec3 = vec3.create()): vec3 {
    const c = Math.cos(this.pitch);
    return vec3.set(
      dst,
      this.target[0] + this.distance * c * Math.cos(this.yaw),
      this.target[1] + this.distance * c * Math.sin(this.yaw),
      this.target[2] + this.distance * Math.sin(this.pitch),
    );
  }

  /** World → clip matrix for a viewport of aspect ratio `aspect` (width / height). */
  viewProjection(aspect: number, dst: mat4 = mat4.create()): mat4 {
    const view = mat4.lookAt(mat4.create(), this.eye(), this.target, UP);
    const near = Math.max(1e-3, this.distance * 0.02);
    const far = this.distance * 20 + 10;
    mat4.perspectiveZO(dst, this.fovY, aspect, near, far);
    return mat4.multiply(dst, dst, view);
  }

  /** Turns the eye around the target by `dYaw` and `dPitch` (rad). */
  orbit(dYaw: number, dPitch: number): void {
    this.yaw += dYaw;
    this.pitch += dPitch;
    this.clamp();
  }

  /**
   * Moves the target in the view plane so that the scene under the cursor follows a drag of
   * (`dxPixels`, `dyPixels`) in a viewport `viewportHeight` pixels high (y grows downwards).
   */
  pan(dxPixels: number, dyPixels: number, viewportHeight: number): void {
    const metresPerPixel = (2 * this.distance * Math.tan(this.fovY / 2)) / Math.max(1, viewportHeight);
    const forward = vec3.sub(vec3.create(), this.target, this.eye());
    vec3.normalize(forward, forward);
    const right = vec3.normalize(vec3.create(), vec3.cross(vec3.create(), forward, UP));
    const up = vec3.cross(vec3.create(), right, forward);
    vec3.scaleAndAdd(this.target, this.target, right, -dxPixels * metresPerPixel);
    vec3.scaleAndAdd(this.target, this.target, up, dyPixels * metresPerPixel);
  }

  /** Multiplies the distance by `factor` (< 1 moves closer), within the distance limits. */
  zoom(factor: number): void {
    this.distance *= factor;
    this.clamp();
  }

  /** Looks at the centre of the box [min, max] from far enough to see all of it. */
  frame(min: ArrayLike<number>, max: ArrayLike<number>): void {
    vec3.set(this.target, (min[0] + max[0]) / 2, (min[1] + max[1]) / 2, (min[2] + max[2]) / 2);
    const radius = Math.hypot(max[0] - min[0], max[1] - min[1], max[2] - min[2]) / 2;
    this.distance = radius / Math.sin(this.fovY / 2);
    this.clamp();
  }

  private clamp(): void {
    const [lo, hi] = OrbitCamera.PITCH_RANGE;
    this.pitch = Math.min(hi, Math.max(lo, this.pitch));
    this.distance = Math.min(this.maxDistance, Math.max(this.minDistance, this.distance));
  }
}
