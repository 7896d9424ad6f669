import type { Page, Request } from 'playwright-core';
import { isContextGone } from './actions/errors.js';
import { installDomObserver, waitDomQuiet } from './injected/settleInPage.js';
import type { ElementChanges } from './injected/settleInPage.js';

/**
 * Bounded waits for what an action caused: a navigation it started, the requests it sent, the DOM changes it made.
 * No fixed sleeps: each wait ends as soon as its signal is quiet, and each has a cap.
 */

export interface Waited {
  navigation?: number;
  network?: number;
  dom?: number;
  /** Set by step: a tab the action opened, until its first document was parsed. */
  popup?: number;
}


export type { ElementChanges };

export interface SettleReport {
  waited: Waited;
  navigated: boolean;
  /** DOM changes in the page's document; null when it navigated (the counts died with the old document). */
  elements: ElementChanges | null;
  /** Set when a wait hit its cap, e.g. "network still busy after 3000ms". */
  notes: string[];
}

export interface SettleOptions {
  /** Upper bound for a navigation to reach domcontentloaded. */
  navigationTimeoutMs: number;
  /** Whether to watch the DOM (skipped for actions whose effect is a navigation anyway). */
  dom?: boolean;
}

// Why these numbers: a page's direct reaction to an input event (handlers, and the re-render of React, Vue,
// Angular or Svelte, which flush in the event or its microtasks) is in the DOM by the time the action returns.
// What it starts asynchronously (timers, animation frames, scheduler tasks) shows within a frame or two, so when
// nothing at all moves in the 30 ms after the action, and no request went out, the page is done. Once something
// moves after the action, the page is mid-reaction: then 100 ms without mutations means the reaction is over.
// Fetches answered by a local or nearby server take tens of ms; 150 ms of network silence (the spec allows up to
// 500) catches chained requests without making every step slow. Caps keep busy pages (tickers, long polling) from
// stalling the agent. These are the windows of an idle machine: both waits stretch them by the lateness of their
// own timers (the page's, and this process's), so a loaded CPU lengthens the wait instead of cutting it short.
const DOM_REACT_MS = 30;
const DOM_QUIET_MS = 100;
const DOM_MIN_MS = 50;
const DOM_CAP_MS = 1_500;
const NETWORK_IDLE_MS = 150;
const NETWORK_CAP_MS = 3_000;
const TRACKED_RESOURCES = new Set(['document', 'xhr', 'fetch', 'script', 'stylesheet']);

/** Watches one page from just before an action until `settle()` says it is quiet. */
export class SettleWatch {
  readonly #page: Page;
  readonly #inflight = new Set<Request>();
  #lastNetwork = 0;
  #sawRequests = false;
  /** A main-frame document request was seen, or the document died: a real navigation, not a pushState. */
  #navRequest = false;
  #frameNavigated = false;
  #domWatched = false;
  #onNavigated: (() => void) | undefined;

  private constructor(page: Page) {
    this.#page = page;
  }

