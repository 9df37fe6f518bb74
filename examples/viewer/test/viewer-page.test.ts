/**
 * The viewer in headless Chrome (the benchmarks' launcher, WebGPU on SwiftShader where there is
 * no GPU), built with Vite and served locally: it starts without console errors, draws the
 * focused world's cube in the cube's randomized colour exactly where the cube's centre projects,
 * focuses the world clicked in the grid, shows the scripted expert lifting the cube, the grip
 * force while it holds it, and the contacts when they are toggled on; then runs every
 * registered task chosen in the task menu.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES, getTask, PICK_PLACE_OBS_NAMES, taskIds } from '@gripgen/sim-core';
import { hueDistance, rgbToHsv } from '@gripgen/sim-core/render';
// The runner's browser-safe entry (its index also pulls in Node-only code).
import { BcPolicy, encodePolicy, initMlpParams, mlpSpec } from '@gripgen/runner/browser';
import { launchChrome } from '../../../bench/src/browser/launch-chrome.js';
import { VIEWER_CHROME_ARGS } from '../node/chrome-args.js';
import { decodePng, type RgbaImage } from '../node/png.js';
import { hook, openViewer, startViewerServer, type ViewerPage, type ViewerServer } from '../node/serve-viewer.js';
import type { ObjectProbe, ViewerHook } from '../src/test-hook.js';

type Browser = Awaited<ReturnType<typeof launchChrome>>;

const WORLDS = 4;
let server: ViewerServer;
let browser: Browser;
let viewer: ViewerPage;
let scratch: string;

/** A screenshot of the whole viewport, decoded. */
async function screenshot(page: Page): Promise<RgbaImage> {
  return decodePng(await page.screenshot({ type: 'png' }));
}

/** HSV of the pixels within `radius` of (`x`, `y`). */
function disc(image: RgbaImage, x: number, y: number, radius: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  const r = Math.max(0, Math.floor(radius));
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      if (dx * dx + dy * dy > r * r) continue;
      const px = Math.round(x) + dx, py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= image.width || py >= image.height) continue;
      const i = (py * image.width + px) * 4;
      out.push(rgbToHsv(image.data[i] / 255, image.data[i + 1] / 255, image.data[i + 2] / 255));
    }
  }
  return out;
}

