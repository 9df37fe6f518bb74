import type { ScriptedExpert } from '../task.js';
import { obsPoseSlot } from '../obs-poses.js';
import { ACTION_SIZE, CONTROL_LIMITS } from '../../controller/ee-controller.js';
import { quatYaw } from '../../math/quat.js';
import { cubeBottomZ, cubeTopZ } from './cube-geometry.js';
import { CubeStackStyle } from './expert-style.js';
import { CUBE_STACK_GEOMETRY as G, CUBE_STACK_WORKSPACE as WORKSPACE } from './geometry.js';
import type { CubeStackLayout } from './layout.js';
import { footprintRadius } from './placement.js';

/** Phases of the scripted stacking expert, repeated for each placement of the plan (then `done`). */
export const CUBE_STACK_EXPERT_PHASES = ['approach', 'descend', 'close', 'lift', 'carry', 'lower', 'release', 'rise', 'done'] as const;
const APPROACH = 0, DESCEND = 1, CLOSE = 2, LIFT = 3, CARRY = 4, LOWER = 5, RELEASE = 6, RISE = 7, DONE = 8;

/** How far the fingertips reach below the TCP (m). */
const TIP_BELOW_TCP = G.fingerHalfExtents[2] - G.fingerCenterZ;
/** Clearance of the fingertips over the other cubes while moving between them (m). */
const TRANSIT_CLEARANCE = 0.02;
/** Least gap (m) the open fingers keep from the other cubes' bounding circles as they come down. */
const FINGER_MARGIN = 0.005;
/** Half the diagonal of a finger's footprint (m). */
const FINGER_RADIUS = Math.hypot(G.fingerHalfExtents[0], G.fingerHalfExtents[1]);
/** A closed gripper narrower than this fraction of the cube's edge holds nothing. */
const MISSED_GRASP_FRACTION = 0.6;
/** Fastest descent (m per step) once the held cube is within 2 cm of the cube below. */
const LOWER_FINE_SPEED = 0.008;
/** Steps after which a lowering that does not converge releases anyway. */
const MAX_LOWER_STEPS = 60;
/** Yaw error (rad) within which the hand counts as aligned with the faces it pinches. */
const YAW_TOLERANCE = 0.03;

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const wrapAngle = (a: number) => a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));

/**
 * Scripted stacking expert for any cube-stacking plan. For each placement (pick X, set it on Y)
 * it chooses which pair of X's faces to pinch and how far to open (fully, unless the fingers
 * would meet another cube), approaches above X at a height that clears the other cubes,
 * descends, closes, lifts X clear of every other cube, carries it until X's centre is over Y's,
 * lowers X until it all but touches Y, opens and rises. A grasp that closes on nothing starts
 * the placement over. It reads the poses from the observation (by the naming convention of
 * `Task.obsNames`) and the cubes' edges from the parameters (privileged); its style (heights,
 * speed, grasp and release offsets) varies with (seed, episode, world).
 */
export class CubeStackExpert implements ScriptedExpert {
  private readonly stepIndex: Uint8Array;
  private readonly phase: Uint8Array;
  private readonly counter: Uint16Array;
  /** Which pair of faces is pinched: 0 (fingers across the cube's y axis) or 1 (across x). */
  private readonly faceChoice: Uint8Array;
  /** Finger travel while approaching and releasing the current cube (m). */
  private readonly openTravel: Float64Array;
  /** TCP height while carrying, fixed when the lift starts. */
  private readonly carryZ: Float64Array;
  private readonly style: CubeStackStyle;
  private readonly styledEpisode: Float64Array;
  private readonly eeSlot: number;
  private readonly openingSlot: number;
  /** Observation index of each cube's position (its quaternion follows at +3). */
  private readonly cubeSlots: number[];
  private readonly scratch = { ee: new Float64Array(3), quat: new Float64Array(4), target: new Float64Array(3) };

