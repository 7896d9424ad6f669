import { excerpt } from '../errors.js';

/**
 * Which URLs an agent may open. Pure: no I/O.
 * Local schemes (file:, chrome:, view-source:, javascript:, data:…) can read the server's disk or run code
 * outside any site's origin, so they are refused unless the session allows local URLs.
 */

import { isPrivateHostLiteral } from './privateAddress.js';

export type UrlVerdict = { ok: true; url: string } | { ok: false; reason: string };

const ALWAYS_ALLOWED = new Set(['http:', 'https:']);
const ABOUT_ALLOWED = new Set(['about:blank', 'about:srcdoc']);

/** Checks `raw` and returns the URL to open; a bare host such as `example.com/path` gets `https://`. */
export function checkUrl(raw: string, allowLocalUrls: boolean, blockPrivateNetworks = false): UrlVerdict {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, reason: 'The URL is empty. Give an absolute http(s) URL.' };
  const candidate = hasScheme(trimmed) ? trimmed : looksLikeHost(trimmed) ? `https://${trimmed}` : undefined;
  const url = candidate === undefined ? undefined : parse(candidate);
  if (url === undefined) {
    return { ok: false, reason: `${JSON.stringify(excerpt(trimmed))} is not a valid URL. Give an absolute http(s) URL.` };
  }
  const href = url.href;
  if (ALWAYS_ALLOWED.has(url.protocol)) {
    // Names that resolve to private addresses are caught at the browser (networkGuard); literals get a clear answer here.
    if (blockPrivateNetworks && isPrivateHostLiteral(url.hostname)) {
      return { ok: false, reason: `${url.hostname} is a loopback or private address, and this server blocks private networks (--block-private-networks). Use a public http(s) URL.` };
    }
    return { ok: true, url: href };
  }
  if (url.protocol === 'about:' && ABOUT_ALLOWED.has(href)) return { ok: true, url: href };
  if (allowLocalUrls) return { ok: true, url: href };
  return {
    ok: false,
    reason: `URLs with the ${url.protocol} scheme are not allowed in this session. Use an http(s) URL.`,
  };
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

// `localhost:3000` parses as scheme "localhost:", so a scheme only counts when it is not followed by a port.
function hasScheme(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(value) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(value);
}

function looksLikeHost(value: string): boolean {
  return /^(?:localhost|[\w-]+(?:\.[\w-]+)+|\[[0-9a-f:]+\])(?::\d+)?(?:[/?#]|$)/i.test(value);
}
