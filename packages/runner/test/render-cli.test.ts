/**
 * `gripgen render` (child processes, asynchronous): a 4-world, 20-step pick-place rollout with
 * the scripted expert, drawn by the viewer in headless Chrome and encoded by ffmpeg, read back
 * with ffprobe (frame count, size, rate) and ffmpeg (decoded frames: the worlds are drawn and
 * move); the GIF path of the encoder; the errors for a bad extension, a missing ffmpeg, a
 * policy for another task.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PHYSICS } from '@gripgen/sim-core';
import { BcPolicy } from '../src/policy/policy.js';
import { encodePolicy } from '../src/policy/policy-file.js';
import { policyToOnnx } from '../src/policy/onnx-export.js';
import { initMlpParams, mlpSpec } from '../src/policy/mlp.js';
import { startVideoEncoder } from '../src/render/ffmpeg-video.js';
import { gripgenProcess } from './cli-process.js';

const WORLDS = 4;
const STEPS = 20;
const WIDTH = 320;
const HEIGHT = 240;

/** Runs a tool asynchronously; resolves with its stdout as bytes. */
function run(file: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'buffer', maxBuffer: 1 << 28, timeout: 60_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stderr.toString()}`)) : resolve(stdout),
    );
  });
}

const hasFfmpeg = await run('ffmpeg', ['-hide_banner', '-version']).then(
  () => true,
  () => false,
);

/** Frame count (decoded), size and rate of a video's first stream, by ffprobe. */
async function probe(path: string): Promise<{ frames: number; width: number; height: number; rate: string }> {
  const json = JSON.parse(
    (await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,nb_read_frames,r_frame_rate', '-of', 'json', path])).toString(),
  ) as { streams: { width: number; height: number; nb_read_frames: string; r_frame_rate: string }[] };
  const s = json.streams[0];
  return { frames: Number(s.nb_read_frames), width: s.width, height: s.height, rate: s.r_frame_rate };
}

/** Frame `index` of a video decoded to RGB bytes. */
async function decodeFrame(path: string, index: number): Promise<Uint8Array> {
  return run('ffmpeg', ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${index})`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
}

/** Variance of the pixels' luma (0–255 scale). */
function lumaVariance(rgb: Uint8Array): number {
  let sum = 0, sumSq = 0;
  const n = rgb.length / 3;
  for (let i = 0; i < rgb.length; i += 3) {
    const y = 0.299 * rgb[i] + 0.587 * rgb[i + 1] + 0.114 * rgb[i + 2];
    sum += y;
    sumSq += y * y;
  }
  return sumSq / n - (sum / n) ** 2;
}

/** Fraction of pixels farther than `tolerance` (max channel difference) from the colour of the top-left pixel (the background). */
function nonBackgroundFraction(rgb: Uint8Array, tolerance = 24): number {
  let count = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    if (Math.max(Math.abs(rgb[i] - rgb[0]), Math.abs(rgb[i + 1] - rgb[1]), Math.abs(rgb[i + 2] - rgb[2])) > tolerance) count++;
  }
  return count / (rgb.length / 3);
}

/** Fraction of pixels that differ by more than `tolerance` between two frames. */
function changedFraction(a: Uint8Array, b: Uint8Array, tolerance = 24): number {
  let count = 0;
  for (let i = 0; i < a.length; i += 3) {
    if (Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2])) > tolerance) count++;
  }
  return count / (a.length / 3);
}