/** Fraction of the pixels around the probe's centre whose colour is the cube's (hue within 0.04, saturated). */
function cubeColouredFraction(image: RgbaImage, probe: ObjectProbe, x = probe.x, y = probe.y): number {
  const pixels = disc(image, x, y, Math.min(4, probe.halfSize * 0.5));
  return pixels.filter(([h, s, v]) => hueDistance(h, probe.hue) < 0.04 && s > 0.45 && v > 0.15).length / pixels.length;
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gripgen-viewer-test-'));
  server = await startViewerServer();
  browser = await launchChrome({ extraArgs: VIEWER_CHROME_ARGS });
  viewer = await openViewer(browser, server, `?play=0&worlds=${WORLDS}&preset=narrow&seed=0`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The toolbar's (hidden) policy file input. */
async function policyInput(): Promise<ElementHandle<HTMLInputElement>> {
  const input = await viewer.page.$('#policy-file');
  if (!input) throw new Error('no #policy-file input');
  return input as ElementHandle<HTMLInputElement>;
}

/** A small untrained chunked policy reading `obsSize` observations (pick-place's by default), as a runner policy file. */
async function writeTinyPolicy(path: string, obsSize: number = PICK_PLACE_OBS_NAMES.length): Promise<void> {
  const spec = mlpSpec({ obsSize, actionSize: ACTION_NAMES.length, chunk: 3, hidden: [16] });
  const stats = (n: number, std: number) => ({ mean: new Float32Array(n), std: new Float32Array(n).fill(std) });
  const policy = new BcPolicy({
    spec,
    params: initMlpParams(spec, 7),
    normalization: { obs: stats(spec.obsSize, 1), action: stats(spec.actionSize, 0.01) },
    obsNames: obsSize === PICK_PLACE_OBS_NAMES.length ? PICK_PLACE_OBS_NAMES : undefined,
    actionNames: ACTION_NAMES,
    binaryActions: [{ index: ACTION_NAMES.length - 1, low: -1, high: 1 }],
  });
  await writeFile(path, encodePolicy(policy));
}

describe('viewer page in headless Chrome', () => {
  it('starts on a WebGPU adapter with the requested worlds and no console errors', async () => {
    const adapter = await hook(viewer.page, 'adapter');
    expect(adapter.vendor.length + adapter.architecture.length).toBeGreaterThan(0);
    // Where there is no GPU it must be SwiftShader, not some other software fallback.
    if (adapter.isSoftware) expect(adapter.architecture).toBe('swiftshader');
    const state = await hook(viewer.page, 'state');
    expect(state).toMatchObject({ taskId: 'pick-place', numWorlds: WORLDS, preset: 'narrow', seed: 0, focusedWorld: 0, playing: false, source: 'scripted expert' });
    expect(state.framesDrawn).toBeGreaterThan(0);
    // The task menu lists the registered tasks; the preset menu the chosen task's presets; the
    // scripted expert is offered (pick-place has one).
    expect(await viewer.page.$$eval('#task option', (o) => o.map((e) => (e as HTMLOptionElement).value))).toEqual(taskIds());
    expect(await viewer.page.$eval('#task', (e) => (e as HTMLSelectElement).value)).toBe('pick-place');
    expect(await viewer.page.$$eval('#preset option', (o) => o.map((e) => (e as HTMLOptionElement).value))).toContain('narrow');
    expect(await viewer.page.$eval('#source option[value="expert"]', (e) => (e as HTMLOptionElement).disabled)).toBe(false);
    expect(await viewer.page.$eval('#inspect', (e) => e.textContent ?? '')).toContain('taskpick-place');
    expect(viewer.errors).toEqual([]);
  });

  it('draws each world’s cube in its own colour where the cube’s centre projects', async () => {
    const hues: number[] = [];
    for (let world = 0; world < WORLDS; world++) {
      await hook(viewer.page, 'focus', world);
      const probe = await hook(viewer.page, 'objectProbe');
      expect(probe.world).toBe(world);
      expect(probe.name).toBe('cube');
      expect(probe.halfSize).toBeGreaterThan(3);
      if (probe.occluded) continue;
      const image = await screenshot(viewer.page);
      // At the projected centre: the cube's hue, saturated.
      expect(cubeColouredFraction(image, probe), `world ${world} at (${probe.x.toFixed(1)}, ${probe.y.toFixed(1)})`).toBeGreaterThan(0.8);
      // Three cube widths to the side (table, bin or gripper, all unsaturated): not the cube's colour.
      for (const [dx, dy] of [[6, 0], [-6, 0], [0, 6], [0, -6]]) {
        expect(cubeColouredFraction(image, probe, probe.x + dx * probe.halfSize, probe.y + dy * probe.halfSize)).toBeLessThan(0.2);
      }
      hues.push(probe.hue);
    }
    // At least two worlds checked, with clearly different colours (the colour follows cubeHue).
    expect(hues.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...hues.map((h) => hueDistance(h, hues[0])))).toBeGreaterThan(0.1);
  });

  it('draws a scene, not a blank canvas', async () => {
    const image = await screenshot(viewer.page);
    const rect = await viewer.page.$eval('#focus-canvas', (c) => {
      const r = c.getBoundingClientRect();
      return { x: r.left, y: r.top, width: r.width, height: r.height };
    });
    const colours = new Set<number>();
    for (let y = Math.ceil(rect.y); y < rect.y + rect.height; y += 3) {
      for (let x = Math.ceil(rect.x); x < rect.x + rect.width; x += 3) {
        const i = (y * image.width + x) * 4;
        colours.add(((image.data[i] >> 3) << 10) | ((image.data[i + 1] >> 3) << 5) | (image.data[i + 2] >> 3));
      }
    }
    expect(colours.size).toBeGreaterThan(50);
  });

  it('focuses the world clicked in the grid', async () => {
    const target = WORLDS - 1;
    const tile = await hook(viewer.page, 'tileCenter', target);
    await viewer.page.mouse.click(tile.x, tile.y);
    await viewer.page.waitForFunction((w) => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.state().focusedWorld === w, { timeout: 10_000 }, target);
    await hook(viewer.page, 'whenDrawn');
    expect(await viewer.page.$eval('#inspect-title', (e) => e.textContent)).toBe(`World ${target}`);
    const params = await viewer.page.$$eval('#inspect tr[data-param]', (rows) => rows.map((r) => r.getAttribute('data-param')));
    expect(params).toContain('cubeHue');
    expect(params).toContain('cubeEdge');
  });

  it('steps the live worlds: the scripted expert grasps and lifts the cube', async () => {
    await hook(viewer.page, 'focus', 0);
    const before = await hook(viewer.page, 'objectProbe');
    const lifted = () => viewer.page.$eval('#inspect .signal[data-signal="isLifted"]', (e) => e.classList.contains('on'));
    expect(await lifted()).toBe(false);
    let steps = 0;
    while (!(await lifted()) && steps < 120) {
      await hook(viewer.page, 'step', 10);
      steps += 10;
    }
    expect(await lifted()).toBe(true);
    const after = await hook(viewer.page, 'objectProbe');
    // Lifted: the cube is drawn higher on the screen, and still in its colour where it projects.
    expect(after.y).toBeLessThan(before.y - 3);
    if (!after.occluded) expect(cubeColouredFraction(await screenshot(viewer.page), after)).toBeGreaterThan(0.5);
    expect((await hook(viewer.page, 'state')).stepsTaken).toBe(steps);
    expect(viewer.errors).toEqual([]);
  });

  it('shows the grip force while the expert holds the cube, and draws the contacts near the cube when toggled (v)', async () => {
    // Still world 0, lifted by the expert (previous test), paused.
    expect(await viewer.page.$eval('#inspect .signal[data-signal="isGrasped"]', (e) => e.classList.contains('on'))).toBe(true);
    const grip = Number(await viewer.page.$eval('#grip-force', (e) => e.textContent));
    // Each finger squeezes with at most its drive's force limit (PICK_PLACE_GEOMETRY.fingerMaxForce, 20 N).
    expect(grip).toBeGreaterThan(1);
    expect(grip).toBeLessThan(21);
    expect(Number(await viewer.page.$eval('#contact-count', (e) => e.textContent))).toBeGreaterThan(0);

    const probe = await hook(viewer.page, 'objectProbe');
    const r = Math.ceil(4 * probe.halfSize);
    const near = (image: RgbaImage) => {
      const out: number[] = [];
      for (let y = Math.round(probe.y) - r; y <= Math.round(probe.y) + r; y++) {
        for (let x = Math.round(probe.x) - r; x <= Math.round(probe.x) + r; x++) {
          const i = (y * image.width + x) * 4;
          out.push(image.data[i], image.data[i + 1], image.data[i + 2]);
        }
      }
      return out;
    };
    const changed = (a: number[], b: number[]) => {
      let count = 0;
      for (let i = 0; i < a.length; i += 3) if (Math.max(Math.abs(a[i] - b[i]), Math.abs(a[i + 1] - b[i + 1]), Math.abs(a[i + 2] - b[i + 2])) > 40) count++;
      return count;
    };
    const off = near(await screenshot(viewer.page));
    await viewer.page.keyboard.press('v');
    await hook(viewer.page, 'whenDrawn');
    expect(await viewer.page.$eval('#show-contacts', (e) => (e as HTMLInputElement).checked)).toBe(true);
    const on = near(await screenshot(viewer.page));
    // The finger–cube contacts' points and normals are drawn around the cube.
    expect(changed(off, on)).toBeGreaterThan(20);
    await viewer.page.keyboard.press('v');
    await hook(viewer.page, 'whenDrawn');
    expect(changed(off, near(await screenshot(viewer.page)))).toBeLessThan(5);
    expect(viewer.errors).toEqual([]);
  });

  it('drives the worlds with a policy file picked in the file input', async () => {
    const path = join(scratch, 'tiny.policy.json');
    await writeTinyPolicy(path);
    await policyInput().then((input) => input.uploadFile(path));
    await viewer.page.waitForFunction(
      () => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.state().source === 'policy tiny.policy.json',
      { timeout: 60_000 },
    );
    await hook(viewer.page, 'step', 4);
    expect((await hook(viewer.page, 'state')).stepsTaken).toBe(4);
    const panel = await viewer.page.$eval('#inspect', (e) => e.textContent ?? '');
    expect(panel).toContain('tiny.policy.json (MLP 16, chunk 3, ensemble)');
    // The gripper command went through the executor's binary snapping: exactly open or closed.
    expect(panel).toMatch(/command(open|close) \((-1\.00|1\.00)\)/);
    expect(await viewer.page.$eval('#source', (e) => (e as HTMLSelectElement).value)).toBe('policy');
    expect(viewer.errors).toEqual([]);
  });

  it('reports a broken or mismatched policy file and keeps the worlds running', async () => {
    const path = join(scratch, 'broken.policy.json');
    await writeFile(path, JSON.stringify({ format: 'gripgen-bc-policy', version: 1, obsSize: 0 }));
    await policyInput().then((input) => input.uploadFile(path));
    await viewer.page.waitForSelector('#error:not([hidden])', { timeout: 10_000 });
    expect(await viewer.page.$eval('#error', (e) => e.textContent)).toContain(`field 'obsSize' must be a positive integer`);
    expect(viewer.errors).toHaveLength(1);
    const state = await hook(viewer.page, 'state');
    expect(state.source).toBe('policy tiny.policy.json');

    const other = join(scratch, 'other-task.policy.json');
    await writeTinyPolicy(other, 20);
    await policyInput().then((input) => input.uploadFile(other));
    await viewer.page.waitForFunction(() => document.getElementById('error')?.textContent?.includes('other-task'), { timeout: 10_000 });
    expect(await viewer.page.$eval('#error', (e) => e.textContent)).toContain('maps 20 observations to 7 actions');
    expect(viewer.errors).toHaveLength(2);

    // Neither file replaced the running worlds: same source, and they keep stepping from where they were.
    await hook(viewer.page, 'step', 1);
    expect(await hook(viewer.page, 'state')).toMatchObject({ source: 'policy tiny.policy.json', stepsTaken: state.stepsTaken + 1 });
  });

  it('runs every registered task chosen in the task menu: its presets, its expert (or teleoperation), its objects in their colours', async () => {
    const page = viewer.page;
    const errorsBefore = viewer.errors.length;
    const state = () => hook(page, 'state');
    await page.select('#source', 'expert');
    await page.waitForFunction(() => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.state().source === 'scripted expert', { timeout: 60_000 });
    // Every other task, then back to pick-place.
    for (const id of [...taskIds().filter((t) => t !== 'pick-place'), 'pick-place']) {
      const task = getTask(id);
      // Choosing the task shown already would restart its worlds while the test steps them.
      if ((await state()).taskId !== id) {
        await page.select('#task', id);
        await page.waitForFunction((t) => (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer.state().taskId === t, { timeout: 60_000 }, id);
      }
      await hook(page, 'whenDrawn');
      expect(await page.$$eval('#preset option', (o) => o.map((e) => (e as HTMLOptionElement).value)), id).toEqual(Object.keys(task.presets));
      expect((await state()).source, id).toBe(task.expert ? 'scripted expert' : 'teleop (keyboard)');
      await hook(page, 'step', 3);
      const seen = await hook(page, 'observe');
      expect(Object.keys(seen.obs), id).toEqual([...task.obsNames]);
      expect(seen.step, id).toBe(3);
      expect(await page.$eval('#inspect', (e) => e.textContent ?? ''), id).toContain(`task${id}`);
      if (task.paramNames.some((name) => name.endsWith('Hue'))) {
        const probe = await hook(page, 'objectProbe');
        expect(task.paramNames, id).toContain(`${probe.name}Hue`);
        if (!probe.occluded && probe.halfSize > 3) expect(cubeColouredFraction(await screenshot(page), probe), `${id}: ${probe.name}`).toBeGreaterThan(0.5);
      }
      expect(viewer.errors.slice(errorsBefore), id).toEqual([]);
    }
  });
});
