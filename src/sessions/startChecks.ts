import { BsmError } from '../errors.js';
import type { SessionStartRequest } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';

/**
 * session_start values the browser would refuse deep inside the start (a protocol error after the browser and
 * context exist), checked first so the agent gets the field and the fix, and nothing is launched for nothing.
 */

/** RFC 7230 token: the characters a header name may use. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Index of the first control character other than horizontal tab (they end or split a header line, RFC 7230), or -1. */
function controlAt(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 32 && code !== 9) || code === 127) return i;
  }
  return -1;
}
/** Headers the browser owns: overriding them breaks every request or smuggles another one. */
const BROWSER_OWNED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'proxy-connection']);
const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks4:', 'socks5:']);

export function checkStartRequest(request: SessionStartRequest): void {
  const refuse = (field: string, message: string, hint: string): never => {
    throw new BsmError('E_INVALID_INPUT', `${field}: ${message}`, hint);
  };
  const ua = request.user_agent;
  if (ua !== undefined && ua !== null) {
    if (ua.trim() === '') refuse('user_agent', 'is empty.', 'Give a User-Agent string, or leave user_agent out for the browser\'s own.');
    if (controlAt(ua) >= 0) refuse('user_agent', `holds a control character (${where(ua)}); a header value cannot carry line breaks or NUL.`, `Remove the control characters and call ${TOOL.start} again.`);
  }
  for (const [name, value] of Object.entries(request.extra_http_headers ?? {})) {
    const field = `extra_http_headers.${excerpt(name)}`;
    if (!TOKEN.test(name)) refuse(field, 'is not a valid header name (letters, digits and !#$%&\'*+.^_`|~- only, no spaces or colons).', `Fix the header name and call ${TOOL.start} again.`);
    if (BROWSER_OWNED.has(name.toLowerCase())) refuse(field, 'is set by the browser itself and cannot be overridden.', 'Leave it out of extra_http_headers.');
    if (controlAt(value) >= 0) refuse(field, `value holds a control character (${where(value)}); a header value cannot carry line breaks or NUL.`, `Remove the control characters and call ${TOOL.start} again.`);
  }
  if (Array.isArray(request.proxies)) {
    const [proxy] = request.proxies;
    if (proxy?.type === 'external' && proxy.server !== undefined) checkProxyServer(proxy.server, refuse);
  }
}

function checkProxyServer(server: string, refuse: (field: string, message: string, hint: string) => never): void {
  const hint = 'Give the proxy as scheme://host:port, e.g. http://proxy.example:3128 or socks5://127.0.0.1:1080.';
  if (controlAt(server) >= 0 || /\s/.test(server)) refuse('proxies[0].server', 'holds spaces or control characters.', hint);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `http://${server}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return refuse('proxies[0].server', `"${excerpt(server)}" is not a proxy address.`, hint);
  }
  if (!PROXY_SCHEMES.has(url.protocol) || url.hostname === '') refuse('proxies[0].server', `"${excerpt(server)}" is not an http(s) or socks proxy address.`, hint);
}

function where(text: string): string {
  const index = controlAt(text);
  return `U+${(text.codePointAt(index) ?? 0).toString(16).padStart(4, '0').toUpperCase()} at position ${index}`;
}

function excerpt(text: string, max = 40): string {
  const flat = [...text].map((char) => (controlAt(char) === 0 ? '?' : char)).join('');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
