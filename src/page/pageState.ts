import type { Page } from 'playwright-core';
import type { PageEvents } from './dialogs.js';
import type { RetainedObservation } from './observe.js';
import type { KeptScrape } from './scrape.js';

/**
 * What the page layer remembers of one session between calls, in one object the session's host owns and drops
 * with it (instead of module-level maps): observe's last walk for its cursor, the last scrape of each tab that was
 * cut into parts, the tracker of dialogs, downloads and new tabs, and what the network guard refused.
 */
export class PageState {
  observed: RetainedObservation | undefined;
  /** Per tab, so a tab closed mid-read takes its scrape with it. */
  readonly scrapes = new WeakMap<Page, KeptScrape>();
  events: PageEvents | undefined;
  /** What --block-private-networks refused in this context (the guard's own list, kept current). */
  blockedUrls: readonly string[] = [];
}
