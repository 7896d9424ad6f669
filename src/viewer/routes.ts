import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { errorMessage } from '../errors.js';
import { readJsonBody } from '../httpBody.js';
import { log } from '../log.js';
import { ViewerInput } from './input.js';
import type { LiveSession } from './liveSession.js';
import { viewerHtml } from './page.js';
import { TOOL } from '../notte/toolNames.js';

/** /viewer/<token>, /viewer/<token>/events (SSE), /viewer/<token>/input, /viewer/<token>/control. */
const ROUTE = /^\/viewer\/([A-Za-z0-9_-]{16,128})(?:\/(events|input|control))?\/?$/;
/** Viewer requests are tiny; anything bigger is not from the viewer page. */
const MAX_BODY_BYTES = 8 * 1024;
const Control = z.strictObject({ action: z.enum(['take', 'hand_back']) });

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
};

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...SECURITY_HEADERS }).end(JSON.stringify(body));
}

export function isViewerPath(path: string): boolean {
  return path === '/viewer' || path.startsWith('/viewer/');
}

/**
 * Serves one viewer request. The token is the whole authorisation (it is unguessable and dies with the session),
 * so an unknown token is a 404 like any missing page; the Host/Origin check ran before.
 */
export async function handleViewer(req: IncomingMessage, res: ServerResponse, path: string, find: (token: string) => LiveSession | undefined): Promise<void> {
  const match = ROUTE.exec(path);
  const live = match?.[1] === undefined ? undefined : find(match[1]);
  if (match === null || live === undefined || live.ended) {
    send(res, 404, { error: `No such viewer: the link is wrong, or its session has ended. ${TOOL.status} gives the current viewer_url.` });
    return;
  }
  const sub = match[2];
  if (sub === undefined) {
    if (req.method !== 'GET') return send(res, 405, { error: 'GET the viewer page.' });
    const nonce = randomBytes(16).toString('base64');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      ...SECURITY_HEADERS,
    }).end(viewerHtml(nonce));
    return;
  }
  if (sub === 'events') {
    if (req.method !== 'GET') return send(res, 405, { error: 'GET the event stream.' });
    if (!live.hasRoom()) return send(res, 429, { error: 'This session has as many viewers as it allows (--viewer-max-clients); close one.' });
    res.writeHead(200, { 'content-type': 'text/event-stream', connection: 'keep-alive', ...SECURITY_HEADERS });
    res.flushHeaders();
    live.addViewer(res);
    return;
  }
  if (req.method !== 'POST') return send(res, 405, { error: `POST to ${sub}.` });
  if (live.readOnly) return send(res, 403, { error: 'This server runs its viewer read-only (--viewer-read-only).' });
  let body: unknown;
  try {
    body = await readJsonBody(req, MAX_BODY_BYTES);
  } catch (error: unknown) {
    return send(res, 400, { error: `Bad body: ${errorMessage(error)}` });
  }
  if (sub === 'control') {
    const parsed = Control.safeParse(body);
    if (!parsed.success) return send(res, 400, { error: 'Send {"action":"take"} or {"action":"hand_back"}.' });
    live.setControl(parsed.data.action === 'take' ? 'person' : 'agent');
    return send(res, 200, await live.state());
  }
  const parsed = ViewerInput.safeParse(body);
  if (!parsed.success) return send(res, 400, { error: `Bad input: ${parsed.error.issues[0]?.message ?? 'invalid'}.` });
  const state = await live.state();
  if (state.control !== 'person') return send(res, 409, { error: 'Take over first: the agent is in control.' });
  try {
    await live.input(parsed.data);
    send(res, 200, { ok: true });
  } catch (error: unknown) {
    log('debug', 'viewer input failed', { error: errorMessage(error) });
    send(res, 409, { error: 'The tab did not take the input (it may have closed or navigated).' });
  }
}