describe.skipIf(!hasFfmpeg)('gripgen render (ffmpeg: install Debian\'s ffmpeg, npm run setup, to run these)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gripgen-render-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders an expert rollout of 4 worlds: one frame per step at the asked size, the worlds drawn and moving', async () => {
    const out = join(dir, 'rollout.mp4');
    const r = await gripgenProcess(
      ['render', '--task', 'pick-place', '--expert', '--worlds', String(WORLDS), '--steps', String(STEPS), '--seed', '3', '--size', `${WIDTH}x${HEIGHT}`, '--out', out],
      { timeoutMs: 240_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${out} (${STEPS} frames, ${WIDTH}x${HEIGHT}, ${DEFAULT_PHYSICS.controlHz} fps)`);
    expect(r.stderr).toMatch(/render 100% 20\/20/);

    expect(await probe(out)).toEqual({ frames: STEPS, width: WIDTH, height: HEIGHT, rate: `${DEFAULT_PHYSICS.controlHz}/1` });
    const first = await decodeFrame(out, 0);
    const last = await decodeFrame(out, STEPS - 1);
    expect(first.length).toBe(WIDTH * HEIGHT * 3);
    // Not blank: the worlds' floors, fixtures and grippers cover much of the frame, with contrast.
    for (const frame of [first, last]) {
      expect(nonBackgroundFraction(frame)).toBeGreaterThan(0.25);
      expect(lumaVariance(frame)).toBeGreaterThan(50);
    }
    // The expert moves the grippers: the last frame is not the first.
    expect(changedFraction(first, last)).toBeGreaterThan(0.001);

    // The encoder's GIF path: the decoded frames back in, as a GIF with as many frames.
    const gif = join(dir, 'rollout.gif');
    const frames = join(dir, 'frame-%03d.png');
    await run('ffmpeg', ['-v', 'error', '-i', out, frames]);
    const encoder = startVideoEncoder(gif, DEFAULT_PHYSICS.controlHz);
    for (let i = 1; i <= STEPS; i++) await encoder.write(await readFile(join(dir, `frame-${String(i).padStart(3, '0')}.png`)));
    await encoder.finish();
    const g = await probe(gif);
    expect([g.frames, g.width, g.height]).toEqual([STEPS, WIDTH, HEIGHT]);
  });

  it('names what is wrong: the extension, a missing ffmpeg, a policy for another task', async () => {
    const bad = await gripgenProcess(['render', '--out', join(dir, 'rollout.avi')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('one of .mp4, .webm, .gif; got ".avi"');

    const noFfmpeg = await gripgenProcess(['render', '--steps', '2', '--out', join(dir, 'x.mp4')], { env: { FFMPEG: join(dir, 'no-ffmpeg') } });
    expect(noFfmpeg.status).toBe(1);
    expect(noFfmpeg.stderr).toContain('cannot run ffmpeg');
    expect(noFfmpeg.stderr).toContain('apt-get install ffmpeg');

    const policyPath = join(dir, 'three-obs.policy.json');
    const spec = mlpSpec({ obsSize: 3, actionSize: 7, hidden: [8] });
    const stats = (n: number) => ({ mean: new Float32Array(n), std: new Float32Array(n).fill(1) });
    await writeFile(policyPath, encodePolicy(new BcPolicy({ spec, params: initMlpParams(spec, 1), normalization: { obs: stats(3), action: stats(7) } })));
    const wrong = await gripgenProcess(['render', '--task', 'pick-place', '--policy', policyPath, '--out', join(dir, 'x.mp4')]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/maps 3 observations to 7 actions; task pick-place has \d+ and 7/);

    // An ONNX model is checked against the contract before Chrome starts: this one reads 3 observations.
    const onnxPath = join(dir, 'three-obs.onnx');
    await writeFile(onnxPath, policyToOnnx(new BcPolicy({ spec, params: initMlpParams(spec, 1), normalization: { obs: stats(3), action: stats(7) } })));
    const wrongOnnx = await gripgenProcess(['render', '--task', 'pick-place', '--policy', onnxPath, '--out', join(dir, 'x.mp4')]);
    expect(wrongOnnx.status).toBe(2);
    expect(wrongOnnx.stderr).toMatch(/three-obs\.onnx.*3/);
    const text = await gripgenProcess(['render', '--policy', join(dir, 'policy.txt'), '--out', join(dir, 'x.mp4')]);
    expect(text.status).toBe(2);
    expect(text.stderr).toContain('gripgen policy files (.json) and ONNX models (.onnx); got ".txt"');
  });
});
