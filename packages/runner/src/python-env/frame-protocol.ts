/**
 * The binary protocol between the Python package (`python/gripgen/protocol.py`, its mirror) and
 * `serve-vector-env.ts`. Every message is a frame: `u32 kind`, `u32 payload bytes`, payload;
 * little-endian. Arrays travel as raw little-endian bytes; only the one-off spec is JSON.
 *
 * Requests (Python → Node): `RESET` (u32 hasSeed, u32 seed), `STEP` (f32 actions, numEnvs × 7),
 * `CLOSE` (empty). Replies (Node → Python): `READY` once at start (UTF-8 JSON, {@link ServerSpec}),
 * `RESULT` for a reset or step ({@link resultLayout}), `ERROR` (UTF-8 message; the env is
 * unchanged and keeps serving, except when it could not start), `CLOSED`.
 */
import type { VectorEnvReset, VectorEnvStep } from '@gripgen/sim-core';

/** Frame kinds. */
export const FRAME = {
  RESET: 1,
  STEP: 2,
  CLOSE: 3,
  READY: 10,
  RESULT: 11,
  ERROR: 12,
  CLOSED: 13,
} as const;

/** Bytes of a frame header. */
export const HEADER_BYTES = 8;

/** The env's description, sent once as JSON in the `READY` frame. */
export interface ServerSpec {
  protocol: 1;
  taskId: string;
  backend: string;
  numEnvs: number;
  obsSize: number;
  obsNames: readonly string[];
  actionSize: number;
  actionNames: readonly string[];
  actionLow: number[];
  actionHigh: number[];
  maxEpisodeSteps: number;
  seed: number;
  endReasonNames: readonly string[];
  autoresetMode: 'next-step';
}

/**
 * Byte offsets of a `RESULT` payload for `numEnvs` worlds of `obsSize` floats: obs (f32),
 * rewards (f32), episode (u32), episodeStep (u32), then one byte per world each of
 * terminations, truncations, endReason, success, autoreset.
 */
export function resultLayout(numEnvs: number, obsSize: number) {
  const obs = 0;
  const rewards = obs + numEnvs * obsSize * 4;
  const episode = rewards + numEnvs * 4;
  const episodeStep = episode + numEnvs * 4;
  const terminations = episodeStep + numEnvs * 4;
  const truncations = terminations + numEnvs;
  const endReason = truncations + numEnvs;
  const success = endReason + numEnvs;
  const autoreset = success + numEnvs;
  return { obs, rewards, episode, episodeStep, terminations, truncations, endReason, success, autoreset, bytes: autoreset + numEnvs };
}

/** A frame header followed by `payload` bytes of room; write the payload at `HEADER_BYTES`. */
export function allocateFrame(kind: number, payloadBytes: number): Buffer {
  const frame = Buffer.alloc(HEADER_BYTES + payloadBytes);
  frame.writeUInt32LE(kind, 0);
  frame.writeUInt32LE(payloadBytes, 4);
  return frame;
}

/** A frame holding UTF-8 `text` (READY's JSON, ERROR's message). */
export function textFrame(kind: number, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const frame = allocateFrame(kind, body.length);
  body.copy(frame, HEADER_BYTES);
  return frame;
}

/** Writes a reset or step result into `frame` (a `RESULT` frame of `resultLayout(...).bytes`). */
export function writeResult(frame: Buffer, r: VectorEnvReset | VectorEnvStep, numEnvs: number, obsSize: number): Buffer {
  const at = resultLayout(numEnvs, obsSize);
  const put = (offset: number, view: ArrayBufferView) => {
    frame.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), HEADER_BYTES + offset);
  };
  put(at.obs, r.obs);
  if ('rewards' in r) {
    put(at.rewards, r.rewards);
    put(at.terminations, r.terminations);
    put(at.truncations, r.truncations);
  } else {
    frame.fill(0, HEADER_BYTES + at.rewards, HEADER_BYTES + at.episode);
    frame.fill(0, HEADER_BYTES + at.terminations, HEADER_BYTES + at.endReason);
  }
  put(at.episode, r.infos.episode);
  put(at.episodeStep, r.infos.episodeStep);
  put(at.endReason, r.infos.endReason);
  put(at.success, r.infos.success);
  put(at.autoreset, r.infos.autoreset);
  return frame;
}

/** Splits a byte stream into frames: `push` chunks as they arrive, `next` returns a whole frame or null. */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  next(): { kind: number; payload: Buffer } | null {
    if (this.buffered < HEADER_BYTES) return null;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [all];
    const bytes = all.readUInt32LE(4);
    if (this.buffered < HEADER_BYTES + bytes) return null;
    const kind = all.readUInt32LE(0);
    const payload = all.subarray(HEADER_BYTES, HEADER_BYTES + bytes);
    const rest = all.subarray(HEADER_BYTES + bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return { kind, payload };
  }
}
