import type { ScriptedExpert } from '../task.js';
import { uniformRange } from '../../random/hash-prng.js';
import { ACTION_SIZE, CONTROL_LIMITS } from '../../controller/ee-controller.js';
import { quatYaw } from '../../math/quat.js';
import { PICK_PLACE_GEOMETRY as G } from './geometry.js';
import { NUM_PICK_PLACE_PARAMS, P } from './params.js';

/** Phases of the scripted pick-place expert. */
export const EXPERT_PHASES = ['approach', 'descend', 'close', 'lift', 'carry', 'lower', 'release', 'retreat'] as const;
const APPROACH = 0, DESCEND = 1, CLOSE = 2, LIFT = 3, CARRY = 4, LOWER = 5, RELEASE = 6, RETREAT = 7;

/** The expert's style, drawn per world and episode; ranges of each knob. */
export const EXPERT_STYLE_RANGES = {
  /** Height above the cube top where the descent starts (m). */
  approachHeight: [0.06, 0.12],
  /** TCP height while carrying (m). */
  carryHeight: [0.16, 0.22],
  /** Largest position change per step (m): 0.24–0.5 m/s. */
  speed: [0.012, 0.025],
  /** Grasp point offset from the cube centre: along the pads (x) and vertical (m). */
  graspOffsetX: [-0.006, 0.006],
  graspOffsetZ: [-0.004, 0.006],
  /** Height of the cube bottom above the bin floor at release (m). */
  releaseHeight: [0.008, 0.025],
  /** Offset of the release point from the bin centre (m). */
  releaseOffsetX: [-0.02, 0.02],
  releaseOffsetY: [-0.02, 0.02],
  /** Steps spent closing and opening the gripper. */
  closeSteps: [6, 9],
  openSteps: [5, 8],
} as const;

const STYLE_KEYS = Object.keys(EXPERT_STYLE_RANGES) as (keyof typeof EXPERT_STYLE_RANGES)[];
/** PRNG parameter ids of the style draws (kept apart from the task's parameter ids). */
const STYLE_PARAM_BASE = 1000;
const NUM_STYLE = STYLE_KEYS.length;

/** How far the fingertips reach below the TCP (m). */
const TIP_BELOW_TCP = G.fingerHalfExtents[2] - G.fingerCenterZ;
/** Clearance (m) of the fingertips, and of a held cube's bottom, over obstacles the hand passes above. */
const OBSTACLE_CLEARANCE = 0.025;

/** How a task built on pick-place tells the expert about its world (see `PickPlaceExpert`). */
export interface PickPlaceExpertOptions {
  /** Floats per world in the parameter table (default: pick-place's). */
  paramsPerWorld?: number;
  /**
   * Height (m) of the highest obstacle top the hand must pass over (e.g. the tallest
   * distractor), from world parameters at `offset`; without it the table is clear.
   */
  obstacleTop?: (params: Float32Array, offset: number) => number;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const wrapAngle = (a: number) => a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));

/**
 * Scripted pick-place expert: approach above the cube, align the fingers with its faces,
 * descend, close, lift, carry above the bin, lower, release, retreat. It reads the
 * observation and the world's parameters (privileged: cube edge, bin position) and its
 * style (heights, speed, grasp offset) varies with (seed, episode, world).
 *
 * A task that adds objects to pick-place's world (its parameter and observation rows starting
 * with pick-place's) reuses it through `options`: with `obstacleTop`, the hand moves sideways
 * only high enough that its fingertips, and the held cube's bottom, clear the obstacles by
 * 2.5 cm (it approaches and carries no lower than that), and goes down and up vertically.
 */
export class PickPlaceExpert implements ScriptedExpert {
  private readonly phase: Uint8Array;
  private readonly counter: Uint16Array;
  private readonly style: Float64Array;
  private readonly styledEpisode: Float64Array;
  /** Per-world scratch of `actWorld` (no allocation per action). */
  private readonly scratch = { ee: new Float64Array(3), quat: new Float64Array(4), target: new Float64Array(3) };

  private readonly paramsPerWorld: number;
  private readonly obstacleTop: PickPlaceExpertOptions['obstacleTop'];

  constructor(
    private readonly numWorlds: number,
    private readonly seed: number,
    options: PickPlaceExpertOptions = {},
  ) {
    this.paramsPerWorld = options.paramsPerWorld ?? NUM_PICK_PLACE_PARAMS;
    this.obstacleTop = options.obstacleTop;
    this.phase = new Uint8Array(numWorlds);
    this.counter = new Uint16Array(numWorlds);
    this.style = new Float64Array(numWorlds * NUM_STYLE);
    this.styledEpisode = new Float64Array(numWorlds).fill(-1);
  }

  /** Current phase name of world `w`. */
  phaseOf(w: number): (typeof EXPERT_PHASES)[number] {
    return EXPERT_PHASES[this.phase[w]];
  }

  /**
   * Writes every world's action into `out` (ACTION_SIZE floats per world). A world whose
   * step count is 0 starts over.
   */
  act(obs: Float32Array, obsSize: number, params: Float32Array, episode: Uint32Array, stepCount: Uint32Array, out: Float32Array): Float32Array {
    for (let w = 0; w < this.numWorlds; w++) {
      if (stepCount[w] === 0 || this.styledEpisode[w] !== episode[w]) this.begin(w, episode[w]);
      this.actWorld(w, obs, w * obsSize, params, w * this.paramsPerWorld, out, w * ACTION_SIZE);
    }
    return out;
  }

