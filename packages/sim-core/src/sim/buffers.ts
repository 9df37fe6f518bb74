import { ACTION_SIZE, CONTROLLER_STATE_SIZE } from '../controller/ee-controller.js';
import { BODY_STATE_SIZE } from '../scene/scene-desc.js';

/** Sizes that fix the layout of the world-major buffers. */
export interface BufferShape {
  numWorlds: number;
  obsSize: number;
  numSignals: number;
  numParams: number;
  numBodies: number;
}

/** The world-major arrays a backend reads and writes (one row per world). */
export interface SimBuffers {
  actions: Float32Array;
  obs: Float32Array;
  reward: Float32Array;
  success: Uint8Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  fault: Uint8Array;
  /** 1 where the last step found more contacts than the solver keeps (webgpu only). */
  overflow: Uint8Array;
  /** Sub-signals, `numSignals` per world (entry 0 is success). */
  signals: Uint8Array;
  /** Randomized parameters of the current episode. */
  params: Float32Array;
  /** Episode index of each world (part of its randomization key). */
  episode: Uint32Array;
  /** World key of each world's randomization (its slot index unless `reset({ worldIds })` set it). */
  worldId: Uint32Array;
  /** Control steps since the world's last reset. */
  stepCount: Uint32Array;
  /** Controller state: target pose (7) and gripper command (1). */
  controller: Float64Array;
  /** Body states, BODY_STATE_SIZE floats per body. */
  bodies: Float32Array;
  /** Scratch mask for partial resets. */
  mask: Uint8Array;
}

type Ctor = Float32Array | Float64Array | Uint8Array | Uint32Array;
const KINDS = {
  f32: Float32Array,
  f64: Float64Array,
  u8: Uint8Array,
  u32: Uint32Array,
} as const;

function layout(s: BufferShape): Record<keyof SimBuffers, [keyof typeof KINDS, number]> {
  return {
    actions: ['f32', ACTION_SIZE],
    obs: ['f32', s.obsSize],
    reward: ['f32', 1],
    success: ['u8', 1],
    terminated: ['u8', 1],
    truncated: ['u8', 1],
    fault: ['u8', 1],
    overflow: ['u8', 1],
    signals: ['u8', s.numSignals],
    params: ['f32', s.numParams],
    episode: ['u32', 1],
    worldId: ['u32', 1],
    stepCount: ['u32', 1],
    controller: ['f64', CONTROLLER_STATE_SIZE],
    bodies: ['f32', s.numBodies * BODY_STATE_SIZE],
    mask: ['u8', 1],
  };
}

/** Memory behind a set of buffers: shareable with worker threads when `SharedArrayBuffer`s. */
export type BufferMemory = Record<keyof SimBuffers, SharedArrayBuffer | ArrayBuffer>;

/** Allocates the memory of every buffer (shared between threads if `shared`). */
export function allocateBufferMemory(shape: BufferShape, shared: boolean): BufferMemory {
  const out = {} as BufferMemory;
  for (const [name, [kind, perWorld]] of Object.entries(layout(shape))) {
    const bytes = KINDS[kind].BYTES_PER_ELEMENT * perWorld * shape.numWorlds;
    out[name as keyof SimBuffers] = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  }
  // Each world's randomization key starts as its slot index.
  const worldId = new Uint32Array(out.worldId);
  for (let w = 0; w < shape.numWorlds; w++) worldId[w] = w;
  return out;
}

/** Typed-array views over buffer memory. */
export function viewBuffers(shape: BufferShape, memory: BufferMemory): SimBuffers {
  const out = {} as Record<keyof SimBuffers, Ctor>;
  for (const [name, [kind]] of Object.entries(layout(shape))) {
    out[name as keyof SimBuffers] = new KINDS[kind](memory[name as keyof SimBuffers] as ArrayBuffer);
  }
  return out as unknown as SimBuffers;
}
