import type { Page, Request } from 'playwright-core';
import { isContextGone } from './actions/errors.js';

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

export interface ElementChanges {
  added: number;
  removed: number;
  appeared: string[];
}

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
// stalling the agent.
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
    while (Date.now() < deadline) {
      if (this.#page.isClosed()) return true;
      if (this.#inflight.size === 0 && Date.now() - this.#lastNetwork >= NETWORK_IDLE_MS) return true;
      await sleep(25);
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

// ---------------------------------------------------------------------------------------------------------------
// In-page code. Runs in the browser: no imports, no closures over Node values.

interface DomWatchState {
  added: number;
  removed: number;
  last: number;
  appeared: string[];
  observer: MutationObserver;
  /** When the last input event (click, key, input…) reached the page. */
  eventAt: number;
  /** A mutation came later than an event handler's own: the page is reacting (timers, fetches, animations). */
  reacted: boolean;
  onEvent: () => void;
  onNavigate: () => void;
}

function installDomObserver(): void {
  const g = globalThis as unknown as { __bsmSettle?: DomWatchState }; // our own slot on the page's global object
  // The events an action dispatches; a mutation within SYNC_MS of one is that handler's synchronous effect.
  const EVENTS = ['pointerdown', 'mousedown', 'mouseup', 'click', 'keydown', 'keyup', 'input', 'change', 'submit'];
  const SYNC_MS = 8;
  // Chromium's Navigation API: a link or form starting a navigation says so here before the request reaches Node.
  const navigation = (window as unknown as { navigation?: EventTarget }).navigation; // absent from older lib.dom typings
  const previous = g.__bsmSettle;
  if (previous !== undefined) {
    previous.observer.disconnect();
    for (const type of EVENTS) window.removeEventListener(type, previous.onEvent, true);
    navigation?.removeEventListener('navigate', previous.onNavigate);
  }
  const describe = (el: Element): string => {
    const text = (el instanceof HTMLElement ? el.innerText : el.textContent) ?? '';
    const label = (text.trim() || el.getAttribute('aria-label') || el.getAttribute('placeholder') || '').replace(/\s+/g, ' ');
    return label === '' ? '' : `<${el.tagName.toLowerCase()}> ${label.slice(0, 60)}`;
  };
  const state: DomWatchState = {
    added: 0,
    removed: 0,
    last: performance.now(),
    appeared: [],
    eventAt: Number.NEGATIVE_INFINITY,
    reacted: false,
    onEvent: () => {
      state.eventAt = performance.now();
    },
    onNavigate: () => {
      state.reacted = true;
      state.last = performance.now();
    },
    observer: new MutationObserver((records) => {
      state.last = performance.now();
      if (state.last - state.eventAt > SYNC_MS) state.reacted = true;
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          state.added += 1 + node.getElementsByTagName('*').length;
          if (state.appeared.length < 3) {
            const text = describe(node);
            if (text !== '' && !state.appeared.includes(text)) state.appeared.push(text);
          }
        }
        for (const node of record.removedNodes) {
          if (node instanceof Element) state.removed += 1 + node.getElementsByTagName('*').length;
        }
      }
    }),
  };
  state.observer.observe(document, { childList: true, subtree: true, attributes: true, characterData: true });
  for (const type of EVENTS) window.addEventListener(type, state.onEvent, { capture: true, passive: true });
  navigation?.addEventListener('navigate', state.onNavigate);
  g.__bsmSettle = state;
}

function waitDomQuiet(args: { quietMs: number; minMs: number; reactMs: number; capMs: number }): Promise<ElementChanges> {
  const g = globalThis as unknown as { __bsmSettle?: DomWatchState }; // our own slot on the page's global object
  const state = g.__bsmSettle;
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = (): void => {
      resolve({ added: state?.added ?? 0, removed: state?.removed ?? 0, appeared: state?.appeared ?? [] });
    };
    if (state === undefined) {
      finish();
      return;
    }
    const tick = (): void => {
      const now = performance.now();
      const elapsed = now - start;
      const quietFor = now - state.last;
      // Mutations right after an input event were its handler's synchronous effect; any later one (even one that
      // landed before this wait began, on a busy machine) means the page is still reacting.
      const still = args.reactMs > 0 && !state.reacted;
      if (elapsed >= args.capMs || (still && elapsed >= args.reactMs) || (!still && elapsed >= args.minMs && quietFor >= args.quietMs)) {
        finish();
        return;
      }
      const wait = still ? args.reactMs - elapsed : args.quietMs - quietFor;
      setTimeout(tick, Math.max(5, Math.min(wait, args.capMs - elapsed, 50)));
    };
    tick();
  });
}