  /** Starts watching; call right before the action. */
  static async begin(page: Page, options: { dom: boolean }): Promise<SettleWatch> {
    const watch = new SettleWatch(page);
    page.on('request', watch.#onRequest);
    page.on('requestfinished', watch.#onRequestDone);
    page.on('requestfailed', watch.#onRequestDone);
    page.on('framenavigated', watch.#onFrameNavigated);
    if (options.dom) watch.#domWatched = await installDomWatch(page);
    return watch;
  }

  get navigated(): boolean {
    return this.#frameNavigated && this.#navRequest;
  }

  /** Waits, bounded, for the effects of the action and stops watching. */
  async settle(options: SettleOptions): Promise<SettleReport> {
    const waited: Waited = {};
    const notes: string[] = [];
    let elements: ElementChanges | null = null;
    try {
      if (this.#domWatched && options.dom !== false && !this.#navRequest) {
        const started = Date.now();
        const dom = await this.#waitDom(DOM_MIN_MS, DOM_REACT_MS);
        waited.dom = Date.now() - started;
        if (dom !== null) elements = dom;
        else this.#navRequest = true;
      }
      if (this.#navRequest) {
        const started = Date.now();
        const ok = await this.#waitNavigation(options.navigationTimeoutMs);
        waited.navigation = Date.now() - started;
        if (!ok) notes.push(`navigation not finished after ${options.navigationTimeoutMs}ms`);
        elements = null;
      }
      if (this.#sawRequests) {
        const started = Date.now();
        const idle = await this.#waitNetworkIdle();
        waited.network = Date.now() - started;
        if (!idle) notes.push(`network still busy after ${NETWORK_CAP_MS}ms`);
        // Answers to those requests usually re-render: one more short DOM pass, without the minimum.
        if (elements !== null && waited.network > 0 && !this.#navRequest) {
          const again = Date.now();
          const dom = await this.#waitDom(0, 0);
          waited.dom = (waited.dom ?? 0) + (Date.now() - again);
          if (dom !== null) elements = dom;
        }
      }
    } finally {
      this.stop();
    }
    return { waited, navigated: this.navigated, elements, notes };
  }

  /** Removes the listeners (settle does it too; call it when the action failed before settling). */
  stop(): void {
    this.#page.off('request', this.#onRequest);
    this.#page.off('requestfinished', this.#onRequestDone);
    this.#page.off('requestfailed', this.#onRequestDone);
    this.#page.off('framenavigated', this.#onFrameNavigated);
  }

  readonly #onRequest = (request: Request): void => {
    if (!TRACKED_RESOURCES.has(request.resourceType())) return;
    if (request.isNavigationRequest() && isMainFrame(this.#page, request)) this.#navRequest = true;
    this.#sawRequests = true;
    this.#inflight.add(request);
    this.#lastNetwork = Date.now();
  };

  readonly #onRequestDone = (request: Request): void => {
    if (this.#inflight.delete(request)) this.#lastNetwork = Date.now();
  };

  readonly #onFrameNavigated = (frame: unknown): void => {
    if (frame !== this.#page.mainFrame()) return;
    this.#frameNavigated = true;
    this.#onNavigated?.();
  };

  /** `reactMs` > 0: done early when nothing moves that long after the action; 0: always wait for the quiet window. */
  async #waitDom(minMs: number, reactMs: number): Promise<ElementChanges | null> {
    try {
      return await this.#page.evaluate(waitDomQuiet, { quietMs: DOM_QUIET_MS, minMs, reactMs, capMs: DOM_CAP_MS });
    } catch (error) {
      if (isContextGone(error)) return null;
      throw error;
    }
  }

  async #waitNavigation(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    if (!this.#frameNavigated) {
      // The request may still fail or be replaced (downloads, 204s): give up as soon as nothing is in flight.
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const pendingDocument = [...this.#inflight].some((r) => r.resourceType() === 'document');
          if (this.#frameNavigated || !pendingDocument || Date.now() > deadline) done();
        }, 20);
        const done = (): void => {
          clearInterval(timer);
          this.#onNavigated = undefined;
          resolve();
        };
        this.#onNavigated = done;
      });
    }
    if (!this.#frameNavigated) return Date.now() <= deadline;
    try {
      await this.#page.waitForLoadState('domcontentloaded', { timeout: Math.max(1, deadline - Date.now()) });
      return true;
    } catch {
      return false;
    }
  }

  async #waitNetworkIdle(): Promise<boolean> {
    const deadline = Date.now() + NETWORK_CAP_MS;
    // As in the page's DOM wait: the quiet window stretches by how late this process's own timers fire, so a busy
    // event loop that has not yet delivered a response's events is not mistaken for a quiet network.
    let lag = 0;
    while (Date.now() < deadline) {
      if (this.#page.isClosed()) return true;
      if (this.#inflight.size === 0 && Date.now() - this.#lastNetwork >= NETWORK_IDLE_MS + 2 * lag) return true;
      const asked = Date.now();
      await sleep(25);
      lag = Math.max(lag, Date.now() - asked - 25);
    }
    return false;
  }
}

function isMainFrame(page: Page, request: Request): boolean {
  try {
    return request.frame() === page.mainFrame();
  } catch {
    // Service-worker requests have no frame.
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function installDomWatch(page: Page): Promise<boolean> {
  try {
    await page.evaluate(installDomObserver);
    return true;
  } catch {
    return false;
  }
}
