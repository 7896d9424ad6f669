import { lookup } from 'node:dns/promises';
import type { BrowserContext, Route, WebSocketRoute } from 'playwright-core';
import { isPrivateAddress, isPrivateHostLiteral } from './privateAddress.js';

/**
 * --block-private-networks at the browser: every http(s) and ws(s) request of a context (navigations, iframes,
 * popups, redirects, subresources, fetch) goes through a route that refuses loopback and private destinations,
 * by literal or by what the name resolves to. Names that do not resolve are refused too: the browser uses the same
 * resolver, and an answer we cannot check is not one to trust. Residual risk: the browser resolves the name again
 * (DNS rebinding between the two lookups); a deployment that needs more puts an egress firewall in front.
 */

/** How long one lookup answer is reused; a page makes many requests to one host. */
const DNS_CACHE_MS = 30_000;
const KEEP_BLOCKED = 50;

/** True when `hostname` is a private literal, resolves to a private address, or does not resolve. */
export async function resolvesPrivate(hostname: string): Promise<boolean> {
  if (hostname === '' || isPrivateHostLiteral(hostname)) return true;
  return lookup(hostname, { all: true, verbatim: true }).then(
    (addresses) => addresses.length === 0 || addresses.some((entry) => isPrivateAddress(entry.address)),
    () => true,
  );
}

/**
 * Routes the context through the guard. The answer is the list of URLs it refused, newest last, kept up to date
 * as it refuses more: the session's page state holds it, so observe can explain a blank frame.
 */
export async function installNetworkGuard(context: BrowserContext): Promise<readonly string[]> {
  const cache = new Map<string, { at: number; verdict: Promise<boolean> }>();
  const blocked: string[] = [];
  const isBlocked = (raw: string): Promise<boolean> => {
    let hostname: string;
    try {
      hostname = new URL(raw).hostname;
    } catch {
      return Promise.resolve(false); // not a network URL: the browser's own scheme rules apply
    }
    if (isPrivateHostLiteral(hostname)) return Promise.resolve(true);
    const cached = cache.get(hostname);
    if (cached !== undefined && Date.now() - cached.at < DNS_CACHE_MS) return cached.verdict;
    const verdict = resolvesPrivate(hostname);
    cache.set(hostname, { at: Date.now(), verdict });
    return verdict;
  };
  const note = (url: string): void => {
    blocked.push(url);
    if (blocked.length > KEEP_BLOCKED) blocked.splice(0, blocked.length - KEEP_BLOCKED);
  };
  await context.route(
    (url) => url.protocol === 'http:' || url.protocol === 'https:',
    async (route: Route) => {
      const url = route.request().url();
      if (await isBlocked(url)) {
        note(url);
        await route.abort('blockedbyclient').catch(() => undefined); // the page went away meanwhile
        return;
      }
      await route.fallback().catch(() => undefined);
    },
  );
  await context.routeWebSocket(
    (url) => url.protocol === 'ws:' || url.protocol === 'wss:',
    async (ws: WebSocketRoute) => {
      if (await isBlocked(ws.url())) {
        note(ws.url());
        await ws.close({ code: 1008, reason: 'blocked by --block-private-networks' }).catch(() => undefined);
        return;
      }
      ws.connectToServer();
    },
  );
  return blocked;
}
