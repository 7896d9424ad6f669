import type { Browser, BrowserContext } from 'playwright-core';
import { BsmError, errorText } from '../errors.js';
import { log } from '../log.js';
import { TOOL } from '../notte/toolNames.js';
import { notCdp, refusedCredentials, silentFor, unreachable } from './cdpEndpoint.js';
import type { CdpEndpoint } from './cdpEndpoint.js';
import type { DriverSession, OpenHooks, OpenRequest } from './driver.js';
import { contextOptionsFor, openPageSession } from './playwright.js';
import type { PageOptions } from './playwright.js';

/** A remote browser that does not answer the CDP handshake in this time is refused, not waited on. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** Connects over CDP, telling an endpoint nobody listens on from one that is not a browser. */
export async function connectCdp(endpoint: CdpEndpoint, wsUrl: string, headers: Record<string, string>, timeoutMs = CONNECT_TIMEOUT_MS): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.connectOverCDP(wsUrl, { headers, timeout: timeoutMs });
  } catch (error: unknown) {
    const why = errorText(error);
    if (/Timeout \d+ms exceeded/i.test(why)) throw unreachable(endpoint, silentFor(timeoutMs), error);
    if (/\b(401|403)\b/.test(why)) throw refusedCredentials(endpoint, why, error);
    if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN/i.test(why)) throw unreachable(endpoint, why, error);
    throw notCdp(endpoint, why, error);
  }
}

export interface AttachArgs {
  browser: Browser;
  open: OpenRequest;
  hooks: OpenHooks;
  options: PageOptions;
  /** Shown in the response's cdp_url: the masked endpoint, or the session's own WebSocket when it is handed out. */
  cdpUrl: string | null;
  /** What to say when the browser goes away under the session. */
  lostReason: string;
  /** Runs once after the connection is closed, on every exit path (a Grid session deleted, a process killed). */
  afterClose?: () => Promise<void>;
  /**
   * Probe the browser this often. A Grid's se:cdp socket is a proxy that stays open when the browser behind it
   * dies, so no 'disconnected' ever comes; an unanswered probe is how such a loss shows.
   */
  heartbeatMs?: number;
}

/** A probe unanswered this long is a miss; this many misses in a row count as a lost browser. */
const HEARTBEAT_TIMEOUT_MS = 4_000;
const HEARTBEAT_MISSES = 3;

/**
 * A session on a browser reached over CDP. It gets a context of its own when the browser allows one (ours to
 * close); otherwise the browser's default context, attached: only the tabs it opened are closed. Either way the
 * end only disconnects: the browser and everything we did not create stay as they were.
 */
export async function openAttached(args: AttachArgs): Promise<DriverSession> {
  const { browser, open, hooks } = args;
  let done = false;
  const finish = async (): Promise<void> => {
    if (done) return;
    done = true;
    clearInterval(heartbeat);
    await browser.close().catch(() => undefined); // over CDP this only drops the connection and our contexts
    await args.afterClose?.().catch((error: unknown) => log('warn', 'cleanup after a remote session failed', { error: errorText(error) }));
  };
  let heartbeat: NodeJS.Timeout | undefined;
  const lost = (why: string): void => {
    if (done) return;
    log('warn', 'remote browser went away', { session_id: open.sessionId, why });
    hooks.onCrash(args.lostReason);
    void finish();
  };
  browser.on('disconnected', () => lost('connection closed'));
  if (args.heartbeatMs !== undefined) heartbeat = startHeartbeat(browser, args.heartbeatMs, lost);
  let context: BrowserContext;
  let ownership: 'own' | 'attached' = 'own';
  try {
    context = await browser.newContext(contextOptionsFor(open.request, open.proxy, args.options.blockPrivateNetworks === true));
  } catch (error: unknown) {
    const fallback = browser.contexts()[0];
    if (fallback === undefined || !browser.isConnected()) {
      await finish();
      throw new BsmError('E_BROWSER_LAUNCH', `The remote browser refused a new context: ${errorText(error)}`, `Try another endpoint, or leave cdp_url out and call ${TOOL.start} again.`, { cause: error });
    }
    log('info', 'remote browser allows one context; attaching to its default one', { session_id: open.sessionId });
    context = fallback;
    ownership = 'attached';
  }
  const release = async (): Promise<void> => {
    if (ownership === 'own') await context.close().catch(() => undefined);
    await finish();
  };
  return openPageSession(context, { open, hooks, options: args.options, ownership, release, cdpUrl: args.cdpUrl });
}

function startHeartbeat(browser: Browser, everyMs: number, lost: (why: string) => void): NodeJS.Timeout {
  let busy = false;
  let missed = 0;
  // One CDP session for every probe: attaching anew each time is itself work a loaded browser can be slow at.
  const session = browser.newBrowserCDPSession();
  session.catch(() => undefined); // a failure shows in the first probe
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    let deadline: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      deadline = setTimeout(() => resolve('late'), HEARTBEAT_TIMEOUT_MS);
    });
    const probe = session.then((cdp) => cdp.send('Browser.getVersion')).then(() => 'ok' as const);
    Promise.race([probe, late]).then(
      (answer) => {
        missed = answer === 'ok' ? 0 : missed + 1;
        // A browser busy starting seven others can miss one probe; only a run of them means it is gone.
        if (missed >= HEARTBEAT_MISSES) lost(`${missed} heartbeats unanswered`);
      },
      (error: unknown) => lost(errorText(error)), // an answer that is an error: the browser behind the socket is gone
    ).finally(() => {
      clearTimeout(deadline);
      busy = false;
    });
  }, everyMs);
  timer.unref();
  return timer;
}
