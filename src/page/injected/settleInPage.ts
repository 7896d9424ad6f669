/**
 * Runs inside the page (serialized by Playwright's evaluate): no imports at runtime, no closures over module scope.
 * How settle.ts sees the DOM react to an action: a MutationObserver installed before it, and a wait for quiet after.
 */

export interface ElementChanges {
  added: number;
  removed: number;
  appeared: string[];
}


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
  /** How late the page's timers have fired since the watch began (ms): its pace, sampled while the action runs. */
  lag: number;
  /** The pending pace probe; cleared when the wait ends or the next watch replaces this one. */
  probe: ReturnType<typeof setTimeout> | undefined;
}


export function installDomObserver(): void {
  const g = globalThis as unknown as { __bsmSettle?: DomWatchState }; // our own slot on the page's global object
  // The events an action dispatches; a mutation within SYNC_MS of one is that handler's synchronous effect.
  const EVENTS = ['pointerdown', 'mousedown', 'mouseup', 'click', 'keydown', 'keyup', 'input', 'change', 'submit'];
  const SYNC_MS = 8;
  // Pace probes: one timer every PROBE_MS, for at most PROBE_FOR_MS (a watch whose wait never comes stops itself).
  const PROBE_MS = 16;
  const PROBE_FOR_MS = 10_000;
  // Chromium's Navigation API: a link or form starting a navigation says so here before the request reaches Node.
  const navigation = (window as unknown as { navigation?: EventTarget }).navigation; // absent from older lib.dom typings
  const previous = g.__bsmSettle;
  if (previous !== undefined) {
    previous.observer.disconnect();
    clearTimeout(previous.probe);
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
    lag: 0,
    probe: undefined,
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
  const began = performance.now();
  let due = began + PROBE_MS;
  const probe = (): void => {
    const now = performance.now();
    state.lag = Math.max(state.lag, now - due);
    if (now - began > PROBE_FOR_MS) return;
    due = now + PROBE_MS;
    state.probe = setTimeout(probe, PROBE_MS);
  };
  state.probe = setTimeout(probe, PROBE_MS);
  g.__bsmSettle = state;
}

export function waitDomQuiet(args: { quietMs: number; minMs: number; reactMs: number; capMs: number }): Promise<ElementChanges> {
  const g = globalThis as unknown as { __bsmSettle?: DomWatchState }; // our own slot on the page's global object
  const state = g.__bsmSettle;
  const start = performance.now();
  return new Promise((resolve) => {
    const finish = (): void => {
      if (state !== undefined) clearTimeout(state.probe);
      resolve({ added: state?.added ?? 0, removed: state?.removed ?? 0, appeared: state?.appeared ?? [] });
    };
    if (state === undefined) {
      finish();
      return;
    }
    // The page's own pace: how late its timers fire (sampled from before the action, and by this wait's own
    // ticks). On a loaded machine a page that has not moved for 100 ms of wall time may simply not have run; the
    // windows stretch by the lateness seen, so "quiet" means the page had the chance to move and did not. On an
    // idle machine the lateness is a few ms and changes nothing.
    let due = start;
    const tick = (): void => {
      const now = performance.now();
      state.lag = Math.max(state.lag, now - due);
      const stretch = 2 * state.lag;
      const elapsed = now - start;
      const quietFor = now - state.last;
      const capMs = args.capMs + Math.min(args.capMs, 2 * stretch);
      const reactMs = args.reactMs + stretch;
      const quietMs = args.quietMs + stretch;
      // Mutations right after an input event were its handler's synchronous effect; any later one (even one that
      // landed before this wait began, on a busy machine) means the page is still reacting.
      const still = args.reactMs > 0 && !state.reacted;
      if (elapsed >= capMs || (still && elapsed >= reactMs) || (!still && elapsed >= args.minMs && quietFor >= quietMs)) {
        finish();
        return;
      }
      const wait = Math.max(5, Math.min(still ? reactMs - elapsed : quietMs - quietFor, capMs - elapsed, 50));
      due = now + wait;
      setTimeout(tick, wait);
    };
    tick();
  });
}
