import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { BrowserContext, Page } from 'playwright-core';
import type { ObserveSnapshot, PageHost } from './host.js';
import { PageState } from './pageState.js';

export interface ContextHostOptions {
  downloadsDir: string;
  uploadRoots?: readonly string[];
  allowLocalUrls?: boolean;
  blockPrivateNetworks?: boolean;
  screenshotType?: PageHost['screenshotType'];
  evaluateTimeoutMs?: number;
  /** Tabs that were in an attached context before the session: never the session's, never closed by it. */
  ignore?: ReadonlySet<Page>;
  /** The network guard's refusals (installNetworkGuard), under --block-private-networks. */
  blockedUrls?: readonly string[];
}

/** A PageHost over one BrowserContext: tabs in the order they opened, the active one followed on close. */
export class ContextHost implements PageHost {
  readonly context: BrowserContext;
  readonly downloadsDir: string;
  readonly uploadRoots: readonly string[];
  readonly allowLocalUrls: boolean;
  readonly blockPrivateNetworks: boolean;
  readonly screenshotType: PageHost['screenshotType'];
  readonly evaluateTimeoutMs: number | undefined;
  snapshot: ObserveSnapshot | undefined;
  lastActionId: string | undefined;
  readonly state = new PageState();
  readonly #tabs: Page[] = [];
  #active: Page | undefined;

  private constructor(context: BrowserContext, options: ContextHostOptions) {
    this.context = context;
    this.downloadsDir = options.downloadsDir;
    this.uploadRoots = options.uploadRoots ?? [];
    this.allowLocalUrls = options.allowLocalUrls ?? false;
    this.blockPrivateNetworks = options.blockPrivateNetworks ?? false;
    this.screenshotType = options.screenshotType ?? 'last_action';
    this.evaluateTimeoutMs = options.evaluateTimeoutMs;
    if (options.blockedUrls !== undefined) this.state.blockedUrls = options.blockedUrls;
    for (const page of context.pages()) if (options.ignore?.has(page) !== true) this.#track(page);
    context.on('page', (page) => this.#track(page));
  }

  /** Wraps `context`, opening a first tab when it has none. */
  static async create(context: BrowserContext, options: ContextHostOptions): Promise<ContextHost> {
    const host = new ContextHost(context, options);
    if (host.#tabs.length === 0) await context.newPage();
    return host;
  }

  page(): Page {
    const active = this.#active ?? this.#tabs.at(-1);
    if (active === undefined) throw new BsmError('E_NO_TAB', 'The session has no open tab.', `Open one with a goto_new_tab ${TOOL.step}.`);
    return active;
  }

  setActive(page: Page): void {
    if (!this.#tabs.includes(page)) this.#track(page);
    this.#active = page;
  }

  tabs(): Page[] {
    return [...this.#tabs];
  }

  #track(page: Page): void {
    if (this.#tabs.includes(page)) return;
    this.#tabs.push(page);
    this.#active ??= page;
    page.once('close', () => {
      const index = this.#tabs.indexOf(page);
      if (index >= 0) this.#tabs.splice(index, 1);
      if (this.#active === page) this.#active = this.#tabs.at(Math.max(0, index - 1)) ?? this.#tabs.at(-1);
    });
  }
}
