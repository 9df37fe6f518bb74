/**
 * The viewer's second half in headless Chrome: teleoperation moves the gripper by the keys'
 * per-step motion; a demo recorded by keyboard is exported as a zip that trajgen reads and
 * `gripgen generate --source` generates from; a generated dataset picked with the file input
 * plays, and scrubbing its timeline changes the drawn frame.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyInput, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSim } from '@gripgen/sim-core';
import { generateDataset, openDataset, readSourceDemos, readZip, recordExpertDemos, segmentDemo, getDatagenTask } from '@gripgen/trajgen';
import { generateCommand } from '../../../packages/runner/src/cli/generate-command.js';
import { launchChrome } from '../../../bench/src/browser/launch-chrome.js';
import { VIEWER_CHROME_ARGS } from '../node/chrome-args.js';
import { decodePng } from '../node/png.js';
import { hook, openViewer, startViewerServer, type ViewerPage, type ViewerServer } from '../node/serve-viewer.js';
import type { ViewerHook } from '../src/test-hook.js';

type Browser = Awaited<ReturnType<typeof launchChrome>>;

let server: ViewerServer;
let browser: Browser;
let viewer: ViewerPage;
let scratch: string;
/** A small generated dataset (2 episodes) for the playback test. */
let datasetDir: string;

