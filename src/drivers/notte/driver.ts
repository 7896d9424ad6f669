import { LiveSessions } from '../liveSessions.js';
import { BsmError } from '../../errors.js';
import { log } from '../../log.js';
import { NOTTE_START_FIELDS } from '../../notte/session.js';
import type { ProxySettings, SessionStartRequest } from '../../notte/session.js';
import { TOOL } from '../../notte/toolNames.js';
import type { Driver, DriverSession, OpenHooks, OpenRequest } from '../driver.js';
import { NotteClient } from './client.js';
import { NotteSession } from './session.js';
import type { NotteCallLimits } from './session.js';
import { ApiSession, readApi } from './shapes.js';

export const DEFAULT_NOTTE_API_URL = 'https://api.notte.cc';

export interface NotteDriverOptions {
  apiUrl: string;
  apiKey: string;
  callLimits: NotteCallLimits;
  /** A start waits this long for the API (its own timeout: starting a cloud browser takes a while). */
  startTimeoutMs: number;
}

/**
 * The start body exactly as Notte's API takes it: its SessionStartRequest fields only (it forbids any other), the
 * idle timeout under its own name, and a country as the proxy list Notte's SDK makes of it. url and cookies are
 * acted on here after the start; our extensions were refused by checkRequest unless at their defaults.
 */
export function apiStartBody(request: SessionStartRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of NOTTE_START_FIELDS) {
    const value = request[field];
    if (value !== null && value !== undefined && field !== 'timeout_minutes') body[field] = value;
  }
  body['idle_timeout_minutes'] = request.timeout_minutes ?? request.idle_timeout_minutes;
  if (typeof request.proxies === 'string') body['proxies'] = [{ type: 'notte', country: request.proxies }];
  return body;
}

const NO_SUCH_FIELD = `Notte's API has no such field; leave it out and call ${TOOL.start} again.`;

/**
 * `--backend notte`: every session lives on the Notte API (Notte's cloud, or any server that speaks it, such as
 * this one with --rest). Sessions, limits and owners stay ours; the browser work is theirs.
 */
export class NotteDriver implements Driver {
  readonly #client: NotteClient;
  readonly #options: NotteDriverOptions;
  readonly #open = new LiveSessions<NotteSession>();

  constructor(options: NotteDriverOptions) {
    this.#options = options;
    this.#client = new NotteClient({ apiUrl: options.apiUrl, apiKey: options.apiKey });
  }

  /**
   * The cloud honours every field of its own (proxies by country, captcha solving, …); our extensions it cannot
   * are refused when set, rather than dropped from the body and silently not done.
   */
  checkRequest(request: SessionStartRequest): ProxySettings | undefined {
    const refuse = (field: string, why: string): never => {
      throw new BsmError('E_NOT_SUPPORTED', `${field}: ${why} on --backend notte.`, NO_SUCH_FIELD);
    };
    if (request.recording) refuse('recording', 'recordings are made by this server\'s viewer, which has no browser to record');
    if (request.expose_cdp === true) refuse('expose_cdp', 'a browser of its own with an exposed CDP port is a local feature (the cloud session\'s cdp_url comes back anyway)');
    if (request.cdp_headers !== null && request.cdp_headers !== undefined && Object.keys(request.cdp_headers).length > 0) refuse('cdp_headers', 'headers for cdp_url cannot be passed');
    return undefined;
  }

  async open(open: OpenRequest, hooks: OpenHooks): Promise<DriverSession> {
    return this.#open.track((forget) => this.#start(open, hooks, forget));
  }

  async #start(open: OpenRequest, hooks: OpenHooks, forget: () => void): Promise<NotteSession> {
    const body = apiStartBody(open.request);
    const started = readApi(ApiSession, await this.#client.call({ method: 'POST', path: '/sessions/start', body, idempotent: false, timeoutMs: this.#options.startTimeoutMs }), 'start');
    const session = new NotteSession(started, this.#client, hooks, this.#options.callLimits, forget);
    if (started.status !== 'active') {
      await session.close();
      throw new BsmError('E_BROWSER_LAUNCH', `The Notte API started the session as ${started.status}${started.error ? `: ${started.error}` : ''}.`, `Try ${TOOL.start} again.`);
    }
    if (open.signal?.aborted === true) {
      // The caller gave up waiting (--start-timeout): a session nobody will use must not run on the cloud's meter.
      await session.close();
      throw new BsmError('E_START_TIMEOUT', 'The Notte API took longer than --start-timeout to start the session.', `Try ${TOOL.start} again.`);
    }
    const cookies = open.startState?.cookies ?? [];
    if (cookies.length > 0) {
      try {
        await session.addCookies(cookies);
      } catch (error: unknown) {
        await session.close();
        throw error;
      }
    }
    log('info', 'Notte session started', { session_id: open.sessionId, remote_session_id: started.session_id });
    return session;
  }

  async releaseIdle(): Promise<void> {
    // Nothing is shared between Notte sessions; each is stopped with its own session.
  }

  async shutdown(): Promise<void> {
    await this.#open.closeAll();
    await this.#client.close();
  }
}