  /**
   * An expert for `numWorlds` worlds of the task laid out as `layout`, whose observations are
   * named `obsNames` and whose parameter rows hold `numParams` values.
   */
  constructor(
    private readonly layout: CubeStackLayout,
    obsNames: readonly string[],
    private readonly numParams: number,
    private readonly numWorlds: number,
    seed: number,
  ) {
    this.stepIndex = new Uint8Array(numWorlds);
    this.phase = new Uint8Array(numWorlds);
    this.counter = new Uint16Array(numWorlds);
    this.faceChoice = new Uint8Array(numWorlds);
    this.openTravel = new Float64Array(numWorlds);
    this.carryZ = new Float64Array(numWorlds);
    this.style = new CubeStackStyle(numWorlds, seed);
    this.styledEpisode = new Float64Array(numWorlds).fill(-1);
    const ee = obsPoseSlot(obsNames, 'ee');
    if (ee.quat !== ee.pos + 3) throw new Error('the stacking expert needs ee_quat_* right after ee_pos_*');
    this.eeSlot = ee.pos;
    this.openingSlot = obsNames.indexOf('gripper_opening');
    if (this.openingSlot < 0) throw new Error('the stacking expert needs gripper_opening in the observation');
    this.cubeSlots = layout.spec.cubes.map((letter) => {
      const slot = obsPoseSlot(obsNames, `cube${letter}`);
      if (slot.quat !== slot.pos + 3) throw new Error(`the stacking expert needs cube${letter}_quat_* right after cube${letter}_pos_*`);
      return slot.pos;
    });
  }

  /** Name of world `w`'s current phase and the cube it handles, e.g. `carry A`. */
  phaseOf(w: number): string {
    const phase = CUBE_STACK_EXPERT_PHASES[this.phase[w]];
    return this.phase[w] === DONE ? phase : `${phase} ${this.layout.spec.plan[this.stepIndex[w]].pick}`;
  }

  /** Writes every world's action into `out` (ACTION_SIZE floats per world); a world whose step count is 0 starts over. */
  act(obs: Float32Array, obsSize: number, params: Float32Array, episode: Uint32Array, stepCount: Uint32Array, out: Float32Array): Float32Array {
    for (let w = 0; w < this.numWorlds; w++) {
      if (stepCount[w] === 0 || this.styledEpisode[w] !== episode[w]) this.begin(w, episode[w]);
      this.actWorld(w, obs, w * obsSize, params, w * this.numParams, out, w * ACTION_SIZE);
    }
    return out;
  }

  private begin(w: number, episode: number): void {
    this.stepIndex[w] = 0;
    this.next(w, APPROACH);
    this.styledEpisode[w] = episode;
    this.style.draw(w, episode);
  }