async function makeDataset(dir: string): Promise<void> {
  const demos = await recordExpertDemos({ count: 1, randomization: 'narrow', seed: 0, threads: 0 });
  await generateDataset({ demos, out: dir, worlds: 4, backend: 'rapier', threads: 0, randomization: 'narrow', seed: 5, config: { numTrials: 2, guarantee: true } });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gripgen-viewer-teleop-'));
  datasetDir = join(scratch, 'dataset');
  const [s] = await Promise.all([startViewerServer(), makeDataset(datasetDir)]);
  server = s;
  browser = await launchChrome({ extraArgs: VIEWER_CHROME_ARGS });
  viewer = await openViewer(browser, server, '?play=0&source=teleop&preset=narrow&seed=0');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

const TCP = ['ee_pos_x', 'ee_pos_y', 'ee_pos_z'] as const;

describe('teleoperation in headless Chrome', () => {
  it('moves the gripper by one step per control step of a held key, and closes and opens it', async () => {
    const page = viewer.page;
    const state = await hook(page, 'state');
    expect(state).toMatchObject({ numWorlds: 1, preset: 'narrow', source: 'teleop (keyboard)', playing: false });
    // The bindings are on the page.
    const keys = await page.$eval('#teleop-keys', (e) => e.textContent ?? '');
    for (const text of ['W', 'S', 'A', 'D', 'E', 'Q', 'Z', 'X', 'C', 'O', 'toward you (+x)', 'close gripper', 'record']) expect(keys).toContain(text);

    const k = 5;
    const before = (await hook(page, 'observe')).obs;
    await page.keyboard.down('KeyS'); // +x
    await hook(page, 'step', k);
    await page.keyboard.up('KeyS');
    await hook(page, 'step', 2); // let the hand settle on its target (no key held: no motion)
    const after = (await hook(page, 'observe')).obs;
    expect(after.ee_pos_x - before.ee_pos_x).toBeGreaterThan(k * 0.01 - 0.006);
    expect(after.ee_pos_x - before.ee_pos_x).toBeLessThan(k * 0.01 + 0.006);
    expect(Math.abs(after.ee_pos_y - before.ee_pos_y)).toBeLessThan(0.003);
    expect(Math.abs(after.ee_pos_z - before.ee_pos_z)).toBeLessThan(0.003);

    // A tap between two steps counts for one step: up by 1 cm.
    await page.keyboard.press('KeyE');
    await hook(page, 'step', 3);
    const up = (await hook(page, 'observe')).obs;
    expect(up.ee_pos_z - after.ee_pos_z).toBeGreaterThan(0.007);
    expect(up.ee_pos_z - after.ee_pos_z).toBeLessThan(0.013);

    // Close: the command latches to +1 and the fingers close (no cube between them here).
    const open = up.gripper_opening;
    await page.keyboard.press('KeyC');
    await hook(page, 'step', 10);
    const closed = await hook(page, 'observe');
    expect(closed.gripperCommand).toBe(1);
    expect(closed.obs.gripper_opening).toBeLessThan(open - 0.03);
    await page.keyboard.press('KeyO');
    await hook(page, 'step', 10);
    const reopened = await hook(page, 'observe');
    expect(reopened.gripperCommand).toBe(-1);
    expect(reopened.obs.gripper_opening).toBeGreaterThan(open - 0.005);
    expect(viewer.errors).toEqual([]);
  });

  it('records a keyboard demo that trajgen loads and `gripgen generate --source` generates from', async () => {
    const page = viewer.page;
    await page.keyboard.press('KeyN');
    await page.waitForFunction(() => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.recording().state === 'recording', { timeout: 30_000 });
    await hook(page, 'step', 1); // pauses the playing started by Record

    // A person at the keyboard, played by a loop: hold the keys that move the TCP toward the
    // phase's target, one control step at a time.
    const held = new Set<KeyInput>();
    const axisKeys: [KeyInput, KeyInput][] = [['KeyS', 'KeyW'], ['KeyD', 'KeyA'], ['KeyE', 'KeyQ']];
    const hold = async (wanted: Set<KeyInput>) => {
      for (const key of [...held]) if (!wanted.has(key)) { await page.keyboard.up(key); held.delete(key); }
      for (const key of wanted) if (!held.has(key)) { await page.keyboard.down(key); held.add(key); }
    };
    let phase: 'approach' | 'descend' | 'close' | 'lift' | 'carry' | 'lower' | 'release' = 'approach';
    let counter = 0;
    for (let step = 0; step < 400; step++) {
      const { obs, signals } = await hook(page, 'observe');
      const recording = await hook(page, 'recording');
      if (recording.state === 'finished') break;
      const ee = TCP.map((n) => obs[n]);
      const cube = [obs.cube_pos_x, obs.cube_pos_y, obs.cube_pos_z];
      const bin = [obs.bin_pos_x, obs.bin_pos_y];
      let target = ee;
      if (phase === 'approach') target = [cube[0], cube[1], cube[2] + 0.08];
      else if (phase === 'descend') target = [cube[0], cube[1], cube[2]];
      else if (phase === 'lift') target = [ee[0], ee[1], 0.16];
      else if (phase === 'carry') target = [bin[0], bin[1], 0.16];
      else if (phase === 'lower') target = [bin[0], bin[1], 0.09];
      const error = target.map((v, i) => v - ee[i]);
      const near = (tolerance: number) => error.every((e) => Math.abs(e) < tolerance);
      if (phase === 'approach' && near(0.006)) phase = 'descend';
      else if (phase === 'descend' && near(0.006)) { phase = 'close'; await page.keyboard.press('KeyC'); }
      else if (phase === 'close' && (signals.isGrasped === 1 || ++counter > 12)) phase = 'lift';
      else if (phase === 'lift' && near(0.008)) phase = 'carry';
      else if (phase === 'carry' && near(0.006)) phase = 'lower';
      else if (phase === 'lower' && near(0.008)) { phase = 'release'; await page.keyboard.press('KeyO'); }
      const wanted = new Set<KeyInput>();
      if (phase !== 'close' && phase !== 'release') {
        error.forEach((e, i) => {
          if (e > 0.005) wanted.add(axisKeys[i][0]);
          else if (e < -0.005) wanted.add(axisKeys[i][1]);
        });
      }
      await hold(wanted);
      await hook(page, 'step', 1);
    }
    await hold(new Set());
    const recorded = await hook(page, 'recording');
    expect(recorded.state, `ended in phase ${phase}`).toBe('finished');
    expect(recorded.successStep).toBeGreaterThan(0);
    await page.keyboard.press('KeyK');
    const kept = (await hook(page, 'recording')).kept;
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ success: true, length: recorded.steps });
    expect(await page.$eval('#demo-list', (e) => e.textContent ?? '')).toContain('success');

    // Export with the button, as a download.
    const downloads = join(scratch, 'downloads');
    await mkdir(downloads);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('#export-demos');
    const zip = join(downloads, 'gripgen-teleop-demos.zip');
    let bytes: Buffer | undefined;
    for (let i = 0; i < 100 && !bytes; i++) {
      bytes = await readFile(zip).catch(() => undefined);
      if (!bytes) await new Promise((r) => setTimeout(r, 100));
    }
    expect(bytes, 'the export was downloaded').toBeDefined();
    expect(Buffer.from(await hook(page, 'exportDemos'), 'base64').equals(bytes!)).toBe(true);

    // trajgen reads the zip as it is, and its files are a source-demo folder.
    const [demo] = await readSourceDemos(zip);
    expect(demo).toMatchObject({ id: kept[0].id, task: 'pick-place', recordedBy: 'teleop', randomization: 'narrow', length: recorded.steps });
    expect(demo.world.seed).toBe(0);
    expect(demo.signals.success[recorded.successStep]).toBe(1);
    expect(segmentDemo(demo, getDatagenTask('pick-place').subtasks)).toHaveLength(2);
    const folder = join(scratch, 'teleop-demos');
    await mkdir(folder);
    for (const entry of readZip(new Uint8Array(bytes!), zip)) await writeFile(join(folder, entry.name), entry.data);
    expect(await readSourceDemos(folder)).toEqual([demo]);

    // gripgen generate --source <folder>: a short run on Rapier.
    const out = join(scratch, 'generated');
    const code = await generateCommand(['--source', folder, '--out', out, '--config', '{"numTrials": 6}', '--worlds', '6', '--backend', 'rapier', '--randomization', 'narrow', '--threads', '0', '--json']);
    expect(code).toBe(0);
    const dataset = await openDataset(out);
    expect(dataset.manifest.sourceDemoIds).toEqual([demo.id]);
    expect(dataset.manifest.counts.attempts).toBe(6);
    expect(dataset.count).toBeGreaterThanOrEqual(1);
    const [episode] = await dataset.take(1);
    expect(episode.success).toBe(true);
    expect([...new Set(episode.srcDemoLabels)]).toEqual([0]);
    expect(viewer.errors).toEqual([]);
  });
});

