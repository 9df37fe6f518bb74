/**
 * ONNX policies in the viewer (issue 18, item 4): a policy file's MLP exported with
 * `policyToOnnx`, picked with the policy file input, runs in onnxruntime-web's wasm execution
 * provider and gives the policy file's actions for the same observations; bad models are refused
 * with the messages `gripgen eval` gives (the contract code is shared); nothing is fetched from
 * anywhere but the viewer's own server.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import type { ElementHandle } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES, ACTION_SIZE, getTask } from '@gripgen/sim-core';
import { BcPolicy, initMlpParams, mlpSpec } from '@gripgen/runner/browser';
import { policyToOnnx } from '@gripgen/runner/onnx';
import { loadOnnxPolicy } from '../../../packages/runner/src/policy/onnx-policy-node.js';
import { launchChrome } from '../../../bench/src/browser/launch-chrome.js';
import { VIEWER_CHROME_ARGS } from '../node/chrome-args.js';
import { hook, openViewer, startViewerServer, type ViewerPage, type ViewerServer } from '../node/serve-viewer.js';
import type { ViewerHook } from '../src/test-hook.js';

type Browser = Awaited<ReturnType<typeof launchChrome>>;

/** |viewer − policy file| ≤ TOLERANCE · (1 + |policy file|) per action value (f32 sums in another order). */
const TOLERANCE = 1e-4;
const WORLDS = 3;
const obsNames = getTask('pick-place').obsNames;
let server: ViewerServer;
let browser: Browser;
let viewer: ViewerPage;
let scratch: string;
/** Every URL the page requested after it opened. */
const requests: string[] = [];

/** A chunk-3 MLP with non-trivial normalization (every Sub/Div/Mul/Add of the export matters). */
const spec = mlpSpec({ obsSize: obsNames.length, actionSize: ACTION_SIZE, chunk: 3, hidden: [16] });
const wave = (n: number, scale: number, offset: number, phase: number) => Float32Array.from({ length: n }, (_, i) => offset + scale * Math.sin(3.7 * i + phase));
const policy = new BcPolicy({
  spec,
  params: initMlpParams(spec, 11),
  normalization: {
    obs: { mean: wave(spec.obsSize, 0.1, 0, 0), std: wave(spec.obsSize, 0.4, 1, 1) },
    action: { mean: wave(ACTION_SIZE, 0.01, 0, 2), std: wave(ACTION_SIZE, 0.01, 0.03, 3) },
  },
  obsNames: [...obsNames],
  actionNames: ACTION_NAMES,
  binaryActions: [{ index: ACTION_SIZE - 1, low: -1, high: 1 }],
});

/** The export of `policy`, edited as a decoded ModelProto, written to `name`; returns its path. */
async function variant(name: string, edit: (model: ReturnType<typeof onnxProto.onnx.ModelProto.decode>) => void = () => undefined): Promise<string> {
  const model = onnxProto.onnx.ModelProto.decode(policyToOnnx(policy));
  edit(model);
  const path = join(scratch, name);
  await writeFile(path, onnxProto.onnx.ModelProto.encode(model).finish());
  return path;
}

async function pick(path: string): Promise<void> {
  const input = (await viewer.page.$('#policy-file')) as ElementHandle<HTMLInputElement> | null;
  if (!input) throw new Error('no #policy-file input');
  await input.uploadFile(path);
}

