import type { Action } from '../notte/actions.js';
import type { ObserveOptions, ObserveResult } from '../page/observe.js';
import type { ScrapeDeps, ScrapeParams, ScrapeResult } from '../page/scrape.js';
import type { DriverStepResult } from '../page/step.js';
import type { SecretSource } from '../page/secrets.js';
import type { ProxySettings, SessionResponse, SessionStartRequest } from '../notte/session.js';
import type { Cookie, CookieInput } from '../notte/state.js';
import type { SavedState } from '../stores/profileStore.js';
import type { StartState } from './startState.js';
import type { SessionReplay } from '../notte/replay.js';
import type { BrowserContext, Page } from 'playwright-core';

/** The live browser of a Playwright-based session, for the viewer and recordings (src/viewer). */
export interface LiveSurface {
  readonly context: BrowserContext;
  page(): Page;
  tabs(): Page[];
}

/** What a session needs from a backend: the page operations, its byte counters, and a way to end it. */
export interface DriverSession {
  /** What the session's browser really applied, echoed in SessionResponse. */
  readonly applied: { viewportWidth: number | null; viewportHeight: number | null; userAgent: string | null; proxies: boolean };
  readonly cdpUrl: string | null;
  /** Set by close when the end lost something the user asked to keep (a persisting profile that could not be saved). */
  readonly closeNote?: string | undefined;
  networkBytes(): { request: number; response: number };
  observe(options: ObserveOptions): Promise<ObserveResult>;
  /** `secrets`: the session's vault for this step; a driver that cannot honour it must refuse placeholders, not type them. */
  step(action: Action, secrets?: SecretSource): Promise<DriverStepResult>;
  scrape(params: ScrapeParams, deps: ScrapeDeps): Promise<ScrapeResult>;
  /** Cookies of the context (for these URLs, or all); backends without cookie access leave these out. */
  cookies?(urls?: readonly string[]): Promise<Cookie[]>;
  addCookies?(cookies: readonly CookieInput[]): Promise<void>;
  /** Cookies, localStorage and IndexedDB, as a profile saves them. */
  storageState?(): Promise<SavedState>;
  /**
   * Remote backends whose sessions can end on their side (a cloud's idle timeout): asked when the session's status
   * is read. Answers how it ended there, or undefined while it still runs (or when the backend could not tell).
   */
  refresh?(): Promise<RemoteEnd | undefined>;
  /** Releases the session's context (and its own browser, if it has one). Safe to call twice. */
  close(): Promise<void>;
  /** Playwright backends: the context and tabs, so src/viewer can stream, record and take over. */
  readonly live?: LiveSurface;
  /** SessionResponse.viewer_url: set by src/viewer when the viewer is on, or by a backend with its own (Notte's cloud). */
  readonly viewerUrl?: string | null;
  /** Set by src/viewer: the session's recordings, once it has ended. */
  replay?(): SessionReplay;
  /** Set by src/viewer: `touch` is called when a person works the page in the viewer, so the session is not idle. */
  onActivity?(touch: () => void): void;
}

/** A session the backend ended on its own side, in its words. */
export interface RemoteEnd {
  status: 'closed' | 'timed_out' | 'error';
  reason: NonNullable<SessionResponse['close_reason']>;
  error: string;
}

export interface OpenHooks {
  /** The browser or page died under the session; the registry marks it `error`. */
  onCrash(reason: string): void;
}

export interface OpenRequest {
  sessionId: string;
  request: SessionStartRequest;
  proxy: ProxySettings | undefined;
  downloadsDir: string;
  /** Loaded into the new context: a profile's state, start cookies. */
  startState?: StartState;
  /** The session's own storage folders upload_file reads from, ahead of --upload-root; [] means no uploads at all. */
  uploadDirs?: readonly string[];
  /** Aborted when the caller stopped waiting (--start-timeout): a start still in line leaves it. */
  signal?: AbortSignal;
}

export interface Driver {
  /**
   * Refuses start fields this backend cannot honour and returns the proxy to use; without it the registry applies
   * the local backend's rules (sessions/unsupported.ts).
   */
  checkRequest?(request: SessionStartRequest): ProxySettings | undefined;
  /** True when its sessions' step honours `secrets` (vault placeholders); a driver without it gets no vault_id. */
  readonly fillsVaultPlaceholders?: boolean;
  open(request: OpenRequest, hooks: OpenHooks): Promise<DriverSession>;
  /** Closes browsers that no session uses any more (a conversation just ended). */
  releaseIdle(): Promise<void>;
  /** Closes every browser. */
  shutdown(): Promise<void>;
}
