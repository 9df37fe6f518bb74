/**
 * Writes examples/viewer/screenshot.png: the viewer in headless Chrome (16 `wide` worlds of
 * pick-place, the scripted expert part-way through the episode, one world focused).
 *
 *   npm run viewer:screenshot [-- --task pick-place --steps 34 --focus 5 --out path.png]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChrome } from '../../../bench/src/browser/launch-chrome.js';
import type { ViewerHook } from '../src/test-hook.js';
import { VIEWER_CHROME_ARGS } from './chrome-args.js';
import { openViewer, startViewerServer, VIEWER_ROOT } from './serve-viewer.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '34' },
    focus: { type: 'string', default: '5' },
    task: { type: 'string', default: 'pick-place' },
    worlds: { type: 'string', default: '16' },
    preset: { type: 'string', default: 'wide' },
    out: { type: 'string', default: join(VIEWER_ROOT, 'screenshot.png') },
  },
});

const server = await startViewerServer();
const browser = await launchChrome({ extraArgs: VIEWER_CHROME_ARGS });
try {
  const { page, errors } = await openViewer(browser, server, `?play=0&task=${encodeURIComponent(values.task)}&worlds=${values.worlds}&preset=${values.preset}&seed=0`, { width: 1440, height: 860 });
  await page.evaluate(
    async (focus, steps) => {
      const hook = (globalThis as unknown as Record<string, ViewerHook>).__gripgenViewer;
      await hook.focus(focus);
      await hook.step(steps);
    },
    Number(values.focus),
    Number(values.steps),
  );
  writeFileSync(values.out, await page.screenshot({ type: 'png' }));
  if (errors.length > 0) throw new Error(`the page logged errors:\n${errors.join('\n')}`);
  process.stdout.write(`wrote ${values.out}\n`);
} finally {
  await browser.close();
  await server.close();
}
