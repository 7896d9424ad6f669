/**
 * Whether a page at `pageUrl` may receive a credential saved for `pattern`. A pattern is an origin or a host:
 * `https://accounts.example.com`, `http://127.0.0.1:8080`, `example.com` (https only, any port given must match),
 * `*.example.com` (any subdomain, not the bare domain). Paths in a pattern are ignored: the browser's security
 * boundary is the origin, so a credential never goes to another scheme, host or port than the one saved.
 */
export function originMatches(pattern: string, pageUrl: string): boolean {
  const page = parse(pageUrl);
  const want = parsePattern(pattern);
  if (page === undefined || want === undefined) return false;
  if (page.protocol !== want.protocol) return false;
  if (want.port !== undefined && page.port !== want.port) return false;
  if (want.port === undefined && page.port !== '') return false;
  if (want.wildcard) return page.hostname.endsWith(`.${want.hostname}`);
  return page.hostname === want.hostname;
}

interface PatternParts {
  protocol: string;
  hostname: string;
  /** '' is the scheme's default port; undefined when the pattern named none. */
  port: string | undefined;
  wildcard: boolean;
}

function parse(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function parsePattern(pattern: string): PatternParts | undefined {
  const trimmed = pattern.trim();
  const wildcard = /^(https?:\/\/)?\*\./.test(trimmed);
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  const url = parse(withScheme.replace('*.', ''));
  if (url === undefined || url.hostname === '') return undefined;
  const portGiven = /^https?:\/\/[^/]*:\d+/i.test(withScheme);
  return { protocol: url.protocol, hostname: url.hostname, port: portGiven ? url.port : undefined, wildcard };
}

/** A pattern the store accepts: one that can match some page. */
export function isValidPattern(pattern: string): boolean {
  return parsePattern(pattern) !== undefined;
}
