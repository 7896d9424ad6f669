import { LiveSessions } from './liveSessions.js';
import { BsmError, errorText, excerpt } from '../errors.js';
import { log } from '../log.js';
import { TOOL } from '../notte/toolNames.js';
import { CONNECT_TIMEOUT_MS, connectCdp, openAttached } from './attach.js';
import { maskUrl, parseCdpEndpoint } from './cdpEndpoint.js';
import { checkChromeArgs } from './chromeArgs.js';
import { QUIET_ARGS } from './chromium.js';
import type { Driver, DriverSession, OpenHooks, OpenRequest } from './driver.js';
import { mergeFeatureArgs } from './launchArgs.js';
import { viewportFor } from './playwright.js';
import type { PageOptions } from './playwright.js';

export interface GridDriverOptions {
  page: PageOptions;
  /** --selenium-grid: the Grid's router (hub or standalone), e.g. http://grid:4444. */
  gridUrl: string;
  /** The browser binary on the nodes (--executable-path); unset lets each node pick its own. */
  binary?: string | undefined;
  browserArgs: readonly string[];
  allowChromeArgs?: boolean | undefined;
  /** A new session waits in the Grid's queue; past this it is given up (and deleted if it came late). */
  createTimeoutMs?: number;
  keepAliveMs?: number;
}

/** How often a Grid browser is probed: its loss shows within this plus the probe's own 5 s. */
const HEARTBEAT_MS = 2_000;
/** Well under the Grid's default --session-timeout of 300 s. */
const KEEPALIVE_MS = 60_000;
/** Time for the Grid to answer a DELETE; a Grid that does not is left to its own session timeout. */
const DELETE_TIMEOUT_MS = 10_000;

/**
 * Selenium Grid 4 as the engine: one Grid session per browser session, driven through the `se:cdp` WebSocket
 * the Grid hands out, and DELETEd when ours ends (stop, timeout, disconnect, shutdown, the browser lost).
 * The Grid's queue and node slots are what scale; the server's own session limits still apply.
 */
export class GridDriver implements Driver {
  readonly #options: GridDriverOptions;
  readonly #base: URL;
  readonly #live = new LiveSessions<DriverSession>();

  constructor(options: GridDriverOptions) {
    this.#options = options;
    const grid = parseCdpEndpoint(options.gridUrl, '--selenium-grid');
    if (grid.kind !== 'http') throw new BsmError('E_INVALID_INPUT', `--selenium-grid: ${grid.masked} is a WebSocket; give the Grid's HTTP address, e.g. http://grid:4444.`);
    this.#base = grid.url;
  }

