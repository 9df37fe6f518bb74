import { uniformRange } from '../../random/hash-prng.js';

/** The stacking expert's style knobs, each drawn uniformly per world and episode from its range. */
export const CUBE_STACK_STYLE_RANGES = {
  /** TCP height above the grasp point where the descent starts (m). */
  approachHeight: [0.03, 0.07],
  /** Height of the held cube's bottom above the highest other cube while carrying (m). */
  carryClearance: [0.025, 0.06],
  /**
   * Largest position change per step (m): 0.24–0.36 m/s, well below the controller's 0.6 m/s,
   * so that generation's transformed copies of a demo, which must move farther where the
   * objects stand elsewhere, keep up with it (MimicGen-style generation on `narrow` Rapier
   * worlds from 10 `narrow` demos: stack 92 %, stack-three 80 %; from demos at 0.36–0.54 m/s,
   * 55 % and 21 %).
   */
  speed: [0.012, 0.018],
  /** Grasp point offset from the cube's centre along the pads (m). */
  graspOffsetX: [-0.004, 0.004],
  /** Grasp height offset from the cube's centre (m), before the fingertip floor applies. */
  graspOffsetZ: [-0.003, 0.005],
  /** Least height of the fingertips above the grasped cube's bottom (m): they must clear the cube below at the release. */
  tipClearance: [0.003, 0.006],
  /** Opening of each finger beyond the cube's half edge where the fully open gripper would touch another cube (m). */
  openMargin: [0.012, 0.02],
  /**
   * Height of the held cube's bottom above the lower cube's top at the release (m): low, as a
   * 4 mm drop already tipped a 4.8 cm, 0.37 kg cube off a 3.6 cm one.
   */
  releaseHeight: [0.0005, 0.003],
  /** Offset of the held cube's centre from the lower cube's centre at the release (m). */
  placeOffsetX: [-0.003, 0.003],
  placeOffsetY: [-0.003, 0.003],
  /** Steps spent closing and opening the gripper. */
  closeSteps: [4, 7],
  openSteps: [4, 6],
} as const;

/** Name of a style knob. */
export type CubeStackStyleKey = keyof typeof CUBE_STACK_STYLE_RANGES;

const KEYS = Object.keys(CUBE_STACK_STYLE_RANGES) as CubeStackStyleKey[];
const INDEX = Object.fromEntries(KEYS.map((k, i) => [k, i])) as Record<CubeStackStyleKey, number>;
/** PRNG parameter ids of the style draws: apart from the tasks' parameter (< 0x100) and placement (0x200…) ids. */
const STYLE_PARAM_BASE = 1000;

/** Every world's style, drawn from (seed, episode, world) when its episode begins. */
export class CubeStackStyle {
  private readonly values: Float64Array;

  constructor(
    numWorlds: number,
    private readonly seed: number,
  ) {
    this.values = new Float64Array(numWorlds * KEYS.length);
  }

  /** Draws world `w`'s style for episode `episode`. */
  draw(w: number, episode: number): void {
    KEYS.forEach((key, i) => {
      const [lo, hi] = CUBE_STACK_STYLE_RANGES[key];
      this.values[w * KEYS.length + i] = uniformRange(lo, hi, this.seed, episode, w, STYLE_PARAM_BASE + i);
    });
  }

  /** World `w`'s value of `key`. */
  get(w: number, key: CubeStackStyleKey): number {
    return this.values[w * KEYS.length + INDEX[key]];
  }
}