/** The viewer's raw actions for its worlds' current observations against the policy file's. */
async function expectPolicyFileActions(): Promise<number[]> {
  const got = await hook(viewer.page, 'policyActions');
  if (!got) throw new Error('no policy drives the worlds');
  expect(got.obs).toHaveLength(WORLDS * spec.obsSize);
  const expected = policy.act(Float32Array.from(got.obs), WORLDS);
  expect(got.actions).toHaveLength(WORLDS * spec.chunk * ACTION_SIZE);
  const worst = Math.max(...got.actions.map((a, j) => Math.abs(a - expected[j]) / (1 + Math.abs(expected[j]))));
  expect(worst).toBeLessThanOrEqual(TOLERANCE);
  return got.obs;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gripgen-viewer-onnx-'));
  server = await startViewerServer();
  browser = await launchChrome({ extraArgs: VIEWER_CHROME_ARGS });
  viewer = await openViewer(browser, server, `?play=0&worlds=${WORLDS}&preset=narrow&seed=0`);
  viewer.page.on('request', (request) => requests.push(request.url()));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('ONNX policies in the viewer (onnxruntime-web, wasm)', () => {
  it(`drives the worlds with an exported policy file, its actions the policy file's within ${TOLERANCE}`, async () => {
    await pick(await variant('tiny.onnx'));
    await viewer.page.waitForFunction(
      () => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.state().source === 'policy tiny.onnx',
      { timeout: 60_000 },
    );
    const first = await expectPolicyFileActions();
    await hook(viewer.page, 'step', 5);
    expect((await hook(viewer.page, 'state')).stepsTaken).toBe(5);
    const later = await expectPolicyFileActions();
    // The worlds moved: the second comparison is on other observations.
    expect(later.some((v, i) => Math.abs(v - first[i]) > 1e-4)).toBe(true);
    const panel = await viewer.page.$eval('#inspect', (e) => e.textContent ?? '');
    expect(panel).toContain('tiny.onnx (ONNX, onnxruntime-web wasm, chunk 3, ensemble)');
    // The model's gripgen.binary_actions went to the executor: the gripper command is snapped.
    expect(panel).toMatch(/command(open|close) \((-1\.00|1\.00)\)/);
    expect(viewer.errors).toEqual([]);
    // Offline: the runtime and its .wasm came from the viewer's build, nothing from a CDN.
    expect(requests.some((url) => /ort-wasm-simd-threaded.*\.wasm$/.test(url))).toBe(true);
    expect(requests.filter((url) => !url.startsWith(server.url) && !/^(data|blob):/.test(url))).toEqual([]);
  });

  it('refuses bad models with the messages gripgen eval gives, and keeps the worlds running', async () => {
    const target = { obsNames, actionSize: ACTION_SIZE };
    const bad = [
      await variant('fixed.onnx', (m) => (m.graph!.input![0].type!.tensorType!.shape!.dim![0] = { dimValue: 64 })),
      await variant('names.onnx', (m) => (m.metadataProps![0].value = '["a", "b"]')),
    ];
    for (const path of bad) {
      const name = path.slice(scratch.length + 1);
      const nodeError = await loadOnnxPolicy(path, target).then(
        () => '',
        (error: Error) => error.message.replaceAll(path, name),
      );
      expect(nodeError).toMatch(new RegExp(`^ONNX model ${name}: (input 'obs' has a fixed batch of 64|metadata 'gripgen.obs_names' names 2 observations; the task has 21)`));
      await pick(path);
      await viewer.page.waitForFunction((n) => document.getElementById('error')?.textContent?.includes(n), { timeout: 30_000 }, name);
      expect(await viewer.page.$eval('#error', (e) => e.textContent)).toBe(nodeError);
    }
    const junk = join(scratch, 'junk.onnx');
    await writeFile(junk, 'not a model');
    await pick(junk);
    await viewer.page.waitForFunction(() => document.getElementById('error')?.textContent?.includes('junk.onnx'), { timeout: 30_000 });
    expect(await viewer.page.$eval('#error', (e) => e.textContent)).toMatch(/^ONNX model junk\.onnx: (not an ONNX model|onnxruntime cannot load it)/);
    expect(viewer.errors).toHaveLength(3);
    const state = await hook(viewer.page, 'state');
    expect(state.source).toBe('policy tiny.onnx');
    await hook(viewer.page, 'step', 1);
    expect((await hook(viewer.page, 'state')).stepsTaken).toBe(state.stepsTaken + 1);
  });
});