  private actWorld(w: number, obs: Float32Array, o: number, params: Float32Array, p: number, out: Float32Array, a: number): void {
    const { ee, quat, target } = this.scratch;
    const s = (key: Parameters<CubeStackStyle['get']>[1]) => this.style.get(w, key);
    for (let i = 0; i < 3; i++) ee[i] = obs[o + this.eeSlot + i];
    for (let i = 0; i < 4; i++) quat[i] = obs[o + this.eeSlot + 3 + i];
    const handYaw = quatYaw(quat);
    const step = this.layout.steps[this.stepIndex[w]];
    const x = o + this.cubeSlots[step.pick];
    const y = o + this.cubeSlots[step.onto];
    const hX = this.half(params, p, step.pick);
    for (let i = 0; i < 4; i++) quat[i] = obs[x + 3 + i];
    const cubeYaw = quatYaw(quat);
    const speed = s('speed');
    const xBottom = cubeBottomZ(obs, x, hX);
    let othersTop = 0;
    for (let k = 0; k < this.cubeSlots.length; k++) {
      if (k !== step.pick) othersTop = Math.max(othersTop, cubeTopZ(obs, o + this.cubeSlots[k], this.half(params, p, k)));
    }

    const phase = this.phase[w];
    const startsApproach = phase === APPROACH && this.counter[w] === 0;
    if (startsApproach) this.chooseGrasp(w, obs, o, params, p, step.pick, cubeYaw, handYaw, hX);
    const openCommand = 1 - (2 * this.openTravel[w]) / G.fingerTravel;
    let gripper = openCommand;
    let rotate = 0;
    let maxDown = speed;
    const aim = (tx: number, ty: number, tz: number) => {
      target[0] = tx; target[1] = ty; target[2] = tz;
    };
    const nearXY = (tol: number) => Math.hypot(target[0] - ee[0], target[1] - ee[1]) < tol;

    if (phase === APPROACH || phase === DESCEND) {
      // The hand is symmetric under a half turn: aim at the nearest yaw that pinches the chosen faces.
      const faces = cubeYaw + (this.faceChoice[w] * Math.PI) / 2;
      const yawTarget = handYaw + wrapAngle(2 * (faces - handYaw)) / 2;
      const yawError = wrapAngle(yawTarget - handYaw);
      const gx = s('graspOffsetX');
      const graspX = obs[x] + gx * Math.cos(yawTarget);
      const graspY = obs[x + 1] + gx * Math.sin(yawTarget);
      const graspZ = xBottom + Math.max(hX + s('graspOffsetZ'), TIP_BELOW_TCP + s('tipClearance'));
      rotate = yawError;
      if (phase === APPROACH) {
        this.counter[w] = 1;
        const approachZ = graspZ + s('approachHeight');
        const transitZ = Math.max(othersTop, xBottom + 2 * hX) + TIP_BELOW_TCP + TRANSIT_CLEARANCE;
        const far = Math.hypot(graspX - ee[0], graspY - ee[1]) > 0.02;
        aim(graspX, graspY, far ? Math.max(approachZ, transitZ) : approachZ);
        if (nearXY(0.004) && Math.abs(target[2] - ee[2]) < 0.01 && Math.abs(yawError) < YAW_TOLERANCE) this.next(w, DESCEND);
      } else {
        aim(graspX, graspY, graspZ);
        if (nearXY(0.003) && Math.abs(target[2] - ee[2]) < 0.002 && Math.abs(yawError) < YAW_TOLERANCE) this.next(w, CLOSE);
      }
    } else if (phase === CLOSE) {
      aim(ee[0], ee[1], ee[2]);
      gripper = 1;
      if (++this.counter[w] >= Math.round(s('closeSteps'))) {
        if (this.missed(obs, o, hX)) this.next(w, APPROACH);
        else {
          this.carryZ[w] = Math.min(WORKSPACE.max[2], ee[2] + Math.max(0.03, othersTop + s('carryClearance') - xBottom));
          this.next(w, LIFT);
        }
      }
    } else if (phase === LIFT || phase === CARRY || phase === LOWER) {
      gripper = 1;
      // The place point is for the held cube's centre (not the TCP): grasp offsets cancel.
      const placeX = obs[y] + s('placeOffsetX');
      const placeY = obs[y + 1] + s('placeOffsetY');
      const offPlace = Math.hypot(placeX - obs[x], placeY - obs[x + 1]);
      if (this.missed(obs, o, hX)) {
        this.next(w, APPROACH);
        gripper = openCommand;
        aim(ee[0], ee[1], ee[2]);
      } else if (phase === LIFT) {
        aim(ee[0], ee[1], this.carryZ[w]);
        if (Math.abs(target[2] - ee[2]) < 0.01) this.next(w, CARRY);
      } else if (phase === CARRY) {
        aim(ee[0] + placeX - obs[x], ee[1] + placeY - obs[x + 1], this.carryZ[w]);
        if (offPlace < 0.004 && Math.abs(target[2] - ee[2]) < 0.01) this.next(w, LOWER);
      } else {
        const above = xBottom - cubeTopZ(obs, y, this.half(params, p, step.onto));
        aim(ee[0] + placeX - obs[x], ee[1] + placeY - obs[x + 1], ee[2] + s('releaseHeight') - above);
        if (above < 0.02) maxDown = LOWER_FINE_SPEED;
        const settled = above < s('releaseHeight') + 0.001 && offPlace < 0.004;
        if (settled || ++this.counter[w] >= MAX_LOWER_STEPS) {
          this.chooseReleaseTravel(w, obs, o, params, p, step.pick, handYaw, hX, xBottom);
          this.next(w, RELEASE);
        }
      }
    } else if (phase === RELEASE) {
      aim(ee[0], ee[1], ee[2]);
      if (++this.counter[w] >= Math.round(s('openSteps'))) this.next(w, RISE);
    } else if (phase === RISE) {
      aim(ee[0], ee[1], Math.max(ee[2], cubeTopZ(obs, x, hX) + TIP_BELOW_TCP + TRANSIT_CLEARANCE));
      if (Math.abs(target[2] - ee[2]) < 0.005) {
        if (this.stepIndex[w] + 1 < this.layout.steps.length) {
          this.stepIndex[w]++;
          this.next(w, APPROACH);
        } else this.next(w, DONE);
      }
    } else {
      aim(ee[0], ee[1], ee[2]);
    }
    out[a] = clamp(target[0] - ee[0], -speed, speed);
    out[a + 1] = clamp(target[1] - ee[1], -speed, speed);
    out[a + 2] = clamp(target[2] - ee[2], -maxDown, speed);
    out[a + 3] = 0;
    out[a + 4] = 0;
    out[a + 5] = clamp(rotate, -CONTROL_LIMITS.maxDeltaRotation, CONTROL_LIMITS.maxDeltaRotation);
    out[a + 6] = gripper;
  }

