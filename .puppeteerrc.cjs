/**
 * Puppeteer configuration: never download a browser. The benchmarks and browser tests drive
 * the system's Chrome/Chromium (scripts/setup.sh installs Debian's `chromium`); see
 * bench/src/browser/launch-chrome.ts for how it is found (CHROME_PATH first).
 * @type {import('puppeteer').Configuration}
 */
module.exports = {
  skipDownload: true,
};