  async open(open: OpenRequest, hooks: OpenHooks): Promise<DriverSession> {
    const { request } = open;
    const ownArgs = request.chrome_args ?? [];
    checkChromeArgs(ownArgs, this.#options.allowChromeArgs === true);
    const viewport = viewportFor(request);
    const args = mergeFeatureArgs([
      ...QUIET_ARGS, ...this.#options.browserArgs, ...ownArgs,
      // Playwright launches with these; a Grid node's chromedriver does not, and a root container needs no-sandbox.
      '--no-sandbox', `--window-size=${viewport.width},${viewport.height}`,
      ...(request.headless ? ['--headless=new'] : []),
    ]);
    const chromeOptions = { args, ...(this.#options.binary !== undefined ? { binary: this.#options.binary } : {}) };
    const created = await this.#create({ capabilities: { alwaysMatch: { browserName: 'chrome', 'goog:chromeOptions': chromeOptions } } }, open.signal);
    const remove = (): Promise<void> => this.#delete(created.id);
    const endpoint = parseCdpEndpoint(created.cdp, 'se:cdp');
    let browser;
    try {
      browser = await connectCdp(endpoint, created.cdp, {}, CONNECT_TIMEOUT_MS);
    } catch (error: unknown) {
      await remove();
      throw error;
    }
    const keepAlive = this.#keepAlive(created.id, hooks);
    return this.#live.track((forget) =>
      openAttached({
        browser, open, hooks, options: this.#options.page, cdpUrl: endpoint.masked,
        lostReason: `The Grid browser (session ${created.id}) went away.`,
        heartbeatMs: HEARTBEAT_MS,
        afterClose: async () => {
          clearInterval(keepAlive);
          forget();
          await remove();
        },
      }),
    );
  }

  async releaseIdle(): Promise<void> {
    // Grid sessions end with ours; nothing is kept warm.
  }

  async shutdown(): Promise<void> {
    await this.#live.closeAll();
  }

  async #create(body: unknown, signal: AbortSignal | undefined): Promise<{ id: string; cdp: string }> {
    const url = new URL('session', this.#baseHref());
    const timeout = AbortSignal.timeout(this.#options.createTimeoutMs ?? 60_000);
    let response: Response;
    let payload: unknown;
    try {
      // Not cut short when the start is given up: the Grid may create the session anyway (a proxy in between never
      // tells it we left), and only its answer names the session to DELETE, below.
      response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body), signal: timeout });
      payload = await response.json();
    } catch (error: unknown) {
      throw new BsmError('E_BACKEND_UNAVAILABLE', `The Selenium Grid at ${maskUrl(this.#base)} could not be reached (${excerpt(errorText(error), 160)}).`, `Check --selenium-grid and that the Grid is up (GET /status), then call ${TOOL.start} again.`, { cause: error });
    }
    const value = field(payload, 'value');
    const id = field(value, 'sessionId');
    const cdp = field(field(value, 'capabilities'), 'se:cdp');
    if (!response.ok || typeof id !== 'string' || typeof cdp !== 'string') {
      if (typeof id === 'string') await this.#delete(id); // a session without a CDP socket is no use to us
      const message = field(value, 'message');
      throw new BsmError('E_BACKEND_UNAVAILABLE', `The Selenium Grid refused a session (${response.status}: ${excerpt(typeof message === 'string' ? message : typeof cdp === 'string' ? '' : 'no se:cdp in its capabilities', 200)}).`, `Check the Grid's nodes (Chrome with CDP, Grid 4), then call ${TOOL.start} again.`);
    }
    if (signal?.aborted === true) {
      await this.#delete(id);
      throw new BsmError('E_START_TIMEOUT', 'The session start was given up while the Grid was creating its browser.', `Call ${TOOL.start} again.`);
    }
    log('debug', 'grid session created', { grid_session: id });
    return { id, cdp };
  }

  /**
   * CDP traffic through se:cdp need not count as activity for the Grid's --session-timeout
   * (SeleniumHQ/selenium#12223), so a cheap WebDriver read keeps the session alive; a Grid that no longer knows
   * the session (404) has ended it, and so does ours.
   */
  #keepAlive(id: string, hooks: OpenHooks): NodeJS.Timeout {
    const url = new URL(`session/${encodeURIComponent(id)}/timeouts`, this.#baseHref());
    const timer = setInterval(() => {
      fetch(url, { signal: AbortSignal.timeout(DELETE_TIMEOUT_MS) }).then(
        (response) => {
          if (response.status === 404) hooks.onCrash(`The Selenium Grid ended its session ${id} (its --session-timeout, or a node restart).`);
        },
        () => undefined, // a Grid that does not answer once is not a lost session; the CDP heartbeat judges the browser
      );
    }, this.#options.keepAliveMs ?? KEEPALIVE_MS);
    timer.unref();
    return timer;
  }

  async #delete(id: string): Promise<void> {
    const url = new URL(`session/${encodeURIComponent(id)}`, this.#baseHref());
    try {
      await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(DELETE_TIMEOUT_MS) });
      log('debug', 'grid session deleted', { grid_session: id });
    } catch (error: unknown) {
      log('warn', 'could not delete a grid session; the Grid\'s session timeout will end it', { grid_session: id, error: errorText(error) });
    }
  }

  #baseHref(): string {
    return this.#base.href.endsWith('/') ? this.#base.href : `${this.#base.href}/`;
  }
}

function field(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<string, unknown>)[name]; // JSON from the Grid: any object may be indexed by name
}
