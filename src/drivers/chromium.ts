import { existsSync } from 'node:fs';
import { BsmError } from '../errors.js';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

/** Without these, Chromium phones home at start-up and floods a closed network with refused connections. */
export const QUIET_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  // Some builds (Debian's Chromium 156) still query the component updater and GAIA's ListAccounts with the
  // switches above: their endpoints point at a closed loopback port, so nothing leaves the machine.
  '--component-updater=url-source=http://127.0.0.1:9/',
  '--gaia-url=http://127.0.0.1:9/',
];

export const INSTALL_HINT =
  'Install Chromium (Debian/Ubuntu: apt-get install -y chromium) or pass --executable-path / set BROWSER_SESSION_MCP_EXECUTABLE_PATH.';

/** The browser binary to launch: the configured one, or the first usual install location that exists. */
export function findChromium(configured: string | undefined): string {
  if (configured !== undefined) {
    if (!existsSync(configured)) throw new BsmError('E_BROWSER_LAUNCH', `No browser at --executable-path ${configured}.`, INSTALL_HINT);
    return configured;
  }
  const found = CANDIDATES.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new BsmError('E_BROWSER_LAUNCH', 'No Chromium or Chrome found in the usual places.', INSTALL_HINT);
  return found;
}
