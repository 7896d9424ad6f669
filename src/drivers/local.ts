import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { BsmError, errorMessage, errorText } from '../errors.js';
import { log } from '../log.js';
import { TOOL } from '../notte/toolNames.js';
import { bounded, DEFAULT_CALL_LIMITS } from '../page/bounded.js';
import type { CallLimits } from '../page/bounded.js';
import { ContextHost } from '../page/contextHost.js';
import { installPageHandlers } from '../page/dialogs.js';
import { installNetworkGuard, resolvesPrivate } from '../page/networkGuard.js';
import { observe } from '../page/observe.js';
import { scrape } from '../page/scrape.js';
import { step } from '../page/step.js';
import { checkChromeArgs } from './chromeArgs.js';
import { QUIET_ARGS, findChromium } from './chromium.js';
import { mergeFeatureArgs } from './launchArgs.js';
import { spareIsAlive } from './spareCheck.js';
import { StartQueue } from './startQueue.js';
import type { Driver, DriverSession, OpenHooks, OpenRequest } from './driver.js';

const DEFAULT_VIEWPORT = { width: 1280, height: 1080 };
const ASPECT_VIEWPORTS = { '5:4': { width: 1280, height: 1024 }, '16:9': { width: 1280, height: 720 } } as const;
/** A shared browser with no sessions stays up this long, so the next session_start is warm. */
const LINGER_MS = 60_000;

export interface LocalDriverOptions {
  executablePath: string | undefined;
  browserArgs: readonly string[];
  uploadRoots: readonly string[];
  allowLocalUrls: boolean;
  /** Wall-clock limit of each page call; defaults to DEFAULT_CALL_LIMITS. */
  callLimits?: CallLimits;
  /** --allow-chrome-args: clients may pass any chrome_args switch but the never-allowed ones. */
  allowChromeArgs?: boolean;
  /** --block-private-networks: contexts refuse loopback and private destinations. */
  blockPrivateNetworks?: boolean;
}

interface BrowserEntry {
  key: string;
  shared: boolean;
  browser: Promise<Browser>;
  contexts: Set<BrowserContext>;
  /** Starts between taking the entry and adding their context: a conversation ending meanwhile must not close it. */
  opening: number;
  crashHooks: Map<BrowserContext, OpenHooks>;
  closing: boolean;
  lingerTimer: NodeJS.Timeout | undefined;
  /** A context with its first tab already open, for the next session with the same options. */
  spare: Spare | undefined;
}

interface Spare {
  key: string;
  /** Until the delay has passed nothing is being built, and a start must not wait for it. */
  timer: NodeJS.Timeout | undefined;
  context: Promise<BrowserContext | undefined>;
}

/** Opening a tab spawns a renderer, the slowest part of a start; a spare made at leisure takes it off the path. */
const SPARE_DELAY_MS = 500;
/** Contexts built at once; more only share the same cores and all finish late. */
const START_CONCURRENCY = 2;

/** Embedded backend: Chromium on this machine, one shared browser per launch configuration, one context per session. */
export class LocalDriver implements Driver {
  readonly #options: LocalDriverOptions;
  readonly #entries = new Map<string, BrowserEntry>();
  readonly #queue = new StartQueue(START_CONCURRENCY);
  #ownCounter = 0;

  constructor(options: LocalDriverOptions) {
    this.#options = options;
  }

  async open(open: OpenRequest, hooks: OpenHooks): Promise<DriverSession> {
    return this.#open(open, hooks, false);
  }

