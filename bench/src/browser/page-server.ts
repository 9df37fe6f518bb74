import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer';
import type { PageBundle } from './bundle-page.js';

/** A bundle served over HTTP on 127.0.0.1 (a secure context, so `navigator.gpu` exists). */
export interface PageServer {
  /** The page: an HTML document that loads the bundle's entry as an ES module. */
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { js: 'text/javascript', map: 'application/json', html: 'text/html' };

/** Serves `bundle` (and `/` = a page loading its entry) on an ephemeral port of 127.0.0.1. */
export async function servePage(bundle: PageBundle, title = 'gripgen'): Promise<PageServer> {
  const html = `<!doctype html><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"><script type="module" src="./${bundle.entry}"></script>`;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname).replace(/^\/+/, '');
    const body = path === '' || path === 'index.html' ? new TextEncoder().encode(html) : bundle.files.get(path);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    const ext = path === '' ? 'html' : (path.split('.').pop() ?? '');
    res.writeHead(200, { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Opens `server`'s page in a new tab and waits until the entry module has defined
 * `globalThis[readyGlobal]`. Page errors and `console.error` lines go to `onLog` (default:
 * stderr); an exception thrown while the modules load rejects with its message.
 */
export async function openPage(
  browser: Browser,
  server: PageServer,
  readyGlobal: string,
  onLog: (line: string) => void = (line) => void process.stderr.write(`${line}\n`),
): Promise<Page> {
  const page = await browser.newPage();
  let loadError: Error | undefined;
  page.on('pageerror', (error) => {
    loadError ??= error instanceof Error ? error : new Error(String(error));
    onLog(`page error: ${loadError.message}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') onLog(`page console.${message.type()}: ${message.text()}`);
  });
  await page.goto(server.url);
  try {
    await page.waitForFunction((name) => name in globalThis, { timeout: 60_000, polling: 50 }, readyGlobal);
  } catch (e) {
    await page.close();
    throw loadError ?? e;
  }
  return page;
}
