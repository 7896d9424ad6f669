import { LiveSessions } from '../liveSessions.js';
import { BsmError } from '../../errors.js';
import { log } from '../../log.js';
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
 * Fields of session_start that are ours, not the API's start body: the server acts on them itself (url: a goto
 * after start; cookies: POST /sessions/{id}/cookies once it runs, as Notte's SDK loads a cookie_file).
 */
const OURS = new Set(['url', 'cookies']);

function apiStartBody(request: SessionStartRequest): Record<string, unknown> {
  return Object.fromEntries(Object.entries(request).filter(([key, value]) => !OURS.has(key) && value !== null && value !== undefined));
}

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

  /** The cloud honours every start field (proxies by country, captcha solving, …): nothing is refused here. */
  checkRequest(): ProxySettings | undefined {
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
