import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Host names a request may name, in its Host header and its Origin: the bound address, loopback, and the extras. */
export function allowedHostnames(boundHost: string, extra: readonly string[]): Set<string> {
  return new Set(['localhost', '127.0.0.1', '[::1]', '::1', boundHost, ...extra].map((host) => host.toLowerCase()));
}

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * DNS rebinding defence: a page on evil.example that resolves to 127.0.0.1 still sends `Host: evil.example`
 * (and its own Origin), so both must name a host we serve.
 */
export function checkHostAndOrigin(req: IncomingMessage, allowed: Set<string>): string | undefined {
  const host = req.headers.host;
  if (host === undefined || !allowed.has(hostnameOf(host))) return `Host header "${host ?? ''}" is not allowed`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).hostname.toLowerCase();
    } catch {
      return `Origin "${origin}" is not a URL`;
    }
    if (!allowed.has(originHost) && !allowed.has(`[${originHost}]`)) return `Origin "${origin}" is not allowed`;
  } else if (origin === 'null') {
    return 'Origin "null" is not allowed';
  }
  return undefined;
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function bearerMatches(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (match?.[1] === undefined) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
