import type { BrowserContext } from 'playwright-core';
import { BsmError, errorText } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { Cookie, CookieInput } from '../notte/state.js';
import { toBrowserCookie } from '../notte/state.js';
import type { SavedState } from '../stores/profileStore.js';

/** What a new context starts with: a profile's saved state, then the session_start cookies on top. */
export interface StartState {
  profile?: SavedState | undefined;
  cookies?: readonly CookieInput[] | undefined;
}

type PlaywrightState = Parameters<BrowserContext['setStorageState']>[0];

/**
 * Loads the start state into a context that may be a warm spare (so not through newContext options, which would
 * make every spare carry someone's profile). setStorageState replaces cookies, localStorage and IndexedDB.
 */
export async function applyStartState(context: BrowserContext, state: StartState | undefined): Promise<void> {
  if (state?.profile !== undefined) {
    // The store checked the file's two lists; the entries are what storageState() wrote, handed back as they were.
    await context.setStorageState(state.profile as unknown as Exclude<PlaywrightState, string>);
  }
  if (state?.cookies !== undefined && state.cookies.length > 0) await addCookies(context, state.cookies, 'cookies', TOOL.start);
}

/** Playwright refuses a cookie it cannot place (a bad domain, a secure cookie on http with sameSite None…). */
async function addCookies(context: BrowserContext, cookies: readonly CookieInput[], field: string, tool: string): Promise<void> {
  try {
    await context.addCookies(cookies.map(toBrowserCookie));
  } catch (error: unknown) {
    throw new BsmError('E_INVALID_INPUT', `${field}: the browser refused them: ${errorText(error).replace(/^browserContext\.addCookies: /, '')}`, `Give each cookie a url, or a domain and path, and call ${tool} again.`, { cause: error });
  }
}

/** The optional DriverSession members that read and write a Playwright context's state. */
export function stateOps(context: BrowserContext): {
  cookies(urls?: readonly string[]): Promise<Cookie[]>;
  addCookies(cookies: readonly CookieInput[]): Promise<void>;
  storageState(): Promise<SavedState>;
} {
  return {
    cookies: async (urls) => context.cookies(urls === undefined ? undefined : [...urls]),
    addCookies: async (cookies) => addCookies(context, cookies, 'cookies', TOOL.cookiesSet),
    // IndexedDB too (playwright-core ≥ 1.51), as the issue asks of a profile.
    storageState: async () => context.storageState({ indexedDB: true }),
  };
}
