import { BsmError, errorMessage } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { log } from '../log.js';
import type { DriverSession } from '../drivers/driver.js';
import type { SessionResponse, SessionStartRequest, SessionStatus, SessionStep } from '../notte/session.js';
import type { SessionReplay } from '../notte/replay.js';
import { isoDuration } from './duration.js';
import type { SessionVault } from '../vault/sessionVault.js';

/** How long the status waits for the browser side to close before it changes anyway. */
const CLOSE_WAIT_MS = 15_000;

export type CloseReason = NonNullable<SessionResponse['close_reason']>;

/** A step keeps what an agent needs to retrace the session, never whole observations. */
const MAX_STEPS = 500;

/**
 * One browser session: status moves active → closed | timed_out | error and never back; operations run one at a
 * time, in call order.
 */
export class Session {
  readonly id: string;
  readonly owner: string;
  readonly request: SessionStartRequest;
  readonly createdAt: Date;
  /** The vault session_start attached (vault_id), if any. */
  readonly vault: SessionVault | undefined;
  readonly #minuteMs: number;
  readonly #driver: DriverSession;
  #status: SessionStatus = 'active';
  #lastAccessedAt: Date;
  #closedAt: Date | null = null;
  #error: string | null = null;
  #closeReason: CloseReason | null = null;
  /** Set while the session is being closed: no new operation starts, and every end() waits for the same close. */
  #ending: Promise<void> | undefined;
  #steps: SessionStep[] = [];
  #queue: Promise<unknown> = Promise.resolve();
  #finalBytes: { request: number; response: number } | undefined;

  constructor(args: { id: string; owner: string; request: SessionStartRequest; driver: DriverSession; minuteMs: number; createdAt: Date; vault?: SessionVault | undefined }) {
    this.id = args.id;
    this.owner = args.owner;
    this.request = args.request;
    this.#driver = args.driver;
    this.#minuteMs = args.minuteMs;
    this.createdAt = args.createdAt;
    this.vault = args.vault;
    this.#lastAccessedAt = args.createdAt;
  }

  get status(): SessionStatus {
    return this.#status;
  }

  get idleTimeoutMinutes(): number {
    return this.request.timeout_minutes ?? this.request.idle_timeout_minutes;
  }

  /** Why the session must end now, if it must: idle past its timeout, or past its whole lifetime. */
  expiry(now: Date): CloseReason | undefined {
    if (this.#status !== 'active' || this.#ending !== undefined) return undefined;
    if (now.getTime() > this.createdAt.getTime() + this.request.max_duration_minutes * this.#minuteMs) return 'max_duration';
    if (now.getTime() > this.#lastAccessedAt.getTime() + this.idleTimeoutMinutes * this.#minuteMs) return 'idle_timeout';
    return undefined;
  }

  /**
   * Runs `op` on the page once the operations before it are done. Touches last_accessed_at before and after,
   * so a long operation never counts as idle time, and records the step `record` makes of the result.
   */
  async run<T>(op: (driver: DriverSession) => Promise<T>, record: (result: T) => SessionStep): Promise<T> {
    this.assertActive();
    this.touch();
    const run = this.#queue.then(async () => {
      this.assertActive();
      try {
        const result = await op(this.#driver);
        this.#record(record(result));
        return result;
      } finally {
        if (this.#status === 'active') this.touch();
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  touch(): void {
    this.#lastAccessedAt = new Date();
  }

  assertActive(): void {
    if (this.#status === 'active' && this.#ending !== undefined) {
      throw new BsmError('E_SESSION_NOT_ACTIVE', `Session ${this.id} is ending.`, `Start a new one with ${TOOL.start}.`);
    }
    if (this.#status !== 'active') {
      const why = this.#error === null ? '' : ` (${this.#error})`;
      throw new BsmError('E_SESSION_NOT_ACTIVE', `Session ${this.id} is not active (${this.#status}${why}).`, `Start a new one with ${TOOL.start}.`);
    }
  }

  /**
   * Ends the session once; the first reason wins, and every caller waits for the same close. The status changes
   * only once the browser side is done (a persisting profile saved, recordings finished), so a client that sees
   * `timed_out` or `closed` can at once start a session on the same profile and find what this one left.
   */
  end(status: Exclude<SessionStatus, 'active'>, reason: CloseReason, error: string | null = null): Promise<void> {
    if (this.#status !== 'active') return Promise.resolve();
    this.#ending ??= this.#close(status, reason, error);
    return this.#ending;
  }

  /** Asks a remote backend whether the session still runs there: one it ended there ends here, with its reason. */
  async refresh(): Promise<void> {
    if (this.#status !== 'active' || this.#ending !== undefined || this.#driver.refresh === undefined) return;
    const ended = await this.#driver.refresh();
    if (ended !== undefined) await this.end(ended.status, ended.reason, ended.error);
  }

  /** Resolves once a close under way has finished (at once when none is): a status read then shows how it ended. */
  async settled(): Promise<void> {
    await this.#ending;
  }

  async #close(status: Exclude<SessionStatus, 'active'>, reason: CloseReason, error: string | null): Promise<void> {
    const closedAt = new Date();
    this.#finalBytes = this.#driver.networkBytes();
    const closing = this.#driver.close().catch((caught: unknown) => log('warn', 'closing the browser context failed', { session_id: this.id, error: errorMessage(caught) }));
    // A close that hangs (a remote browser gone silent) must not keep the session looking active: it goes on alone.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    this.#status = status;
    this.#closeReason = reason;
    // A stop that lost the user's profile says so: "closed" alone would let the agent believe the login was kept.
    this.#error = error ?? this.#driver.closeNote ?? null;
    this.#closedAt = closedAt;
    log('info', 'session ended', { session_id: this.id, status, reason });
  }

  toResponse(now = new Date()): SessionResponse {
    const end = this.#closedAt ?? now;
    const bytes = this.#finalBytes ?? this.#driver.networkBytes();
    const idle = this.idleTimeoutMinutes;
    return {
      session_id: this.id,
      status: this.#status,
      created_at: this.createdAt.toISOString(),
      last_accessed_at: this.#lastAccessedAt.toISOString(),
      closed_at: this.#closedAt?.toISOString() ?? null,
      duration: isoDuration(end.getTime() - this.createdAt.getTime()),
      idle_timeout_minutes: idle,
      timeout_minutes: idle,
      max_duration_minutes: this.request.max_duration_minutes,
      steps: [...this.#steps],
      error: this.#error,
      close_reason: this.#closeReason,
      proxies: this.#driver.applied.proxies,
      browser_type: this.request.browser_type,
      use_file_storage: this.request.use_file_storage,
      user_agent: this.#driver.applied.userAgent,
      viewport_width: this.#driver.applied.viewportWidth,
      viewport_height: this.#driver.applied.viewportHeight,
      headless: this.request.headless,
      solve_captchas: this.request.solve_captchas,
      web_bot_auth: this.request.web_bot_auth,
      auth_ids: this.request.auth_ids,
      network_request_bytes: bytes.request,
      network_response_bytes: bytes.response,
      cdp_url: this.#driver.cdpUrl,
      viewer_url: this.#driver.viewerUrl ?? null,
      system_hidden: false,
    };
  }

  /** The recordings of the session (src/viewer); undefined when its backend keeps none. */
  replay(): SessionReplay | undefined {
    return this.#driver.replay?.();
  }

  #record(step: SessionStep): void {
    this.#steps.push(step);
    if (this.#steps.length > MAX_STEPS) this.#steps.splice(0, this.#steps.length - MAX_STEPS);
  }
}
