import type { Action } from '../notte/actions.js';
import type { ObserveOptions, ObserveResult } from '../page/observe.js';
import type { ScrapeDeps, ScrapeParams, ScrapeResult } from '../page/scrape.js';
import type { StepResult } from '../page/step.js';
import type { SecretSource } from '../page/secrets.js';
import type { ProxySettings, SessionStartRequest } from '../notte/session.js';

/** What a session needs from a backend: the page operations, its byte counters, and a way to end it. */
export interface DriverSession {
  /** What the session's browser really applied, echoed in SessionResponse. */
  readonly applied: { viewportWidth: number | null; viewportHeight: number | null; userAgent: string | null; proxies: boolean };
  readonly cdpUrl: string | null;
  /** Where a person can watch the session live, when the backend offers it. */
  readonly viewerUrl?: string | null;
  networkBytes(): { request: number; response: number };
  observe(options: ObserveOptions): Promise<ObserveResult>;
  /** `secrets`: the session's vault for this step; a driver that cannot honour it must refuse placeholders, not type them. */
  step(action: Action, secrets?: SecretSource): Promise<StepResult>;
  scrape(params: ScrapeParams, deps: ScrapeDeps): Promise<ScrapeResult>;
  /** Releases the session's context (and its own browser, if it has one). Safe to call twice. */
  close(): Promise<void>;
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
