import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { GpuUnavailableError } from './errors.js';

/** Environment variable naming a SwiftShader ICD file explicitly (checked first). */
export const SWIFTSHADER_ICD_ENV = 'GRIPGEN_SWIFTSHADER_ICD';

/** Where Chromium/Chrome packages put SwiftShader's Vulkan ICD file, most likely first. */
export const SWIFTSHADER_ICD_PATHS: readonly string[] = [
  '/usr/lib/chromium/vk_swiftshader_icd.json', // Debian `chromium`
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json', // Ubuntu (pre-snap), Alpine
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json', // Fedora, openSUSE
  '/opt/google/chrome/vk_swiftshader_icd.json', // Google Chrome .deb/.rpm
  '/snap/chromium/current/usr/lib/chromium-browser/vk_swiftshader_icd.json', // Ubuntu snap
  '/usr/share/vulkan/icd.d/vk_swiftshader_icd.json', // a system-wide SwiftShader build
];

/** Puppeteer's downloaded Chrome builds, e.g. ~/.cache/puppeteer/chrome/linux-131…/chrome-linux64/. */
function puppeteerCandidates(): string[] {
  const base = join(homedir(), '.cache', 'puppeteer', 'chrome');
  try {
    return readdirSync(base).map((v) => join(base, v, 'chrome-linux64', 'vk_swiftshader_icd.json'));
  } catch {
    return [];
  }
}

/** Whether `icdPath` is a readable ICD whose driver library is present. */
export function isUsableIcd(icdPath: string): boolean {
  if (!existsSync(icdPath)) return false;
  try {
    const json = JSON.parse(readFileSync(icdPath, 'utf8')) as { ICD?: { library_path?: string } };
    const lib = json.ICD?.library_path;
    if (!lib) return false;
    // A bare file name is looked up by the dynamic loader; a path is relative to the JSON file.
    return !lib.includes('/') || existsSync(resolve(dirname(icdPath), lib));
  } catch {
    return false;
  }
}

/**
 * The path of a usable SwiftShader Vulkan ICD file: `$GRIPGEN_SWIFTSHADER_ICD`, then
 * {@link SWIFTSHADER_ICD_PATHS}, then Puppeteer's Chrome downloads. Throws
 * {@link GpuUnavailableError} naming what to install when none is found.
 */
export function findSwiftShaderIcd(env: Record<string, string | undefined> = process.env): string {
  const explicit = env[SWIFTSHADER_ICD_ENV];
  if (explicit) {
    if (isUsableIcd(explicit)) return explicit;
    throw new GpuUnavailableError(`${SWIFTSHADER_ICD_ENV}=${explicit} is not a usable Vulkan ICD file (missing, unreadable, or its library_path does not exist)`);
  }
  const candidates = [...SWIFTSHADER_ICD_PATHS, ...puppeteerCandidates()];
  const found = candidates.find(isUsableIcd);
  if (found) return found;
  throw new GpuUnavailableError(
    'no SwiftShader Vulkan driver found for software WebGPU; install Chromium ' +
      '(Debian/Ubuntu: `apt-get install chromium libvulkan1`, or run scripts/setup.sh) ' +
      `or set ${SWIFTSHADER_ICD_ENV} to a vk_swiftshader_icd.json. Looked in: ${SWIFTSHADER_ICD_PATHS.join(', ')}`,
  );
}
