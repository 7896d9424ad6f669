import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { ProxySettings, SessionStartRequest } from '../notte/session.js';

const LATER = `This server does not support it yet; leave the field out (or at its default) and call ${TOOL.start} again.`;

/**
 * Fields the schema accepts (they are part of the API) but the local backend cannot honour yet. Refusing them
 * loudly beats a session that silently lacks what the agent asked for.
 */
export function checkSupported(request: SessionStartRequest): ProxySettings | undefined {
  const refuse = (field: string, why: string): never => {
    throw new BsmError('E_NOT_SUPPORTED', `${field}: ${why}`, LATER);
  };
  if (request.solve_captchas) refuse('solve_captchas', 'captcha solving is not available on the local backend.');
  if (request.web_bot_auth) refuse('web_bot_auth', 'Web Bot Auth signing is not supported yet.');
  if (request.auth_ids.length > 0) refuse('auth_ids', 'Managed Auth connections are not supported yet.');
  if (request.browser_type === 'firefox') refuse('browser_type', 'firefox is not available; use chromium or chrome.');
  const proxies = request.proxies;
  if (proxies === true || typeof proxies === 'string') refuse('proxies', 'Notte-managed proxies are not available locally; pass [{"type":"external","server":"http://host:port"}].');
  if (Array.isArray(proxies)) {
    const [proxy] = proxies;
    if (proxy === undefined) return undefined;
    if (proxy.type !== 'external') refuse('proxies', `proxy type "${proxy.type}" is not available locally; use type "external".`);
    // The schema checked an external entry field for field, server included.
    return { type: 'external', server: proxy.server ?? '', username: proxy.username, password: proxy.password, bypass: proxy.bypass };
  }
  return undefined;
}
