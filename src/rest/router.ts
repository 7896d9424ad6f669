import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { parseAction } from '../notte/actions.js';
import { observeInputShape } from '../notte/observation.js';
import { ScrapeInputShape } from '../notte/scrape.js';
import { NotteStartInput } from '../notte/session.js';
import { cookiesArg } from '../notte/state.js';
import { log } from '../log.js';
import { redactDeep } from '../vault/redact.js';
import type { SessionRegistry } from '../sessions/registry.js';
import { ownerView } from '../sessions/view.js';
import type { SessionsView } from '../sessions/view.js';
import { stateView } from '../sessions/stateView.js';
import type { StateView } from '../sessions/stateView.js';
import { executionErrorOf, restErrorOf, validationError } from './errors.js';
import type { RestError } from './errors.js';
import type { RestKeys } from './keys.js';
import { notteDataSpace, notteExecution, notteObservation } from './shapes.js';

/** Request bodies of the Notte API are small JSON objects; a larger body is refused before it is parsed. */
export const REST_MAX_BODY_BYTES = 1024 * 1024;

/** Notte's ObserveRequest, which forbids extra fields. */
const ObserveRequest = z.strictObject({
  instructions: observeInputShape.instructions,
  perception_type: observeInputShape.perception_type,
  min_nb_actions: observeInputShape.min_nb_actions,
  max_nb_actions: observeInputShape.max_nb_actions,
});

/** Notte's ScrapeRequest: the endpoint's fields only (no url, no windows: the REST answer is the whole page). */
const ScrapeRequest = z.strictObject({
  selector: ScrapeInputShape.selector,
  scrape_links: ScrapeInputShape.scrape_links,
  scrape_images: ScrapeInputShape.scrape_images,
  ignored_tags: ScrapeInputShape.ignored_tags,
  only_main_content: ScrapeInputShape.only_main_content,
  only_images: ScrapeInputShape.only_images,
  response_format: ScrapeInputShape.response_format,
  instructions: ScrapeInputShape.instructions,
  use_link_placeholders: ScrapeInputShape.use_link_placeholders,
});

/** Notte's POST /sessions/{id}/cookies body. */
const SetCookiesRequest = z.strictObject({ cookies: cookiesArg });

/** The REST answer holds the whole observation and the whole markdown, as Notte's does. */
const WHOLE_OBSERVATION_TOKENS = 100_000;
const WHOLE_SCRAPE_TOKENS = 200_000;

/** Python's SDK sends `only_active=True`; browsers and curl send `true`. */
const QueryBool = z.enum(['true', 'false', 'True', 'False', '1', '0']).transform((value) => value === 'true' || value === 'True' || value === '1');
const ListQuery = z.object({
  only_active: QueryBool.default(true),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(10),
});

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > REST_MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: Answer | RestError): void {
  if (res.headersSent) return;
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(redactDeep(answer.body)));
}

const ok = (body: unknown): Answer => ({ status: 200, body });

function timed<T>(run: () => Promise<T>): Promise<{ value: T; started_at: string; ended_at: string }> {
  const started_at = new Date().toISOString();
  return run().then((value) => ({ value, started_at, ended_at: new Date().toISOString() }));
}

/** The caller's sessions and their state, scoped to its API key. */
interface Scope {
  sessions: SessionsView;
  state: StateView;
}

type Route = (scope: Scope, body: unknown, params: { id: string; query: URLSearchParams }) => Promise<Answer | RestError>;

function parsed<S extends z.ZodType>(schema: S, body: unknown, then: (value: z.output<S>) => Promise<Answer | RestError>): Promise<Answer | RestError> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) return Promise.resolve(validationError(result.error.issues, body));
  return then(result.data);
}