  /** Half the edge of cube `k` (scene order). */
  private half(params: Float32Array, p: number, k: number): number {
    return params[p + this.layout.cubeCols[k].edge] / 2;
  }

  /** Whether the closed gripper holds nothing (its opening fell well below the cube's edge). */
  private missed(obs: Float32Array, o: number, hX: number): boolean {
    return obs[o + this.openingSlot] < MISSED_GRASP_FRACTION * 2 * hX;
  }

  /**
   * Chooses how to grasp the picked cube: which pair of its faces to pinch (0, or 1 a quarter
   * turn further) and how far to open: fully where its fingers stay `FINGER_MARGIN` clear of
   * every other cube, only `openMargin` beyond the cube where they would come closer.
   * Among the choices that stay clear the one needing less turning wins; if none does, the
   * clearest.
   */
  private chooseGrasp(w: number, obs: Float32Array, o: number, params: Float32Array, p: number, pick: number, cubeYaw: number, handYaw: number, hX: number): void {
    const x = o + this.cubeSlots[pick];
    const turn = (choice: number) => Math.abs(wrapAngle(2 * (cubeYaw + (choice * Math.PI) / 2 - handYaw)) / 2);
    for (const travel of [G.fingerTravel, this.narrowTravel(w, hX)]) {
      const c0 = this.fingerClearance(obs, o, params, p, pick, obs[x], obs[x + 1], cubeYaw, travel, 0);
      const c1 = this.fingerClearance(obs, o, params, p, pick, obs[x], obs[x + 1], cubeYaw + Math.PI / 2, travel, 0);
      this.openTravel[w] = travel;
      this.faceChoice[w] = c0 >= FINGER_MARGIN && c1 >= FINGER_MARGIN ? (turn(0) <= turn(1) ? 0 : 1) : c0 >= c1 ? 0 : 1;
      if (Math.max(c0, c1) >= FINGER_MARGIN) return;
    }
  }

  /** How far to open at the release: fully, unless the fingers would meet a cube standing taller than the held one's bottom. */
  private chooseReleaseTravel(w: number, obs: Float32Array, o: number, params: Float32Array, p: number, pick: number, handYaw: number, hX: number, floorZ: number): void {
    const x = o + this.cubeSlots[pick];
    const clear = this.fingerClearance(obs, o, params, p, pick, obs[x], obs[x + 1], handYaw, G.fingerTravel, floorZ) >= FINGER_MARGIN;
    this.openTravel[w] = clear ? G.fingerTravel : this.narrowTravel(w, hX);
  }

  private narrowTravel(w: number, hX: number): number {
    return Math.min(G.fingerTravel, hX + this.style.get(w, 'openMargin'));
  }

  /**
   * Least distance (m) between the footprints of fingers open by `travel` about (cx, cy) at
   * hand yaw `yaw` and the bounding circles of the cubes other than `skip` whose top is above
   * `floorZ`; negative where they overlap.
   */
  private fingerClearance(obs: Float32Array, o: number, params: Float32Array, p: number, skip: number, cx: number, cy: number, yaw: number, travel: number, floorZ: number): number {
    const reach = travel + G.fingerHalfExtents[1];
    // The fingers sit along the hand's y axis, (−sin ψ, cos ψ).
    const dx = -Math.sin(yaw) * reach, dy = Math.cos(yaw) * reach;
    let least = Infinity;
    for (let k = 0; k < this.cubeSlots.length; k++) {
      const c = o + this.cubeSlots[k];
      const h = this.half(params, p, k);
      if (k === skip || cubeTopZ(obs, c, h) <= floorZ) continue;
      const r = footprintRadius(2 * h) + FINGER_RADIUS;
      least = Math.min(least, Math.hypot(cx + dx - obs[c], cy + dy - obs[c + 1]) - r, Math.hypot(cx - dx - obs[c], cy - dy - obs[c + 1]) - r);
    }
    return least;
  }

  private next(w: number, phase: number): void {
    this.phase[w] = phase;
    this.counter[w] = 0;
  }
}
