import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { PageState } from './pageState.js';

/**
 * What the page layer sees of a session: its browser context, its tabs, and the latest observe snapshot.
 * The session (src/sessions) owns the context; the page layer never closes it.
 */
export interface PageHost {
  readonly context: BrowserContext;
  /** The tab actions apply to. */
  page(): Page;
  /** Make `page` the active tab (after goto_new_tab, switch_tab, a popup the agent should follow). */
  setActive(page: Page): void;
  /** Open tabs in the order the agent sees them (metadata.tabs, switch_tab's tab_index). */
  tabs(): Page[];
  /** Per-session folder where download_file saves files. Created on demand by the page layer. */
  /** '' when the session has no file storage (use_file_storage: false): downloads are refused. */
  readonly downloadsDir: string;
  /** Root folders upload_file may read from; a path outside all of them is refused. */
  readonly uploadRoots: readonly string[];
  /** When false, goto and friends refuse file:, chrome:, view-source: and similar schemes. */
  readonly allowLocalUrls: boolean;
  /** When true, goto and friends refuse loopback and private addresses (the browser blocks the rest). */
  readonly blockPrivateNetworks?: boolean;
  /** screenshot_type the session was started with. */
  readonly screenshotType: 'raw' | 'full' | 'last_action';
  /** The latest observe snapshot; ids are valid only against it. Set by observe, read by step. */
  snapshot: ObserveSnapshot | undefined;
  /** How long an evaluate_js script may run before the tab is taken for stuck (default 45 s, Notte's limit). */
  readonly evaluateTimeoutMs?: number;
  /** Id of the element the last step acted on, for `last_action` screenshots. */
  lastActionId: string | undefined;
  /** What observe, scrape and the page-event tracker keep between calls. */
  readonly state: PageState;
}

/**
 * One observed element, kept server-side so step can find it again.
 *
 * In-page contract: observe stores the live element of every id in each frame it walked, in
 * `globalThis.__bsm.ids` (a Map<string, Element>), and sets `globalThis.__bsm.epoch` to `snapshot.epoch`.
 * step first resolves an id there (fast path, same element); when the element is gone or detached it re-finds
 * it by `selector`, then by `role` + `name` + `nth`, inside the frame reached through `framePath`.
 */
export interface ElementDescriptor {
  id: string;
  /** Playwright Frame the element lived in when observed (may be detached later). */
  frame: Frame;
  /** CSS selectors of the iframe elements from the main frame down to the element's frame; [] for the main frame. */
  framePath: string[];
  tag: string;
  /** ARIA-like role as in the Notte role mapping (link, button, checkbox, textbox, combobox, option, img, ...). */
  role: string;
  /** Accessible name, trimmed. */
  name: string;
  /** A CSS selector unique in its frame when observed (Playwright css pierces open shadow roots). */
  selector: string;
  /** 0-based position among elements of the same role and name in the frame. */
  nth: number;
  disabled: boolean;
  bbox: { x: number; y: number; width: number; height: number } | null;
}

export interface ObserveSnapshot {
  /** Increases with every observe of the session; written into each frame as globalThis.__bsm.epoch. */
  epoch: number;
  url: string;
  takenAt: Date;
  elements: Map<string, ElementDescriptor>;
}
