import { z } from 'zod';
import type { Cookie, CookieInput } from '../../notte/state.js';
import { toBrowserCookie } from '../../notte/state.js';

/**
 * Cookies as the Notte API speaks them (GET/POST /sessions/{id}/cookies): name, value, domain, path and httpOnly
 * required; `expires` or `expirationDate`, `sameSite` in any case, `secure` optional. Read loosely, like the rest.
 */
export const ApiCookie = z.looseObject({
  name: z.string(),
  value: z.string(),
  domain: z.string(),
  path: z.string(),
  httpOnly: z.boolean().nullish(),
  secure: z.boolean().nullish(),
  expires: z.number().nullish(),
  expirationDate: z.number().nullish(),
  sameSite: z.string().nullish(),
});
export type ApiCookie = z.infer<typeof ApiCookie>;

export const ApiCookies = z.looseObject({ cookies: z.array(ApiCookie) });

const SAME_SITE: Record<string, Cookie['sameSite']> = { lax: 'Lax', strict: 'Strict', none: 'None', no_restriction: 'None' };

/** The API's cookie in the shape session_cookies_get answers everywhere (Playwright's). */
export function fromApiCookie(cookie: ApiCookie): Cookie {
  return {
    name: cookie.name,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    expires: cookie.expires ?? cookie.expirationDate ?? -1,
    httpOnly: cookie.httpOnly ?? false,
    secure: cookie.secure ?? false,
    sameSite: SAME_SITE[(cookie.sameSite ?? 'lax').toLowerCase()] ?? 'Lax',
  };
}

/** The API wants domain and path on every cookie: a cookie given by url gets them from it, as a browser would. */
export function toApiCookie(cookie: CookieInput): Record<string, unknown> {
  const { url, ...rest } = toBrowserCookie(cookie);
  const placed = url === undefined ? rest : { ...rest, domain: new URL(url).hostname, path: '/', secure: rest.secure ?? new URL(url).protocol === 'https:' };
  return { httpOnly: false, ...placed };
}

function domainMatches(host: string, cookieDomain: string): boolean {
  const domain = cookieDomain.replace(/^\./, '').toLowerCase();
  return host === domain || host.endsWith(`.${domain}`);
}

function pathMatches(path: string, cookiePath: string): boolean {
  if (path === cookiePath || cookiePath === '/') return true;
  return path.startsWith(cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`);
}

/** Browsers count these as secure origins even over http. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The cookies a browser would send to any of these URLs (Playwright's cookies(urls) rule), for an API without the filter. */
export function cookiesFor(cookies: readonly Cookie[], urls: readonly string[] | undefined): Cookie[] {
  if (urls === undefined || urls.length === 0) return [...cookies];
  const targets = urls.filter((url) => URL.canParse(url)).map((url) => new URL(url));
  return cookies.filter((cookie) => targets.some((url) => domainMatches(url.hostname.toLowerCase(), cookie.domain) && pathMatches(url.pathname, cookie.path) && (!cookie.secure || url.protocol === 'https:' || LOOPBACK.has(url.hostname))));
}
