import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer';

/** Environment variable naming the Chrome/Chromium executable explicitly (checked first). */
export const CHROME_PATH_ENV = 'CHROME_PATH';

/**
 * Where a system Chrome/Chromium is looked for after `$CHROME_PATH`, in order: absolute paths
 * as they are, bare names on `$PATH`. (scripts/setup.sh installs Debian's `chromium`.)
 */
export const CHROME_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
];

/**
 * Chrome flags that give `navigator.gpu` in headless Chrome on machines with or without a GPU
 * (without one, the adapter is SwiftShader: `{ vendor: 'google', architecture: 'swiftshader' }`),
 * and keep the browser off the network. See WEBGPU.md of the project.
 */
export const WEBGPU_CHROME_ARGS: readonly string[] = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** No Chrome/Chromium executable was found; the message lists every place tried. */
export class ChromeNotFoundError extends Error {
  override name = 'ChromeNotFoundError';
  constructor(
    message: string,
    /** The paths and names tried, in order. */
    readonly tried: readonly string[],
  ) {
    super(message);
  }
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` resolved on `pathVariable` (`$PATH`), or undefined. */
function onPath(name: string, pathVariable: string): string | undefined {
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The path of a system Chrome/Chromium: `$CHROME_PATH` (which must then be executable), else
 * the first of `candidates` ({@link CHROME_CANDIDATES}) found. Throws
 * {@link ChromeNotFoundError} naming everything it tried and how to fix it.
 */
export function findChrome(
  env: Record<string, string | undefined> = process.env,
  candidates: readonly string[] = CHROME_CANDIDATES,
): string {
  const explicit = env[CHROME_PATH_ENV];
  if (explicit) {
    const resolved = isAbsolute(explicit) ? (isExecutableFile(explicit) ? explicit : undefined) : onPath(explicit, env.PATH ?? '');
    if (resolved) return resolved;
    throw new ChromeNotFoundError(`${CHROME_PATH_ENV}=${explicit} is not an executable file`, [explicit]);
  }
  const tried: string[] = [];
  for (const candidate of candidates) {
    if (isAbsolute(candidate)) {
      tried.push(candidate);
      if (isExecutableFile(candidate)) return candidate;
    } else {
      tried.push(`${candidate} on $PATH`);
      const found = onPath(candidate, env.PATH ?? '');
      if (found) return found;
    }
  }
  throw new ChromeNotFoundError(
    `no Chrome/Chromium found (tried ${CHROME_PATH_ENV} (unset), ${tried.join(', ')}); ` +
      `install one (Debian/Ubuntu: apt-get install chromium, or run scripts/setup.sh) or set ${CHROME_PATH_ENV}`,
    [CHROME_PATH_ENV, ...tried],
  );
}

/** Options of {@link launchChrome}. */
export interface LaunchChromeOptions {
  /** The executable; default {@link findChrome}. */
  executablePath?: string;
  /** Flags added after {@link WEBGPU_CHROME_ARGS}. */
  extraArgs?: readonly string[];
  /** Longest a single DevTools call (e.g. one `page.evaluate`) may take, ms (default 10 min). */
  protocolTimeout?: number;
}

/**
 * Launches headless system Chrome/Chromium with WebGPU enabled ({@link WEBGPU_CHROME_ARGS}).
 * Puppeteer's own browser download is skipped (.puppeteerrc.cjs). Close the browser when done.
 *
 * ```ts
 * const browser = await launchChrome();
 * try { const page = await browser.newPage(); ... } finally { await browser.close(); }
 * ```
 */
export async function launchChrome(options: LaunchChromeOptions = {}): Promise<Browser> {
  const executablePath = options.executablePath ?? findChrome();
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: [...WEBGPU_CHROME_ARGS, ...(options.extraArgs ?? [])],
    protocolTimeout: options.protocolTimeout ?? 600_000,
  });
}