describe('dataset playback in headless Chrome', () => {
  it('loads a dataset picked with the file input; scrubbing the timeline changes the frame', async () => {
    const page = viewer.page;
    const dataset = await openDataset(datasetDir);
    const files = [join(datasetDir, 'manifest.json'), ...dataset.manifest.shards.map((s) => join(datasetDir, s.file))];
    const input = await page.$('#dataset-files');
    await (input as unknown as { uploadFile(...paths: string[]): Promise<void> }).uploadFile(...files);
    await page.waitForFunction(() => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.timeline() !== null, { timeout: 30_000 });
    expect(await page.$eval('#timeline', (e) => (e as HTMLElement).hidden)).toBe(false);
    const episodes = await dataset.toArray();
    const position = await hook(page, 'timeline');
    expect(position).toMatchObject({ episode: 0, numEpisodes: episodes.length, step: 0, length: episodes[0].length, subtask: 'grasp' });
    expect(await page.$$eval('#timeline-bands .band.subtask', (b) => b.map((e) => e.getAttribute('data-subtask')))).toEqual(['grasp', 'place']);

    // The world is drawn with the parameters of the episode's world key (the colour of its cube).
    const { world } = episodes[0];
    const sim = await createSim({ task: 'pick-place', numWorlds: 1, backend: 'rapier', threads: 0, seed: world.seed, randomization: 'narrow' });
    await sim.reset({ episodes: [world.episode], worldIds: [world.worldId] });
    const hue = sim.params(0).cubeHue;
    await sim.dispose();
    expect((await hook(page, 'objectProbe')).hue).toBeCloseTo(hue, 6);

    const focusRect = await page.$eval('#focus-canvas', (c) => {
      const r = c.getBoundingClientRect();
      return { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) - 90 };
    });
    const shot = async () => decodePng(await page.screenshot({ type: 'png', clip: focusRect }));
    await hook(page, 'seek', 0);
    const first = await shot();
    // Scrub with the slider itself to the step after the grasp (the cube lifted).
    const t = Math.min(episodes[0].length - 1, episodes[0].subtaskStarts[1] + 15);
    await page.$eval('#timeline-range', (e, value) => {
      (e as HTMLInputElement).value = String(value);
      e.dispatchEvent(new Event('input', { bubbles: true }));
    }, t);
    await page.waitForFunction((step) => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.timeline()?.step === step, { timeout: 10_000 }, t);
    await hook(page, 'whenDrawn');
    const later = await shot();
    const at = await hook(page, 'timeline');
    expect(at).toMatchObject({ step: t, subtask: 'place', srcDemo: episodes[0].srcDemoLabels[t] });
    expect(await page.$eval('#timeline-label', (e) => e.textContent ?? '')).toContain(`step ${t} /`);
    let changed = 0;
    for (let i = 0; i < first.data.length; i += 4) {
      if (Math.abs(first.data[i] - later.data[i]) + Math.abs(first.data[i + 1] - later.data[i + 1]) + Math.abs(first.data[i + 2] - later.data[i + 2]) > 30) changed++;
    }
    expect(changed).toBeGreaterThan(200);
    // Back to step 0: the same picture as before.
    await hook(page, 'seek', 0);
    const again = await shot();
    let same = 0;
    for (let i = 0; i < first.data.length; i += 4) if (first.data[i] === again.data[i] && first.data[i + 1] === again.data[i + 1]) same++;
    expect(same / (first.data.length / 4)).toBeGreaterThan(0.99);
    expect((await hook(page, 'observe')).step).toBe(0);
    expect(viewer.errors).toEqual([]);
  });
});
