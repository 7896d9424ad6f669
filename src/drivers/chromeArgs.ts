import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';

/**
 * Which Chromium switches a client may pass in `chrome_args`. A switch is a command-line argument of a process the
 * server runs, so some of them run programs (`--renderer-cmd-prefix`), open an unauthenticated control port
 * (`--remote-debugging-port`) or turn the browser's own protections off. Three classes:
 *  - allowed: harmless look-and-feel switches, with their values checked;
 *  - trusted: anything else, refused unless the operator started the server with --allow-chrome-args;
 *  - never: refused whatever the operator says, because no client should hold that power over the server.
 * Chromium also reads `-switch` (one dash) on POSIX, and a bare word is a URL it opens at start: both are handled.
 */

export type ArgClass = 'allowed' | 'trusted' | 'never';

export interface ArgVerdict {
  class: ArgClass;
  /** Normalised switch name, without dashes or value. */
  name: string;
  /** Why a refused switch is refused, for the message. */
  reason: string;
}

const LANGUAGE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;
const LANGUAGES = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*(?:;q=[01](?:\.\d{1,3})?)?(?:,[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*(?:;q=[01](?:\.\d{1,3})?)?)*$/;
const PAIR = /^\d{1,5},\d{1,5}$/;

/** Feature names a client may switch on or off: rendering, throttling and privacy knobs, none that weakens isolation. */
export const VETTED_FEATURES: ReadonlySet<string> = new Set([
  'AcceptCHFrame',
  'AutofillServerCommunication',
  'BackForwardCache',
  'CalculateNativeWinOcclusion',
  'DialMediaRouteProvider',
  'FluentOverlayScrollbar',
  'GlobalMediaControls',
  'HardwareMediaKeyHandling',
  'HttpsUpgrades',
  'InterestFeedContentSuggestions',
  'LazyFrameLoading',
  'LazyImageLoading',
  'MediaRouter',
  'OptimizationHints',
  'OverlayScrollbar',
  'PaintHolding',
  'Prerender2',
  'ReduceUserAgent',
  'ThirdPartyStoragePartitioning',
  'Translate',
  'UserAgentClientHint',
  'WebContentsForceDark',
  'WebRtcHideLocalIpsWithMdns',
]);

/** blink-settings keys that only change rendering or input emulation. */
const VETTED_BLINK_SETTINGS: ReadonlySet<string> = new Set([
  'availableHoverTypes',
  'availablePointerTypes',
  'forceDarkModeEnabled',
  'hideScrollbars',
  'imagesEnabled',
  'loadsImagesAutomatically',
  'preferredColorScheme',
  'primaryHoverType',
  'primaryPointerType',
  'textAutosizingEnabled',
]);

type ValueCheck = (value: string | undefined) => string | undefined;

const noValue: ValueCheck = (value) => (value === undefined || value === '' ? undefined : 'takes no value');
const matching = (pattern: RegExp, example: string): ValueCheck => (value) =>
  value !== undefined && pattern.test(value) ? undefined : `needs a value like ${example}`;
const oneOf = (...choices: string[]): ValueCheck => (value) =>
  value !== undefined && choices.includes(value) ? undefined : `takes one of ${choices.join(', ')}`;
const featureList: ValueCheck = (value) => {
  const names = (value ?? '').split(',').map((name) => name.trim());
  if (names.length === 0 || names.some((name) => name === '')) return 'needs a comma-separated list of feature names';
  const unvetted = names.filter((name) => !VETTED_FEATURES.has(name));
  return unvetted.length === 0 ? undefined : `feature ${clip(unvetted.join(','))} is not on the vetted list`;
};
const blinkSettings: ValueCheck = (value) => {
  const pairs = (value ?? '').split(',');
  for (const pair of pairs) {
    const [key = '', setting, extra] = pair.split('=');
    if (setting === undefined || extra !== undefined || !/^[\w.-]{1,40}$/.test(setting)) return 'needs key=value pairs, e.g. imagesEnabled=false';
    if (!VETTED_BLINK_SETTINGS.has(key)) return `setting ${clip(key)} is not on the vetted list`;
  }
  return undefined;
};
const scale: ValueCheck = (value) => {
  const factor = Number(value);
  return value !== undefined && /^\d+(?:\.\d+)?$/.test(value) && factor >= 0.25 && factor <= 5 ? undefined : 'needs a number from 0.25 to 5';
};

/** Harmless switches and how their value is checked. */
const ALLOWED: ReadonlyMap<string, ValueCheck> = new Map<string, ValueCheck>([
  ['window-size', matching(PAIR, '--window-size=1280,800')],
  ['window-position', matching(PAIR, '--window-position=0,0')],
  ['force-device-scale-factor', scale],
  ['lang', matching(LANGUAGE, '--lang=fr-FR')],
  ['accept-lang', matching(LANGUAGES, '--accept-lang=fr-FR,fr')],
  ['enable-features', featureList],
  ['disable-features', featureList],
  ['disable-blink-features', oneOf('AutomationControlled')],
  ['blink-settings', blinkSettings],
  ['autoplay-policy', oneOf('no-user-gesture-required', 'user-gesture-required', 'document-user-activation-required')],
  ['force-color-profile', oneOf('srgb', 'display-p3-d65', 'generic-rgb', 'color-spin-gamma24', 'scrgb-linear', 'hdr10')],
  ['font-render-hinting', oneOf('none', 'slight', 'medium', 'full')],
  ['mute-audio', noValue],
  ['hide-scrollbars', noValue],
  ['force-dark-mode', noValue],
  ['force-prefers-reduced-motion', noValue],
  ['disable-gpu', noValue],
  ['disable-lcd-text', noValue],
  ['disable-smooth-scrolling', noValue],
  ['disable-notifications', noValue],
  ['disable-popup-blocking', noValue],
  ['disable-infobars', noValue],
  ['start-maximized', noValue],
  ['hide-crash-restore-bubble', noValue],
  ['disable-background-timer-throttling', noValue],
  ['disable-renderer-backgrounding', noValue],
  ['disable-backgrounding-occluded-windows', noValue],
]);

/** Switches no client gets, with the reason the message gives. */
const NEVER: ReadonlyMap<string, string> = new Map([
  ['remote-debugging-port', 'it opens an unauthenticated DevTools port that controls the browser'],
  ['remote-debugging-pipe', 'it hands browser control to another process'],
  ['remote-debugging-address', 'it exposes the DevTools port'],
  ['remote-debugging-targets', 'it exposes the DevTools port'],
  ['remote-allow-origins', 'it lets web pages reach the DevTools port'],
  ['user-data-dir', 'it points the browser at a folder of the server'],
  ['profile-directory', 'it points the browser at a profile of the server'],
  ['disk-cache-dir', 'it writes to a folder of the server'],
  ['crash-dumps-dir', 'it writes to a folder of the server'],
  ['log-file', 'it writes to a file of the server'],
  ['load-extension', 'it loads code from the server\'s disk into the browser'],
  ['disable-extensions-except', 'it loads code from the server\'s disk into the browser'],
  ['allowlisted-extension-id', 'it grants an extension extra powers'],
  ['disable-web-security', 'it turns off the same-origin policy'],
  ['allow-file-access-from-files', 'it lets pages read the server\'s files'],
  ['allow-file-access', 'it lets pages read the server\'s files'],
  ['unsafely-treat-insecure-origin-as-secure', 'it weakens origin security'],
  ['disable-site-isolation-trials', 'it turns off site isolation'],
  ['no-sandbox', 'it turns off the renderer sandbox'],
  ['disable-setuid-sandbox', 'it turns off the renderer sandbox'],
  ['disable-seccomp-filter-sandbox', 'it turns off the renderer sandbox'],
  ['disable-namespace-sandbox', 'it turns off the renderer sandbox'],
  ['disable-gpu-sandbox', 'it turns off the GPU sandbox'],
  ['no-zygote', 'it changes how sandboxed processes start'],
  ['single-process', 'it runs pages inside the browser process, without a sandbox'],
  ['in-process-gpu', 'it runs the GPU code inside the browser process'],
  ['js-flags', 'V8 flags can write files and disable checks'],
  ['enable-logging', 'it can write logs to files of the server'],
  ['type', 'it is an internal process-type switch'],
]);

/** Any switch naming a program or wrapper to run: subprocess command prefixes, launchers, debuggers. */
const RUNS_A_PROGRAM = /(?:cmd-prefix|launcher|subprocess-path|-gdb|debugger|-wrapper|executable)/;

/** Classifies one argument; pure. */
export function classifyChromeArg(raw: string): ArgVerdict {
  if ([...raw].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127)) return { class: 'never', name: raw, reason: 'it holds a control character' };
  const match = /^-{1,2}([^=]*)(?:=([\s\S]*))?$/.exec(raw);
  if (match === null) return { class: 'never', name: raw, reason: 'a bare word is a URL or file Chromium opens at start; only --switches are accepted' };
  const name = (match[1] ?? '').toLowerCase();
  const value = match[2];
  if (name === '') return { class: 'never', name: raw, reason: 'a lone "--" makes everything after it a URL to open' };
  if (RUNS_A_PROGRAM.test(name)) return { class: 'never', name, reason: 'it runs a program on the server' };
  const never = NEVER.get(name);
  if (never !== undefined) return { class: 'never', name, reason: never };
  const check = ALLOWED.get(name);
  if (check === undefined) return { class: 'trusted', name, reason: 'it is not on the list of harmless switches' };
  const problem = check(value);
  if (problem !== undefined) return { class: 'trusted', name, reason: `--${name} ${problem}` };
  return { class: 'allowed', name, reason: '' };
}

/**
 * Throws E_INVALID_INPUT naming the first switch a client may not pass. `trustClients` (--allow-chrome-args) lets
 * every switch through except the never-allowed ones.
 */
export function checkChromeArgs(args: readonly string[], trustClients: boolean): void {
  args.forEach((arg, index) => {
    const verdict = classifyChromeArg(arg);
    if (verdict.class === 'allowed' || (verdict.class === 'trusted' && trustClients)) return;
    const field = `chrome_args[${index}]`;
    const shown = `"${clip(arg)}"`;
    if (verdict.class === 'never') {
      throw new BsmError('E_INVALID_INPUT', `${field}: ${shown} is never accepted from a client: ${verdict.reason}.`, `Remove it and call ${TOOL.start} again.`);
    }
    throw new BsmError(
      'E_INVALID_INPUT',
      `${field}: ${shown} is refused: ${verdict.reason}.`,
      `Accepted by default: ${[...ALLOWED.keys()].slice(0, 8).map((name) => `--${name}`).join(', ')} and a few more (see the README); the server operator can allow others with --allow-chrome-args.`,
    );
  });
}

function clip(text: string, max = 60): string {
  const flat = [...text].map((char) => (char.charCodeAt(0) < 32 ? '?' : char)).join('');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
