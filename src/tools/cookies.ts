import { z } from 'zod';
import { MAX_NAME, MAX_URL } from '../notte/limits.js';
import { sessionIdArg } from '../notte/session.js';
import { Cookie, cookiesArg } from '../notte/state.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';

const Done = z.object({ success: z.boolean(), message: z.string() });

/** `domain` matches the cookie's own domain and its parent-domain cookies, as a browser sends them. */
function matchesDomain(cookieDomain: string, domain: string): boolean {
  const host = domain.replace(/^\./, '').toLowerCase();
  const own = cookieDomain.replace(/^\./, '').toLowerCase();
  return host === own || host.endsWith(`.${own}`);
}

export const sessionCookiesGet = defineTool({
  name: TOOL.cookiesGet,
  title: 'Get session cookies',
  description: `The session's cookies, e.g. to keep a login; ${TOOL.cookiesSet} puts them back.`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({
    session_id: sessionIdArg,
    urls: z.array(z.string().max(MAX_URL)).max(50).optional().describe('Only cookies sent to these URLs.'),
    domain: z.string().max(MAX_NAME).optional().describe('Only cookies for this host.'),
  }),
  output: z.object({ cookies: z.array(Cookie) }),
  async handle({ session_id, urls, domain }, ctx) {
    const all = await ctx.state.cookies(session_id, urls);
    const cookies = domain === undefined ? all : all.filter((cookie) => matchesDomain(cookie.domain, domain));
    return { text: JSON.stringify({ cookies }), structured: { cookies } };
  },
});

export const sessionCookiesSet = defineTool({
  name: TOOL.cookiesSet,
  title: 'Set session cookies',
  description: `Add or replace cookies in the session; the next request sends them. Then ${TOOL.observe} or goto.`,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ session_id: sessionIdArg, cookies: cookiesArg }),
  output: Done,
  async handle({ session_id, cookies }, ctx) {
    const count = await ctx.state.setCookies(session_id, cookies);
    const message = `Set ${count} cookie(s).`;
    return { text: message, structured: { success: true, message } };
  },
});
