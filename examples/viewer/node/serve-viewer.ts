/**
 * Builds the viewer with Vite into a temporary folder and serves it on 127.0.0.1 — what the
 * page tests and the screenshot script use (no dev server, no network, works on a fresh clone).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { build } from 'vite';
import { VIEWER_HOOK, type ViewerHook } from '../src/test-hook.js';

/** The viewer's folder (holds vite.config.ts and index.html). */
export const VIEWER_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A built viewer served over HTTP. */
export interface ViewerServer {
  /** The page's URL (a secure context: `navigator.gpu` exists). */
  readonly url: string;
  /** Stops the server and deletes the build. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/** Builds the viewer (production, unminified) into `outDir`. */
export async function buildViewer(outDir: string): Promise<void> {
  await build({
    configFile: join(VIEWER_ROOT, 'vite.config.ts'),
    root: VIEWER_ROOT,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, minify: false, reportCompressedSize: false },
  });
}

/** Builds the viewer into a temporary folder and serves it on an ephemeral port of 127.0.0.1. */
export async function startViewerServer(): Promise<ViewerServer> {
  const dir = await mkdtemp(join(tmpdir(), 'gripgen-viewer-'));
  try {
    await buildViewer(dir);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A viewer tab and what it logged. */
export interface ViewerPage {
  page: Page;
  /** `console.error` lines and uncaught exceptions, in order. */
  errors: string[];
  /** Every console line (any level), for diagnosing failures. */
  log: string[];
}

/**
 * Opens the viewer at `server.url` + `query` in a new tab of `viewport` CSS pixels (device
 * scale 1) and waits until the page has drawn its first frame and defined its hook.
 */
export async function openViewer(
  browser: Browser,
  server: ViewerServer,
  query: string,
  viewport = { width: 1280, height: 800 },
): Promise<ViewerPage> {
  const page = await browser.newPage();
  await page.setViewport({ ...viewport, deviceScaleFactor: 1 });
  const errors: string[] = [];
  const log: string[] = [];
  page.on('console', (message) => {
    const line = `console.${message.type()}: ${message.text()}`;
    log.push(line);
    if (message.type() === 'error') errors.push(line);
  });
  page.on('pageerror', (error) => {
    const line = `page error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    log.push(line);
    errors.push(line);
  });
  await page.goto(server.url + query);
  try {
    await page.waitForFunction((name) => name in globalThis, { timeout: 90_000, polling: 100 }, VIEWER_HOOK);
  } catch (e) {
    throw new Error(`the viewer did not start: ${(e as Error).message}\n${log.join('\n')}`);
  }
  return { page, errors, log };
}

/** Calls the page's test hook: `window.__gripgenViewer[method](...args)` (`src/test-hook.ts`). */
export function hook<K extends keyof ViewerHook>(page: Page, method: K, ...args: Parameters<ViewerHook[K]>): Promise<Awaited<ReturnType<ViewerHook[K]>>> {
  return page.evaluate(
    (name, argList) => {
      const h = (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>).__gripgenViewer;
      return h[name](...argList);
    },
    method,
    args as unknown[],
  ) as Promise<Awaited<ReturnType<ViewerHook[K]>>>;
}
