import type { BrowserContext, BrowserContextOptions } from 'playwright-core';
import { BsmError, errorText } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { ProxySettings, SessionStartRequest } from '../notte/session.js';
import { bounded, DEFAULT_CALL_LIMITS } from '../page/bounded.js';
import type { CallLimits } from '../page/bounded.js';
import { ContextHost } from '../page/contextHost.js';
import { installPageHandlers } from '../page/dialogs.js';
import { installNetworkGuard } from '../page/networkGuard.js';
import { observe } from '../page/observe.js';
import { scrape } from '../page/scrape.js';
import { step } from '../page/step.js';
import type { DriverSession, OpenHooks, OpenRequest } from './driver.js';
import { applyStartState, stateOps } from './startState.js';

/**
 * The one Playwright page driver: a launched browser (local.ts) and an attached one (remote.ts) both hand it a
 * context, and differ only in how they got the browser and who owns it.
 */

const DEFAULT_VIEWPORT = { width: 1280, height: 1080 };
const ASPECT_VIEWPORTS = { '5:4': { width: 1280, height: 1024 }, '16:9': { width: 1280, height: 720 } } as const;

/** What every page session needs from the server's configuration. */
export interface PageOptions {
  uploadRoots: readonly string[];
  allowLocalUrls: boolean;
  /** Wall-clock limit of each page call; defaults to DEFAULT_CALL_LIMITS. */
  callLimits?: CallLimits | undefined;
  /** --block-private-networks: contexts refuse loopback and private destinations. */
  blockPrivateNetworks?: boolean | undefined;
}

export function viewportFor(request: SessionStartRequest): { width: number; height: number } {
  if (request.viewport_width && request.viewport_height) return { width: request.viewport_width, height: request.viewport_height };
  return request.aspect_ratio ? ASPECT_VIEWPORTS[request.aspect_ratio] : DEFAULT_VIEWPORT;
}

/** The context a session_start asks for, in Playwright's words. */
export function contextOptionsFor(request: SessionStartRequest, proxy: ProxySettings | undefined, blockPrivateNetworks: boolean): BrowserContextOptions {
  return {
    viewport: viewportFor(request),
    acceptDownloads: request.use_file_storage,
    // Service workers fetch outside the context's routes, so the private-network guard could not see them.
    ...(blockPrivateNetworks ? { serviceWorkers: 'block' as const } : {}),
    ...(request.user_agent ? { userAgent: request.user_agent } : {}),
    ...(request.extra_http_headers ? { extraHTTPHeaders: request.extra_http_headers } : {}),
    ...(proxy?.type === 'external'
      ? { proxy: { server: proxy.server, ...(proxy.username ? { username: proxy.username } : {}), ...(proxy.password ? { password: proxy.password } : {}), ...(proxy.bypass ? { bypass: proxy.bypass } : {}) } }
      : {}),
  };
}

export interface PageSessionArgs {
  open: OpenRequest;
  hooks: OpenHooks;
  options: PageOptions;
  /**
   * `own`: the context is ours and `release` closes it. `attached`: the context was there before us (a remote
   * browser's default context): only the tabs this session opened are closed, never the others.
   */
  ownership: 'own' | 'attached';
  /** Gives back what the session took (the context, a connection, a browser); called once, also after a failed start. */
  release: () => Promise<void>;
  cdpUrl?: string | null;
}

/** Wraps `context` as a session: first tab, handlers, byte counters, the bounded page operations. */
export async function openPageSession(context: BrowserContext, args: PageSessionArgs): Promise<DriverSession> {
  const { open, hooks, options, ownership } = args;
  const { request } = open;
  const foreign = ownership === 'attached' ? new Set(context.pages()) : new Set<never>();
  const bytes = { request: 0, response: 0 };
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    if (ownership === 'attached') {
      for (const page of context.pages()) if (!foreign.has(page)) await page.close().catch(() => undefined);
    }
    await args.release();
  };
  const onCrash = (): void => hooks.onCrash('The page crashed (renderer process gone).');
  let host: ContextHost;
  try {
    const blockedUrls = options.blockPrivateNetworks === true ? await installNetworkGuard(context) : undefined;
    await applyStartState(context, open.startState);
    context.on('requestfinished', (req) => {
      req.sizes().then(
        (sizes) => {
          bytes.request += sizes.requestHeadersSize + sizes.requestBodySize;
          bytes.response += sizes.responseHeadersSize + sizes.responseBodySize;
        },
        () => undefined, // the context closed before the sizes arrived; nothing left to count
      );
    });
    context.on('page', (page) => page.on('crash', onCrash));
    // An attached context's own tabs are not the session's: it gets a tab of its own and sees only what it opens.
    if (ownership === 'attached') await context.newPage();
    host = await ContextHost.create(context, {
      downloadsDir: open.downloadsDir,
      // A session without storage reads no upload root at all; with storage, its own folders first.
      uploadRoots: open.uploadDirs?.length === 0 ? [] : [...(open.uploadDirs ?? []), ...options.uploadRoots],
      allowLocalUrls: options.allowLocalUrls,
      blockPrivateNetworks: options.blockPrivateNetworks === true,
      screenshotType: request.screenshot_type,
      // Half the step's limit, so a busy evaluate_js answers itself (and frees its tab) before the step gives up.
      evaluateTimeoutMs: Math.min(45_000, Math.floor((options.callLimits ?? DEFAULT_CALL_LIMITS).stepMs / 2)),
      ignore: foreign,
      ...(blockedUrls === undefined ? {} : { blockedUrls }),
    });
    for (const page of host.tabs()) page.on('crash', onCrash);
    // Dialogs, downloads and popups are handled from the first page on, so none can block the session.
    installPageHandlers(host);
    if (open.signal?.aborted === true) throw new BsmError('E_START_TIMEOUT', 'The session start was given up.', `Call ${TOOL.start} again.`);
  } catch (error: unknown) {
    // A start that fails inside the browser gives back everything it took.
    await release();
    if (error instanceof BsmError) throw error;
    throw new BsmError('E_BROWSER_LAUNCH', `Could not open the session's first tab: ${errorText(error)}`, `Check user_agent, extra_http_headers and the viewport, then call ${TOOL.start} again.`, { cause: error });
  }
  const limits = options.callLimits ?? DEFAULT_CALL_LIMITS;
  const viewport = viewportFor(request);
  return {
    applied: { viewportWidth: viewport.width, viewportHeight: viewport.height, userAgent: request.user_agent ?? null, proxies: open.proxy !== undefined },
    cdpUrl: args.cdpUrl ?? null,
    live: host,
    networkBytes: () => ({ ...bytes }),
    ...stateOps(context),
    observe: (observeOptions) => bounded(host, 'observe', limits.observeMs, () => observe(host, observeOptions)),
    step: (action, secrets) => bounded(host, 'step', limits.stepMs, () => step(host, action, secrets)),
    scrape: (params, deps) => bounded(host, 'scrape', limits.scrapeMs, () => scrape(host, params, deps)),
    close: release,
  };
}
