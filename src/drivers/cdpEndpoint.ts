import { BsmError, errorText, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';

/**
 * A CDP endpoint as a client or operator gives it: a browser's WebSocket (ws/wss) or its HTTP debugging address
 * (http/https, resolved through /json/version). Pure parsing and masking here; remote.ts does the connecting.
 */
export interface CdpEndpoint {
  kind: 'ws' | 'http';
  url: URL;
  /** The endpoint as echoed back and logged: user, password and token-looking query values replaced by ***. */
  masked: string;
}

const SCHEMES: Record<string, CdpEndpoint['kind']> = { 'ws:': 'ws', 'wss:': 'ws', 'http:': 'http', 'https:': 'http' };
/** Query parameters providers put tokens in (browserless `token`, Browserbase `apiKey`, …). */
const SECRET_PARAM = /token|key|secret|auth|password|signature|sig/i;

/** `field` names where the value came from (cdp_url, --cdp-endpoint), so the error names what to fix. */
export function parseCdpEndpoint(raw: string, field: string): CdpEndpoint {
  const hint = `Give ${field} as ws://host:port/devtools/browser/<id> or http://host:port (a Chromium started with --remote-debugging-port), then call ${TOOL.start} again.`;
  if (!URL.canParse(raw)) throw new BsmError('E_INVALID_INPUT', `${field}: "${excerpt(maskText(raw))}" is not an absolute URL.`, hint);
  const url = new URL(raw);
  const kind = SCHEMES[url.protocol];
  if (kind === undefined) throw new BsmError('E_INVALID_INPUT', `${field}: scheme "${excerpt(url.protocol)}" is not a CDP endpoint; only ws, wss, http and https are.`, hint);
  if (url.hostname === '') throw new BsmError('E_INVALID_INPUT', `${field}: no host in "${excerpt(maskUrl(url))}".`, hint);
  return { kind, url, masked: maskUrl(url) };
}

export function maskUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.username !== '') copy.username = '***';
  if (copy.password !== '') copy.password = '***';
  for (const name of [...copy.searchParams.keys()]) if (SECRET_PARAM.test(name)) copy.searchParams.set(name, '***');
  return copy.href;
}

/** For text that is not even a URL: anything between :// and @ could be credentials. */
function maskText(raw: string): string {
  return raw.replace(/\/\/[^/@\s]*@/, '//***@');
}

/** The WebSocket the endpoint names; an http(s) one is asked for it at /json/version. */
export async function resolveWebSocket(endpoint: CdpEndpoint, headers: Record<string, string>, timeoutMs: number): Promise<string> {
  if (endpoint.kind === 'ws') return endpoint.url.href;
  const bare = new URL(endpoint.url.href);
  bare.username = '';
  bare.password = '';
  bare.search = '';
  const versionUrl = new URL('json/version', bare.href.endsWith('/') ? bare.href : `${bare.href}/`);
  versionUrl.search = endpoint.url.search; // providers that take a token in the query want it here too
  let body: unknown;
  let response: Response;
  try {
    response = await fetch(versionUrl, { headers: withBasicAuth(endpoint.url, headers), signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error: unknown) {
    // AbortSignal.timeout's own words ("The operation was aborted due to timeout") do not say how long we waited.
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw unreachable(endpoint, timedOut ? silentFor(timeoutMs) : errorText(error), error);
  }
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (response.status === 401 || response.status === 403) throw refusedCredentials(endpoint, `GET /json/version answered ${response.status}`);
  const ws = typeof body === 'object' && body !== null && 'webSocketDebuggerUrl' in body ? body.webSocketDebuggerUrl : undefined;
  if (!response.ok || typeof ws !== 'string' || !/^wss?:\/\//.test(ws)) {
    throw notCdp(endpoint, `GET /json/version answered ${response.status} without a webSocketDebuggerUrl`);
  }
  // Chromium names itself by the address it listens on; behind a proxy or port mapping the caller's host is the one that works.
  const socket = new URL(ws);
  socket.protocol = endpoint.url.protocol === 'https:' ? 'wss:' : 'ws:';
  socket.host = endpoint.url.host;
  // A token in the endpoint's query (browserless style) goes on to the socket too.
  for (const [name, value] of endpoint.url.searchParams) socket.searchParams.set(name, value);
  return socket.href;
}

/** user:password in an endpoint become Basic auth: fetch refuses URLs that carry credentials. */
export function withBasicAuth(url: URL, headers: Record<string, string>): Record<string, string> {
  if (url.username === '' || Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return headers;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { ...headers, authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
}

/** The reason given when an endpoint accepted the connection but never answered: it names the bound. */
export function silentFor(timeoutMs: number): string {
  return `no answer within ${Math.round(timeoutMs / 1000)} s`;
}

export function unreachable(endpoint: CdpEndpoint, why: string, cause?: unknown): BsmError {
  return new BsmError('E_CDP_UNREACHABLE', `The CDP endpoint ${endpoint.masked} could not be reached (${excerpt(why, 160)}).`, `Check that the browser is running and the address is right, then call ${TOOL.start} again; leave cdp_url out to use a local browser.`, { cause });
}

/** A gateway that wants a token answers 401/403: saying "not CDP" would send the user after the wrong fix. */
export function refusedCredentials(endpoint: CdpEndpoint, why: string, cause?: unknown): BsmError {
  return new BsmError('E_BACKEND_AUTH', `The CDP endpoint ${endpoint.masked} refused the connection for want of credentials (${excerpt(why, 160)}).`, `Give the provider's token in cdp_headers (or user:password@ in cdp_url), then call ${TOOL.start} again.`, { cause });
}

export function notCdp(endpoint: CdpEndpoint, why: string, cause?: unknown): BsmError {
  return new BsmError('E_CDP_NOT_CDP', `${endpoint.masked} is not a Chrome DevTools Protocol endpoint (${excerpt(why, 160)}).`, `Point cdp_url at a Chromium started with --remote-debugging-port (http://host:port) or at its ws://…/devtools/browser/<id>, then call ${TOOL.start} again.`, { cause });
}
