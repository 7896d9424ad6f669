import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, errors as undiciErrors } from 'undici';
import { BsmError } from '../../errors.js';
import type { ErrorCode } from '../../errors.js';
import { log } from '../../log.js';
import { TOOL } from '../../notte/toolNames.js';

export interface NotteClientOptions {
  /** Base URL of the API, e.g. https://api.notte.cc or a self-hosted server. */
  apiUrl: string;
  apiKey: string;
  /** Per request, headers and body alike. */
  timeoutMs?: number;
  /** Tries of an idempotent call on 429/5xx and connection errors (the first included). */
  attempts?: number;
  /** First backoff; doubles each retry, with jitter. */
  backoffMs?: number;
}

export interface NotteRequest {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** Safe to send twice: only these are retried. */
  idempotent: boolean;
  /** Overrides the client's timeout (execute waits on the page). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504, 529]);

/** Our codes for the API's statuses; the API's own message goes with them. */
function codeOf(status: number): ErrorCode {
  if (status === 404) return 'E_SESSION_NOT_FOUND';
  if (status === 409 || status === 410) return 'E_SESSION_NOT_ACTIVE';
  if (status === 422 || status === 400) return 'E_INVALID_INPUT';
  if (status === 429 || status === 529) return 'E_SESSION_LIMIT';
  if (status === 401 || status === 403) return 'E_BACKEND_AUTH';
  return 'E_BACKEND_UNAVAILABLE';
}

const HINTS: Partial<Record<ErrorCode, string>> = {
  E_BACKEND_AUTH: 'Check NOTTE_API_KEY (the server reads it at start).',
  E_BACKEND_UNAVAILABLE: 'The Notte API did not answer well; try again in a moment.',
  E_SESSION_LIMIT: `Stop a session with ${TOOL.stop}, or try again later.`,
};

/** The API's words from an error body: FastAPI's detail (string or list), or {message}, or {error}. */
export function apiMessage(body: unknown): string {
  if (typeof body !== 'object' || body === null) return typeof body === 'string' ? body.slice(0, 300) : '';
  const record = body as Record<string, unknown>; // a parsed JSON object
  const detail = record['detail'];
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item: unknown) => {
        if (typeof item !== 'object' || item === null) return String(item);
        const entry = item as Record<string, unknown>; // FastAPI's {loc, msg, type}
        const loc = Array.isArray(entry['loc']) ? entry['loc'].filter((part) => part !== 'body').join('.') : '';
        return loc === '' ? String(entry['msg']) : `${loc}: ${String(entry['msg'])}`;
      })
      .join('; ');
  }
  for (const key of ['message', 'error']) {
    const value = record[key];
    if (typeof value === 'string') return value;
    if (typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['message'] === 'string') return String((value as Record<string, unknown>)['message']);
  }
  return '';
}

/**
 * The Notte API over undici: one connection pool per server, a timeout on every request, retries with backoff
 * for idempotent calls only, the API's errors as ours. The key goes in a header and nowhere else.
 */
export class NotteClient {
  readonly #pool: Pool;
  readonly #base: URL;
  readonly #key: string;
  readonly #timeoutMs: number;
  readonly #attempts: number;
  readonly #backoffMs: number;

  constructor(options: NotteClientOptions) {
    this.#base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`);
    if (this.#base.protocol !== 'http:' && this.#base.protocol !== 'https:') throw new BsmError('E_INVALID_INPUT', `--notte-api-url must be http(s), got ${this.#base.protocol}`, 'Pass e.g. https://api.notte.cc.');
    this.#key = options.apiKey;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#attempts = options.attempts ?? 3;
    this.#backoffMs = options.backoffMs ?? 250;
    this.#pool = new Pool(this.#base.origin, { connections: 32, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  async call<T = unknown>(request: NotteRequest): Promise<T> {
    const attempts = request.idempotent ? this.#attempts : 1;
    let last: BsmError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      try {
        return (await this.#once(request)) as T; // the caller names the Notte shape it asked for
      } catch (error: unknown) {
        if (!(error instanceof RetryableError)) throw error;
        last = error.error;
        if (attempt < attempts) {
          const wait = this.#backoffMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2);
          log('debug', 'Notte API call retried', { path: request.path, attempt, status: error.status });
          await sleep(wait);
        }
      }
    }
    throw last ?? new BsmError('E_BACKEND_UNAVAILABLE', 'The Notte API did not answer.', HINTS.E_BACKEND_UNAVAILABLE);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #once(request: NotteRequest): Promise<unknown> {
    const url = new URL(request.path.replace(/^\//, ''), this.#base);
    const timeout = request.timeoutMs ?? this.#timeoutMs;
    const headers: Record<string, string> = { authorization: `Bearer ${this.#key}`, accept: 'application/json', 'x-notte-request-origin': 'browser-session-mcp' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let status: number;
    let text: string;
    try {
      const response = await this.#pool.request({
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error: unknown) {
      const timedOut = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
      const why = timedOut ? `no answer within ${timeout} ms` : error instanceof Error ? error.message : String(error);
      throw new RetryableError(0, new BsmError('E_BACKEND_UNAVAILABLE', `The Notte API at ${this.#base.origin} could not be reached (${why}).`, HINTS.E_BACKEND_UNAVAILABLE, { cause: error }));
    }
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text for the message
    }
    const detailIn200 = status === 200 && typeof body === 'object' && body !== null && 'detail' in body;
    if (status >= 200 && status < 300 && !detailIn200) return body;
    const code = codeOf(status);
    const message = apiMessage(body) || `HTTP ${status}`;
    const error = new BsmError(code, `Notte API: ${message}`, HINTS[code] ?? '');
    if (RETRY_STATUSES.has(status)) throw new RetryableError(status, error);
    throw error;
  }
}

class RetryableError extends Error {
  readonly status: number;
  readonly error: BsmError;
  constructor(status: number, error: BsmError) {
    super(error.message);
    this.status = status;
    this.error = error;
  }
}
