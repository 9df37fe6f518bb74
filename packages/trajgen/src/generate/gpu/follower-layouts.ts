/**
 * The structs and buffer layouts of the GPU waypoint follower, each defined once: the WGSL
 * declarations (`wgslStruct`) and the TS views (`structView`) both come from these.
 *
 * Per world `w`, a chunk of `chunkSteps` (R) control steps uses
 * - `waypoints`: R rows of {@link WAYPOINT_WORDS} f32 from `w · R · WAYPOINT_WORDS`: the target
 *   pose [x, y, z, qx, qy, qz, qw], the gripper command and the noise std of each step;
 * - `follow`: one {@link FollowState} (the host writes attempt, t and count; the kernels done,
 *   end and object);
 * - `ring`: the rows the chunk's steps produced, field after field from `w · R · rowWords(obsSize)`:
 *   R observations after each step (obsSize words), R actions (7), R rewards (1), R output
 *   flags (1, u32). Words are copied bit for bit from the Sim's buffers.
 */
import { defineStruct } from '@gripgen/shaders';

/** f32 per waypoint: pose (7), gripper, noise std. */
export const WAYPOINT_WORDS = 9;

/** Words per step row of the ring for observations of `obsSize` f32. */
export function rowWords(obsSize: number): number {
  return obsSize + 9;
}

/** `FollowState.end`: how the world's attempt ended during the chunk (0: it did not). */
export const FOLLOW_END = {
  none: 0,
  /** The world blew up (the Sim's fault flag) and was reset. */
  fault: 1,
  /** An object's centre fell below the workspace's floor (`objectBelowTable`). */
  objectBelowTable: 2,
  /** An object's centre left the workspace's sides or ceiling (`objectOutsideWorkspace`). */
  objectOutsideWorkspace: 3,
} as const;

/** `FollowerConfig.eefQuat` when the observation has no end-effector orientation. */
export const NO_QUAT = 0xffffffff;

/**
 * One world's follower state for a chunk: `attempt` (noise key), `t` (the attempt's step at the
 * chunk's start), `count` (waypoints this chunk), `done` (steps run so far), `end`
 * ({@link FOLLOW_END}) and `object` (with an `end` of 2 or 3: the object that left, index into
 * the workspace objects).
 */
export const FollowState = defineStruct('FollowState', [
  ['attempt', 'u32'],
  ['t', 'u32'],
  ['count', 'u32'],
  ['done', 'u32'],
  ['end', 'u32'],
  ['object', 'u32'],
]);

/** Index of each {@link FollowState} field within a world's u32 words. */
export const STATE_WORD = Object.fromEntries(FollowState.fields.map((f) => [f.name, f.offset / 4])) as Readonly<
  Record<'attempt' | 't' | 'count' | 'done' | 'end' | 'object', number>
>;

/**
 * Constants of the follower's kernels: sizes, where things sit in the Sim's output rows (words),
 * the end effector's pose in the observation, the noise key, the controller's per-step limits
 * and the workspace box.
 */
export const FollowerConfig = defineStruct('FollowerConfig', [
  ['numWorlds', 'u32'],
  ['chunkSteps', 'u32'],
  ['obsSize', 'u32'],
  ['outputStride', 'u32'],
  ['obsOffset', 'u32'],
  ['rewardOffset', 'u32'],
  ['flagsOffset', 'u32'],
  ['successBit', 'u32'],
  ['faultBit', 'u32'],
  ['eefPos', 'u32'],
  ['eefQuat', 'u32'],
  ['seed', 'u32'],
  ['noiseStream', 'u32'],
  ['numObjects', 'u32'],
  ['maxDeltaPosition', 'f32'],
  ['maxDeltaRotation', 'f32'],
  ['minX', 'f32'],
  ['minY', 'f32'],
  ['minZ', 'f32'],
  ['maxX', 'f32'],
  ['maxY', 'f32'],
  ['maxZ', 'f32'],
]);