const ROUTES: { method: string; pattern: RegExp; route: Route }[] = [
  {
    method: 'POST',
    pattern: /^\/sessions\/start\/?$/,
    route: ({ sessions }, body) =>
      // Notte's fields only, as its API: a client sending ours (recording, url, …) would fail against the cloud.
      parsed(NotteStartInput, body, async (request) => {
        // Notte's SDK asks for captcha solving by default; no local browser does it, and the answer says so (false).
        const { response } = await sessions.start({ ...request, solve_captchas: false, recording: false });
        return ok(response);
      }),
  },
  { method: 'GET', pattern: /^\/sessions\/?$/, route: ({ sessions }, _body, { query }) => parsed(ListQuery, Object.fromEntries(query), async (list) => ok(await sessions.list(list))) },
  { method: 'GET', pattern: /^\/sessions\/([^/]+)\/?$/, route: async ({ sessions }, _body, { id }) => ok(await sessions.status(id)) },
  { method: 'DELETE', pattern: /^\/sessions\/([^/]+)\/stop\/?$/, route: async ({ sessions }, _body, { id }) => ok(await sessions.stop(id)) },
  {
    method: 'POST',
    pattern: /^\/sessions\/([^/]+)\/page\/observe\/?$/,
    route: ({ sessions }, body, { id }) =>
      // Notte's Observation always carries the viewport as a JPEG (drawn as screenshot_type says); its SDKs show it.
      parsed(ObserveRequest, body, async (request) => {
        const { value, ...timing } = await timed(() => sessions.observe(id, { ...request, max_tokens: WHOLE_OBSERVATION_TOKENS, screenshot: true }));
        return ok(notteObservation(value, timing));
      }),
  },
  {
    method: 'POST',
    pattern: /^\/sessions\/([^/]+)\/page\/execute\/?$/,
    route: async ({ sessions }, body, { id }) => {
      const action = parseAction(body);
      if (!action.success) return validationError(action.error.issues, body);
      try {
        const { value, ...timing } = await timed(() => sessions.step(id, action.data));
        return ok(notteExecution(value, timing));
      } catch (error: unknown) {
        return executionErrorOf(error);
      }
    },
  },
  {
    method: 'POST',
    pattern: /^\/sessions\/([^/]+)\/page\/scrape\/?$/,
    route: ({ sessions }, body, { id }) =>
      parsed(ScrapeRequest, body, async (request) => ok(notteDataSpace(await sessions.scrape(id, { ...request, max_tokens: WHOLE_SCRAPE_TOKENS }, {})))),
  },
  { method: 'GET', pattern: /^\/sessions\/([^/]+)\/cookies\/?$/, route: async ({ state }, _body, { id }) => ok({ cookies: await state.cookies(id, undefined) }) },
  {
    method: 'POST',
    pattern: /^\/sessions\/([^/]+)\/cookies\/?$/,
    route: ({ state }, body, { id }) =>
      parsed(SetCookiesRequest, body, async ({ cookies }) => {
        const count = await state.setCookies(id, cookies);
        return ok({ success: true, message: `Set ${count} cookie(s).` });
      }),
  },
];

export interface RestApi {
  /** Whether this path belongs to the REST API (so the HTTP server routes it here). */
  matches(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

/** The Notte Sessions API over our own sessions: each API key an owner, answers in Notte's shapes and status codes. */
export function createRestApi(registry: SessionRegistry, keys: RestKeys): RestApi {
  return {
    matches: (path) => path === '/health' || path === '/sessions' || path.startsWith('/sessions/'),
    async handle(req, res, url) {
      const path = url.pathname;
      if (path === '/health') {
        send(res, req.method === 'GET' ? ok({ status: 'ok' }) : { status: 405, body: { message: 'Use GET /health.' } });
        return;
      }
      const owner = keys.ownerOf(req);
      if (owner === undefined) {
        send(res, { status: 401, body: { message: 'Missing or unknown API key: send Authorization: Bearer <key>.' }, headers: { 'www-authenticate': 'Bearer' } });
        return;
      }
      const candidates = ROUTES.filter((entry) => entry.pattern.test(path));
      const match = candidates.find((entry) => entry.method === req.method);
      if (match === undefined) {
        send(res, candidates.length === 0 ? { status: 404, body: { message: `No endpoint ${path}.` } } : { status: 405, body: { message: `${req.method ?? ''} is not allowed on ${path}.` } });
        return;
      }
      let body: unknown;
      try {
        const text = await readBody(req);
        body = text.trim() === '' ? undefined : JSON.parse(text);
      } catch (error: unknown) {
        if (error instanceof BodyTooLarge) send(res, { status: 413, body: { message: `Request body over ${REST_MAX_BODY_BYTES} bytes.` } });
        else send(res, { status: 422, body: { detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }] } });
        return;
      }
      const id = decodeURIComponent(match.pattern.exec(path)?.[1] ?? '');
      try {
        send(res, await match.route({ sessions: ownerView(registry, owner), state: stateView(registry, owner) }, body, { id, query: url.searchParams }));
      } catch (error: unknown) {
        const answer = restErrorOf(error);
        if (answer.status >= 500) log('error', 'REST request failed', { path, error: error instanceof Error ? error.message : String(error) });
        send(res, answer);
      }
    },
  };
}