  /** `retried`: the shared browser this start found died under it, and a fresh one is being tried once. */
  async #open(open: OpenRequest, hooks: OpenHooks, retried: boolean): Promise<DriverSession> {
    const { request } = open;
    if (request.headless === false && process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) {
      throw new BsmError('E_NOT_SUPPORTED', 'headless: false needs a display, and this server has none (DISPLAY is unset).', 'Start the session with headless: true, or run the server under a display (e.g. xvfb-run).');
    }
    const ownArgs = request.chrome_args ?? [];
    checkChromeArgs(ownArgs, this.#options.allowChromeArgs === true);
    if (this.#options.blockPrivateNetworks === true && open.proxy?.type === 'external') await refusePrivateProxy(open.proxy.server);
    const executablePath = findChromium(this.#options.executablePath);
    const shared = request.headless && ownArgs.length === 0;
    const args = mergeFeatureArgs([...QUIET_ARGS, ...this.#options.browserArgs, ...ownArgs]);
    const key = shared ? JSON.stringify({ executablePath, args }) : `own-${++this.#ownCounter}`;
    const entry = this.#entry(key, shared, async () => {
      // Loaded on first use: playwright-core takes longer to import than the rest of the server to start.
      const { chromium } = await import('playwright-core');
      return chromium.launch({ executablePath, headless: request.headless, args, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    });
    clearTimeout(entry.lingerTimer);
    entry.opening += 1;
    try {
      return await this.#openOn(entry, key, open, hooks, retried);
    } finally {
      entry.opening -= 1;
      // A failed start could not release the browser while it still counted as opening: do it now.
      if (entry.contexts.size === 0) await this.#releaseIfUnused(entry, entry.shared ? LINGER_MS : 0);
    }
  }

  async #openOn(entry: BrowserEntry, key: string, open: OpenRequest, hooks: OpenHooks, retried: boolean): Promise<DriverSession> {
    const { request } = open;
    let browser: Browser;
    try {
      browser = await entry.browser;
    } catch (error: unknown) {
      this.#entries.delete(key);
      throw new BsmError('E_BROWSER_LAUNCH', `Chromium failed to start: ${errorText(error)}`, `Check --executable-path and chrome_args, then call ${TOOL.start} again.`, { cause: error });
    }
    const viewport = request.viewport_width && request.viewport_height
      ? { width: request.viewport_width, height: request.viewport_height }
      : request.aspect_ratio ? ASPECT_VIEWPORTS[request.aspect_ratio] : DEFAULT_VIEWPORT;
    const contextOptions: BrowserContextOptions = {
      viewport,
      acceptDownloads: request.use_file_storage,
      // Service workers fetch outside the context's routes, so the private-network guard could not see them.
      ...(this.#options.blockPrivateNetworks === true ? { serviceWorkers: 'block' as const } : {}),
      ...(request.user_agent ? { userAgent: request.user_agent } : {}),
      ...(request.extra_http_headers ? { extraHTTPHeaders: request.extra_http_headers } : {}),
      ...(open.proxy?.type === 'external'
        ? { proxy: { server: open.proxy.server, ...(open.proxy.username ? { username: open.proxy.username } : {}), ...(open.proxy.password ? { password: open.proxy.password } : {}), ...(open.proxy.bypass ? { bypass: open.proxy.bypass } : {}) } }
        : {}),
    };
    const optionsKey = JSON.stringify(contextOptions);
    let context: BrowserContext;
    try {
      // A warm start takes the spare at once; only a start that must build its own context waits its turn.
      context = (await this.#takeSpare(entry, optionsKey)) ?? (await this.#queue.run(() => freshContext(browser, contextOptions), open.signal));
    } catch (error: unknown) {
      // The browser was killed after this start found it, before its 'disconnected' event: forget it, launch anew.
      if (!retried && !browser.isConnected() && !(error instanceof BsmError)) {
        if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
        return this.#open(open, hooks, true);
      }
      await this.#releaseIfUnused(entry, entry.shared ? LINGER_MS : 0);
      if (error instanceof BsmError) throw error;
      throw new BsmError('E_BROWSER_LAUNCH', `Could not open a browser context: ${errorText(error)}`, `Check user_agent, extra_http_headers and the viewport, then call ${TOOL.start} again.`, { cause: error });
    }
    entry.contexts.add(context);
    entry.crashHooks.set(context, hooks);
    const release = async (): Promise<void> => {
      entry.crashHooks.delete(context);
      entry.contexts.delete(context);
      await context.close().catch(() => undefined); // already gone with a crashed browser
      await this.#releaseIfUnused(entry, entry.shared ? LINGER_MS : 0);
    };

    const bytes = { request: 0, response: 0 };
    let host: ContextHost;
    try {
      if (this.#options.blockPrivateNetworks === true) await installNetworkGuard(context);
      context.on('requestfinished', (req) => {
        req.sizes().then(
          (sizes) => {
            bytes.request += sizes.requestHeadersSize + sizes.requestBodySize;
            bytes.response += sizes.responseHeadersSize + sizes.responseBodySize;
          },
          () => undefined, // the context closed before the sizes arrived; nothing left to count
        );
      });
      context.on('page', (page) => page.on('crash', () => hooks.onCrash('The page crashed (renderer process gone).')));

      host = await ContextHost.create(context, {
        downloadsDir: open.downloadsDir,
        uploadRoots: this.#options.uploadRoots,
        allowLocalUrls: this.#options.allowLocalUrls,
        blockPrivateNetworks: this.#options.blockPrivateNetworks === true,
        screenshotType: request.screenshot_type,
        // Half the step's limit, so a busy evaluate_js answers itself (and frees its tab) before the step gives up.
        evaluateTimeoutMs: Math.min(45_000, Math.floor((this.#options.callLimits ?? DEFAULT_CALL_LIMITS).stepMs / 2)),
      });
      for (const page of host.tabs()) page.on('crash', () => hooks.onCrash('The page crashed (renderer process gone).'));
      // Dialogs, downloads and popups are handled from the first page on, so none can block the session.
      installPageHandlers(host);
      if (open.signal?.aborted === true) throw new BsmError('E_START_TIMEOUT', 'The session start was given up.', `Call ${TOOL.start} again.`);
    } catch (error: unknown) {
      // A start that fails inside the browser gives back everything it took: the context, and the browser if unused.
      await release();
      if (error instanceof BsmError) throw error;
      throw new BsmError('E_BROWSER_LAUNCH', `Could not open the session's first tab: ${errorText(error)}`, `Check user_agent, extra_http_headers and the viewport, then call ${TOOL.start} again.`, { cause: error });
    }
    if (entry.shared) this.#prepareSpare(entry, browser, contextOptions, optionsKey);

    const limits = this.#options.callLimits ?? DEFAULT_CALL_LIMITS;
    let closed = false;
    return {
      applied: { viewportWidth: viewport.width, viewportHeight: viewport.height, userAgent: request.user_agent ?? null, proxies: open.proxy !== undefined },
      cdpUrl: null,
      live: host,
      networkBytes: () => ({ ...bytes }),
      observe: (options) => bounded(host, 'observe', limits.observeMs, () => observe(host, options)),
      step: (action) => bounded(host, 'step', limits.stepMs, () => step(host, action)),
      scrape: (params, deps) => bounded(host, 'scrape', limits.scrapeMs, () => scrape(host, params, deps)),
      close: async () => {
        if (closed) return;
        closed = true;
        await release();
      },
    };
  }

  /** Loads playwright-core ahead of the first session_start, once the client has had its tool list. */
  prewarm(): void {
    import('playwright-core').catch((error: unknown) => log('warn', 'could not load playwright-core', { error: errorMessage(error) }));
  }

  async releaseIdle(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => this.#releaseIfUnused(entry)));
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => this.#closeEntry(entry)));
  }

  #entry(key: string, shared: boolean, launch: () => Promise<Browser>): BrowserEntry {
    const existing = this.#entries.get(key);
    if (existing !== undefined && !existing.closing) return existing;
    const entry: BrowserEntry = { key, shared, browser: launch(), contexts: new Set(), opening: 0, crashHooks: new Map(), closing: false, lingerTimer: undefined, spare: undefined };
    this.#entries.set(key, entry);
    entry.browser.then(
      (browser) => {
        log('debug', 'browser launched', { key: shared ? 'shared' : key, version: browser.version() });
        browser.on('disconnected', () => this.#onDisconnected(entry));
      },
      () => undefined, // open() reports the launch failure to the caller
    );
    return entry;
  }

  async #takeSpare(entry: BrowserEntry, key: string): Promise<BrowserContext | undefined> {
    const spare = entry.spare;
    entry.spare = undefined;
    if (spare === undefined) return undefined;
    if (spare.timer !== undefined) {
      clearTimeout(spare.timer);
      return undefined;
    }
    if (spare.key === key) {
      const context = await spare.context;
      if (context === undefined) return undefined;
      // A spare whose tab died (every renderer killed) would hand out a session that can do nothing.
      if (await spareIsAlive(context)) return context;
      log('warn', 'discarded a dead spare context');
      void context.close().catch(() => undefined);
      return undefined;
    }
    void spare.context.then((context) => context?.close()).catch(() => undefined); // options changed: it would never fit
    return undefined;
  }

  #prepareSpare(entry: BrowserEntry, browser: Browser, options: BrowserContextOptions, key: string): void {
    if (entry.spare !== undefined) return;
    let resolveContext: (context: BrowserContext | undefined) => void = () => undefined;
    const spare: Spare = { key, timer: undefined, context: new Promise((resolve) => (resolveContext = resolve)) };
    spare.timer = setTimeout(() => {
      spare.timer = undefined;
      if (entry.closing || !browser.isConnected()) {
        resolveContext(undefined);
        return;
      }
      browser
        .newContext(options)
        .then(async (fresh) => {
          await fresh.newPage();
          return fresh;
        })
        .then(resolveContext, () => resolveContext(undefined)); // no spare: the next start opens its own context
    }, SPARE_DELAY_MS);
    spare.timer.unref();
    entry.spare = spare;
  }

  #onDisconnected(entry: BrowserEntry): void {
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    clearTimeout(entry.lingerTimer);
    if (entry.closing) return;
    log('warn', 'browser exited unexpectedly', { sessions: entry.crashHooks.size });
    for (const hooks of entry.crashHooks.values()) hooks.onCrash('The browser process exited unexpectedly.');
    entry.crashHooks.clear();
    entry.contexts.clear();
  }

  async #releaseIfUnused(entry: BrowserEntry, afterMs = 0): Promise<void> {
    if (entry.contexts.size > 0 || entry.opening > 0 || entry.closing) return;
    clearTimeout(entry.lingerTimer);
    if (afterMs > 0) {
      entry.lingerTimer = setTimeout(() => void this.#releaseIfUnused(entry), afterMs);
      entry.lingerTimer.unref();
      return;
    }
    await this.#closeEntry(entry);
  }

  async #closeEntry(entry: BrowserEntry): Promise<void> {
    entry.closing = true;
    clearTimeout(entry.lingerTimer);
    if (this.#entries.get(entry.key) === entry) this.#entries.delete(entry.key);
    try {
      const browser = await entry.browser;
      await browser.close();
    } catch {
      // a browser that never launched or already died has nothing left to close
    }
  }
}

/** A context and its first tab; the context is closed again when the tab cannot be opened. */
async function freshContext(browser: Browser, options: BrowserContextOptions): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  try {
    await context.newPage();
    return context;
  } catch (error: unknown) {
    await context.close().catch(() => undefined);
    throw error;
  }
}

/** Under --block-private-networks a proxy on the private network would carry every request there. */
async function refusePrivateProxy(server: string): Promise<void> {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `http://${server}`;
  const hostname = URL.canParse(withScheme) ? new URL(withScheme).hostname : '';
  if (await resolvesPrivate(hostname)) {
    throw new BsmError('E_INVALID_INPUT', `proxies[0].server: ${hostname} is a loopback or private address, and this server blocks private networks (--block-private-networks).`, 'Use a proxy on a public address, or none.');
  }
}
