import type { Action } from '../notte/actions.js';
import type { ObserveOptions, ObserveResult } from '../page/observe.js';
import type { ScrapeDeps, ScrapeParams, ScrapeResult } from '../page/scrape.js';
import type { StepResult } from '../page/step.js';
import type { ProxySettings, SessionStartRequest } from '../notte/session.js';
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
  networkBytes(): { request: number; response: number };
  observe(options: ObserveOptions): Promise<ObserveResult>;
  step(action: Action): Promise<StepResult>;
  scrape(params: ScrapeParams, deps: ScrapeDeps): Promise<ScrapeResult>;
  /** Releases the session's context (and its own browser, if it has one). Safe to call twice. */
  close(): Promise<void>;
  /** Playwright backends: the context and tabs, so src/viewer can stream, record and take over. */
  readonly live?: LiveSurface;
  /** Set by src/viewer when the viewer is on: SessionResponse.viewer_url. */
  readonly viewerUrl?: string | null;
  /** Set by src/viewer: the session's recordings, once it has ended. */
  replay?(): SessionReplay;
  /** Set by src/viewer: `touch` is called when a person works the page in the viewer, so the session is not idle. */
  onActivity?(touch: () => void): void;
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
  /** Aborted when the caller stopped waiting (--start-timeout): a start still in line leaves it. */
  signal?: AbortSignal;
}

export interface Driver {
  open(request: OpenRequest, hooks: OpenHooks): Promise<DriverSession>;
  /** Closes browsers that no session uses any more (a conversation just ended). */
  releaseIdle(): Promise<void>;
  /** Closes every browser. */
  shutdown(): Promise<void>;
}