  private begin(w: number, episode: number): void {
    this.phase[w] = APPROACH;
    this.counter[w] = 0;
    this.styledEpisode[w] = episode;
    STYLE_KEYS.forEach((key, i) => {
      const [lo, hi] = EXPERT_STYLE_RANGES[key];
      this.style[w * NUM_STYLE + i] = uniformRange(lo, hi, this.seed, episode, w, STYLE_PARAM_BASE + i);
    });
  }

  private s(w: number, key: keyof typeof EXPERT_STYLE_RANGES): number {
    return this.style[w * NUM_STYLE + STYLE_KEYS.indexOf(key)];
  }

  private actWorld(w: number, obs: Float32Array, o: number, params: Float32Array, p: number, out: Float32Array, a: number): void {
    const { ee, quat, target } = this.scratch;
    ee[0] = obs[o]; ee[1] = obs[o + 1]; ee[2] = obs[o + 2];
    quat[0] = obs[o + 3]; quat[1] = obs[o + 4]; quat[2] = obs[o + 5]; quat[3] = obs[o + 6];
    const handYaw = quatYaw(quat);
    const cubeX = obs[o + 8], cubeY = obs[o + 9];
    quat[0] = obs[o + 11]; quat[1] = obs[o + 12]; quat[2] = obs[o + 13]; quat[3] = obs[o + 14];
    const cubeYaw = quatYaw(quat);
    const edge = params[p + P.cubeEdge];
    const binX = params[p + P.binX], binY = params[p + P.binY];
    const speed = this.s(w, 'speed');

    // Fingers close along the hand's y axis: align it with the nearest pair of cube faces.
    const yawTarget = handYaw + wrapAngle(4 * (cubeYaw - handYaw)) / 4;
    const yawError = wrapAngle(yawTarget - handYaw);
    // Grasp point: offset along the pads (the hand's x axis) from the cube centre.
    const gx = this.s(w, 'graspOffsetX');
    const graspX = cubeX + gx * Math.cos(yawTarget);
    const graspY = cubeY + gx * Math.sin(yawTarget);
    const graspZ = Math.max(G.minTcpHeight + 0.001, edge / 2 + this.s(w, 'graspOffsetZ'));
    // TCP heights of the sideways moves, raised over the obstacles: the fingertips clear them on
    // the way to the cube; carrying, so does the cube's bottom (graspZ below the TCP).
    const obstacle = this.obstacleTop ? this.obstacleTop(params, p) : -Infinity;
    const approachZ = Math.max(Math.max(graspZ, edge) + this.s(w, 'approachHeight'), obstacle + TIP_BELOW_TCP + OBSTACLE_CLEARANCE);
    const carryZ = Math.max(this.s(w, 'carryHeight'), obstacle + graspZ + OBSTACLE_CLEARANCE);

    let gripper = -1;
    let rotate = 0;
    const phase = this.phase[w];
    const near = (tolXY: number, tolZ: number) =>
      Math.hypot(target[0] - ee[0], target[1] - ee[1]) < tolXY && Math.abs(target[2] - ee[2]) < tolZ;
    const aim = (x: number, y: number, z: number) => {
      target[0] = x; target[1] = y; target[2] = z;
    };
    switch (phase) {
      case APPROACH: {
        aim(graspX, graspY, approachZ);
        rotate = yawError;
        if (near(0.004, 0.01) && Math.abs(yawError) < 0.03) this.next(w);
        break;
      }
      case DESCEND: {
        aim(graspX, graspY, graspZ);
        rotate = yawError;
        if (near(0.004, 0.002)) this.next(w);
        break;
      }
      case CLOSE: {
        aim(ee[0], ee[1], graspZ);
        gripper = 1;
        if (++this.counter[w] >= Math.round(this.s(w, 'closeSteps'))) this.next(w);
        break;
      }
      case LIFT: {
        aim(ee[0], ee[1], carryZ);
        gripper = 1;
        if (near(1, 0.01)) this.next(w);
        break;
      }
      case CARRY: {
        aim(binX + this.s(w, 'releaseOffsetX'), binY + this.s(w, 'releaseOffsetY'), carryZ);
        gripper = 1;
        if (near(0.005, 0.01)) this.next(w);
        break;
      }
      case LOWER: {
        // The cube hangs about graspOffsetZ below the TCP's height relative to its centre.
        const releaseZ = edge / 2 + this.s(w, 'releaseHeight') + (graspZ - edge / 2);
        aim(binX + this.s(w, 'releaseOffsetX'), binY + this.s(w, 'releaseOffsetY'), releaseZ);
        gripper = 1;
        if (near(0.006, 0.003)) this.next(w);
        break;
      }
      case RELEASE: {
        aim(ee[0], ee[1], ee[2]);
        gripper = -1;
        if (++this.counter[w] >= Math.round(this.s(w, 'openSteps'))) this.next(w);
        break;
      }
      default: {
        aim(ee[0], ee[1], 0.2);
        gripper = -1;
      }
    }
    for (let i = 0; i < 3; i++) out[a + i] = clamp(target[i] - ee[i], -speed, speed);
    out[a + 3] = 0;
    out[a + 4] = 0;
    out[a + 5] = clamp(rotate, -CONTROL_LIMITS.maxDeltaRotation, CONTROL_LIMITS.maxDeltaRotation);
    out[a + 6] = gripper;
  }

  private next(w: number): void {
    this.phase[w] = Math.min(this.phase[w] + 1, RETREAT);
    this.counter[w] = 0;
  }
}
