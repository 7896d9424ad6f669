import { randomUUID } from 'node:crypto';
import { BsmError, errorMessage, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { log } from '../log.js';
import type { Driver, DriverSession } from '../drivers/driver.js';
import type { Action } from '../notte/actions.js';
import type { SessionList, SessionResponse, SessionStartRequest, SessionStep } from '../notte/session.js';
import { Session } from './session.js';
import { defaultStores, prepareState } from './sessionState.js';
import type { StateStores } from './sessionState.js';
import { openWithin } from './startDeadline.js';
import { checkStartRequest } from './startChecks.js';
import { checkSupported } from './unsupported.js';
import { openSessionVault } from '../vault/attach.js';
import type { VaultStore } from '../vault/store.js';

export interface RegistryLimits {
  maxSessions: number;
  maxSessionsPerClient: number;
  /** Length of one "minute" of the API's limits; shorter only in tests. */
  minuteMs: number;
  /** Holds each session's storage folder. */
  outputDir: string;
  /** Profile store and storage flags; default: profiles under outputDir, nothing kept (tests, the README generator). */
  state?: Omit<StateStores, 'outputDir'>;
  /** A session_start waits at most this long for its browser (--start-timeout). */
  startTimeoutMs?: number;
  /** Action types the operator turned off (--no-evaluate), refused for every client and transport. */
  disabledActions?: readonly Action['type'][];
  /** Where vault_id is looked up (`<data-dir>/vaults`). */
  vaults?: VaultStore;
  /** Wraps each new session's backend (src/viewer: live viewer, recordings). */
  attach?: (sessionId: string, request: SessionStartRequest, driver: DriverSession) => Promise<DriverSession>;
  /** What the backend is asked to open (src/viewer: headless: false without a display runs headless, watched in the viewer). */
  prepare?: (request: SessionStartRequest) => SessionStartRequest;
}

const DEFAULT_START_TIMEOUT_MS = 45_000;

/** Ended sessions an owner can still ask about; older ones are forgotten. */
const KEEP_ENDED_PER_OWNER = 50;

/**
 * Every session of the server, each visible to its owner only: an id from another conversation gets exactly the
 * answer an unknown id gets.
 */
export class SessionRegistry {
  readonly #driver: Driver;
  readonly #limits: RegistryLimits;
  readonly #stores: StateStores;
  readonly #sessions = new Map<string, Session>();
  /** Starts in flight hold a slot, so two racing starts cannot pass the limit together. */
  readonly #pending = new Map<string, number>();
  readonly #reaper: NodeJS.Timeout;
  #shuttingDown = false;

  constructor(driver: Driver, limits: RegistryLimits) {
    this.#driver = driver;
    this.#limits = limits;
    this.#stores = { outputDir: limits.outputDir, ...(limits.state ?? defaultStores(limits.outputDir)) };
    const every = Math.min(5_000, Math.max(100, Math.floor(limits.minuteMs / 4)));
    this.#reaper = setInterval(() => void this.reap(), every);
    this.#reaper.unref();
  }

  async start(owner: string, request: SessionStartRequest): Promise<Session> {
    if (this.#shuttingDown) throw new BsmError('E_SHUTTING_DOWN', 'The server is shutting down.', 'Reconnect and try again.');
    const proxy = this.#driver.checkRequest !== undefined ? this.#driver.checkRequest(request) : checkSupported(request);
    checkStartRequest(request);
    const vault = openSessionVault(this.#limits.vaults, request.vault_id, this.#driver.fillsVaultPlaceholders === true);
    await this.reap();
    this.#reserve(owner);
    try {
      const id = randomUUID();
      const state = prepareState(this.#stores, id, request);
      // A crash can strike before the Session exists; the hook finds it once it does.
      const ref: { session?: Session } = {};
      const opened = await openWithin(
        (signal) => this.#driver.open({ sessionId: id, request: this.#limits.prepare?.(request) ?? request, proxy, ...state.open, signal }, { onCrash: (reason) => void ref.session?.end('error', 'error', reason) }),
        this.#limits.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      ).catch((error: unknown) => {
        state.abandon(); // a failed start leaves nothing behind
        throw error;
      });
      const driver = this.#limits.attach === undefined ? opened : await this.#limits.attach(id, request, opened);
      const session = new Session({ id, owner, request, driver: state.wrap(driver), minuteMs: this.#limits.minuteMs, createdAt: new Date(), vault });
      ref.session = session;
      driver.onActivity?.(() => session.touch());
      this.#sessions.set(id, session);
      log('info', 'session started', { session_id: id });
      return session;
    } finally {
      this.#release(owner);
    }
  }

  get stores(): StateStores {
    return this.#stores;
  }

  /** The owner's session, whatever its status. */
  get(owner: string, sessionId: string): Session {
    const session = this.#sessions.get(sessionId);
    if (session === undefined || session.owner !== owner) {
      throw new BsmError('E_SESSION_NOT_FOUND', `No session ${JSON.stringify(excerpt(sessionId))} in this conversation.`, `Check the id, or call ${TOOL.list} to see your sessions, or ${TOOL.start} for a new one.`);
    }
    return session;
  }

  async status(owner: string, sessionId: string): Promise<SessionResponse> {
    const session = this.get(owner, sessionId);
    await this.#expire(session);
    await session.refresh();
    await session.settled();
    return session.toResponse();
  }

  /** Idempotent: stopping an ended session returns it as it ended. */
  async stop(owner: string, sessionId: string): Promise<SessionResponse> {
    const session = this.get(owner, sessionId);
    await this.#expire(session);
    await session.end('closed', 'manual');
    return session.toResponse();
  }

  /** Runs one page operation on an active session, after checking its limits. */
  /** The action types step refuses on this server. */
  get disabledActions(): readonly Action['type'][] {
    return this.#limits.disabledActions ?? [];
  }

  /** Refuses an action the operator turned off, before the session's browser sees it. */
  checkAction(action: Action): void {
    if (!this.disabledActions.includes(action.type)) return;
    throw new BsmError('E_ACTION_DISABLED', `${action.type} is turned off on this server (its operator started it with --no-evaluate).`, `Use the other ${TOOL.step} actions, or ${TOOL.scrape} to read the page.`);
  }

  async run<T>(owner: string, sessionId: string, op: (driver: DriverSession) => Promise<T>, record: (result: T) => SessionStep): Promise<T> {
    const session = this.get(owner, sessionId);
    await this.#expire(session);
    return session.run(op, record);
  }

  async list(owner: string, query: { only_active: boolean; page: number; page_size: number }): Promise<SessionList> {
    await this.reap();
    const owned = [...this.#sessions.values()].filter((session) => session.owner === owner);
    await Promise.all(owned.filter((session) => session.status === 'active').map((session) => session.refresh()));
    await Promise.all(owned.map((session) => session.settled()));
    const mine = owned
      .filter((session) => !query.only_active || session.status === 'active')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const from = (query.page - 1) * query.page_size;
    return {
      items: mine.slice(from, from + query.page_size).map((session) => session.toResponse()),
      page: query.page,
      page_size: query.page_size,
      has_next: from + query.page_size < mine.length,
      has_previous: query.page > 1,
    };
  }

  /** The conversation ended: stop its sessions, forget them, and close browsers nobody uses any more. */
  async endOwner(owner: string): Promise<void> {
    const mine = [...this.#sessions.values()].filter((session) => session.owner === owner);
    await Promise.all(mine.map((session) => session.end('closed', 'shutdown')));
    for (const session of mine) this.#sessions.delete(session.id);
    await this.#driver.releaseIdle();
  }

  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    clearInterval(this.#reaper);
    await Promise.all([...this.#sessions.values()].map((session) => session.end('closed', 'shutdown')));
    await this.#driver.shutdown();
  }

  activeCount(owner?: string): number {
    let count = 0;
    for (const session of this.#sessions.values()) {
      if (session.status === 'active' && (owner === undefined || session.owner === owner)) count += 1;
    }
    return count;
  }

  async reap(): Promise<void> {
    const now = new Date();
    await Promise.all([...this.#sessions.values()].map((session) => this.#expire(session, now)));
    this.#forgetOldEnded();
  }

  async #expire(session: Session, now = new Date()): Promise<void> {
    const reason = session.expiry(now);
    if (reason === undefined) return;
    const limit = reason === 'idle_timeout' ? `idle for more than ${session.idleTimeoutMinutes} min` : `older than max_duration_minutes=${session.request.max_duration_minutes}`;
    await session.end('timed_out', reason, `Session timed out: ${limit}.`).catch((error: unknown) => {
      log('warn', 'ending a timed-out session failed', { error: errorMessage(error) });
    });
  }

  #reserve(owner: string): void {
    const pendingAll = [...this.#pending.values()].reduce((sum, n) => sum + n, 0);
    const pendingMine = this.#pending.get(owner) ?? 0;
    if (this.activeCount(owner) + pendingMine >= this.#limits.maxSessionsPerClient) {
      throw new BsmError('E_SESSION_LIMIT', `This conversation already has ${this.#limits.maxSessionsPerClient} active sessions (the per-client limit).`, `Stop one with ${TOOL.stop} (${TOOL.list} shows them), then start again.`);
    }
    if (this.activeCount() + pendingAll >= this.#limits.maxSessions) {
      throw new BsmError('E_SESSION_LIMIT', `The server is at its limit of ${this.#limits.maxSessions} active sessions.`, `Stop one of your sessions with ${TOOL.stop}, or try again later.`);
    }
    this.#pending.set(owner, pendingMine + 1);
  }

  #release(owner: string): void {
    const left = (this.#pending.get(owner) ?? 1) - 1;
    if (left <= 0) this.#pending.delete(owner);
    else this.#pending.set(owner, left);
  }

  #forgetOldEnded(): void {
    const endedByOwner = new Map<string, Session[]>();
    for (const session of this.#sessions.values()) {
      if (session.status === 'active') continue;
      const list = endedByOwner.get(session.owner) ?? [];
      list.push(session);
      endedByOwner.set(session.owner, list);
    }
    for (const ended of endedByOwner.values()) {
      for (const old of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED_PER_OWNER))) this.#sessions.delete(old.id);
    }
  }
}
