import type { Browser, Page } from 'puppeteer';
import { bundlePage } from '../browser/bundle-page.js';
import { launchChrome } from '../browser/launch-chrome.js';
import { openPage, servePage, type PageServer } from '../browser/page-server.js';
import type { CaseResult, SimCase } from './measure-case.js';
import { PAGE_GLOBAL, type WebGpuBenchPage } from './page-api.js';

const PAGE_ENTRY = new URL('./page-entry.ts', import.meta.url);

/**
 * The benchmark page in headless Chrome: `measureCase` runs there (WebGPU through
 * `navigator.gpu`), called through `page.evaluate`.
 */
export class ChromeBench {
  private constructor(
    private readonly browser: Browser,
    private readonly server: PageServer,
    private page: Page,
    private readonly log: (line: string) => void,
    /** Chrome's version string, e.g. `Chrome/156.0.8078.79`. */
    readonly version: string,
    /** Chrome's executable. */
    readonly executablePath: string,
  ) {}

  /** Bundles the page, serves it on 127.0.0.1, launches Chrome and opens the page. */
  static async start(): Promise<ChromeBench> {
    const bundle = await bundlePage(PAGE_ENTRY.pathname);
    const server = await servePage(bundle, 'gripgen webgpu throughput');
    let browser: Browser | undefined;
    try {
      browser = await launchChrome();
      // The page logs the same notice (software adapter) for every Sim: print each line once.
      const seen = new Set<string>();
      const log = (line: string) => {
        if (seen.has(line)) return;
        seen.add(line);
        process.stderr.write(`${line}\n`);
      };
      const page = await openPage(browser, server, PAGE_GLOBAL, log);
      return new ChromeBench(browser, server, page, log, await browser.version(), browser.process()?.spawnfile ?? 'unknown');
    } catch (e) {
      await browser?.close();
      await server.close();
      throw e;
    }
  }

  /** Runs one row in the page. After a failure the page is replaced, so a crashed tab does not end the run. */
  async measure(c: SimCase): Promise<CaseResult> {
    try {
      return await this.page.evaluate(
        (name, simCase) => (globalThis as unknown as Record<string, WebGpuBenchPage>)[name]!.measureCase(simCase),
        PAGE_GLOBAL,
        c,
      );
    } catch (e) {
      await this.page.close().catch(() => undefined);
      this.page = await openPage(this.browser, this.server, PAGE_GLOBAL, this.log);
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.server.close();
  }
}
