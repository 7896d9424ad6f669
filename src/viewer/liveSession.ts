import type { ServerResponse } from 'node:http';
import type { LiveSurface } from '../drivers/driver.js';
import { BsmError, errorMessage } from '../errors.js';
import { log } from '../log.js';
import { TOOL } from '../notte/toolNames.js';
import type { SessionReplay } from '../notte/replay.js';
import { dispatchInput } from './input.js';
import type { ViewerInput } from './input.js';
import type { Recorder } from './recorder.js';
import { Screencast } from './screencast.js';
import type { Frame, ScreencastFigures } from './screencast.js';
import { viewportInPage } from '../page/injected/probesInPage.js';

/** The agent's last steps shown in the viewer. */
const SHOWN_STEPS = 20;
/** A viewer gets at most this many frames a second (an animation paints 60); the newest frame always arrives. */
const MAX_VIEWER_FPS = 10;
/** An SSE comment this often keeps proxies and idle timeouts from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export interface ViewerStep {
  name: string;
  success: boolean;
  message: string;
  at: string;
}

export interface ViewerState {
  url: string;
  title: string;
  tabs: { url: string; title: string; active: boolean }[];
  steps: ViewerStep[];
  control: 'agent' | 'person';
  read_only: boolean;
  viewers: number;
}

/**
 * One session as its viewers see it: a screencast while anyone watches, the state (URL, title, tabs, the agent's
 * last steps), and who is in control. While a person has taken over, the agent's calls wait for the hand-back
 * by failing with E_TAKEN_OVER instead of fighting the person for the mouse.
 */
export class LiveSession {
  readonly sessionId: string;
  readonly token: string;
  readonly screencast: Screencast;
  readonly #surface: LiveSurface;
  readonly #readOnly: boolean;
  readonly #maxViewers: number;
  readonly #viewers = new Set<ServerResponse>();
  readonly #steps: ViewerStep[] = [];
  #control: 'agent' | 'person' = 'agent';
  /** What a person does in the viewer counts as activity, so the session does not time out under them. */
  onActivity: () => void = () => undefined;
  #recorder: Recorder | undefined;
  #ended = false;

  constructor(args: { sessionId: string; token: string; surface: LiveSurface; readOnly: boolean; maxViewers: number; figures: ScreencastFigures }) {
    this.sessionId = args.sessionId;
    this.token = args.token;
    this.#surface = args.surface;
    this.#readOnly = args.readOnly;
    this.#maxViewers = args.maxViewers;
    this.screencast = new Screencast(args.surface, args.figures);
  }

  set recorder(recorder: Recorder | undefined) {
    this.#recorder = recorder;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get readOnly(): boolean {
    return this.#readOnly;
  }

  /** Runs one agent call as a named step: refused while a person is in control, a trace group when recording. */
  async around<T>(name: string, op: () => Promise<T>, outcome: (result: T) => { success: boolean; message: string }): Promise<T> {
    if (this.#control === 'person') {
      throw new BsmError('E_TAKEN_OVER', 'A person has taken over this session in its viewer.', `Wait, then call ${TOOL.observe} again once they hand it back (${TOOL.status} shows the session).`);
    }
    await this.#recorder?.group(name);
    try {
      const result = await op();
      this.#addStep(name, outcome(result));
      return result;
    } catch (error: unknown) {
      this.#addStep(name, { success: false, message: errorMessage(error).split('\n')[0] ?? '' });
      throw error;
    } finally {
      await this.#recorder?.groupEnd();
      await this.screencast.follow();
      void this.broadcastState();
    }
  }

  hasRoom(): boolean {
    return this.#viewers.size < this.#maxViewers;
  }

  /** Adds an SSE viewer (after hasRoom said yes): frames flow while it stays connected. */
  addViewer(res: ServerResponse): void {
    this.#viewers.add(res);
    const send = throttled((frame: Frame) => this.#sendFrame(res, frame), 1000 / MAX_VIEWER_FPS);
    const unsubscribe = this.screencast.subscribe(send.push);
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    res.once('close', () => {
      this.#viewers.delete(res);
      clearInterval(keepalive);
      send.cancel();
      unsubscribe();
      void this.broadcastState();
    });
    void this.broadcastState();
  }

  setControl(control: 'agent' | 'person'): void {
    this.onActivity();
    this.#control = control;
    log('info', control === 'person' ? 'viewer took over' : 'viewer handed back', { session_id: this.sessionId });
    void this.broadcastState();
  }

  async input(input: ViewerInput): Promise<void> {
    this.onActivity();
    const page = this.#surface.page();
    const size = page.viewportSize() ?? (await page.evaluate(viewportInPage));
    await dispatchInput(await this.screencast.cdpForInput(), input, size);
    // What the person did may navigate: tell the viewers once the page had a moment to move.
    setTimeout(() => void this.broadcastState(), 300).unref();
  }

  async state(): Promise<ViewerState> {
    const tabs = await Promise.all(
      this.#surface.tabs().map(async (tab) => ({ url: tab.url(), title: await tab.title().catch(() => ''), tab })),
    );
    let active: unknown;
    try {
      active = this.#surface.page();
    } catch {
      active = undefined; // no tab open
    }
    const current = tabs.find((tab) => tab.tab === active);
    return {
      url: current?.url ?? '',
      title: current?.title ?? '',
      tabs: tabs.map((tab) => ({ url: tab.url, title: tab.title, active: tab.tab === active })),
      steps: [...this.#steps],
      control: this.#control,
      read_only: this.#readOnly,
      viewers: this.#viewers.size,
    };
  }

  async broadcastState(): Promise<void> {
    if (this.#viewers.size === 0 || this.#ended) return;
    const state = await this.state().catch(() => undefined);
    if (state === undefined) return;
    const event = `event: state\ndata: ${JSON.stringify(state)}\n\n`;
    for (const viewer of this.#viewers) viewer.write(event);
  }

  /** The session ended: the recording is finished, viewers are told and disconnected, the token dies. */
  async end(): Promise<SessionReplay | undefined> {
    if (this.#ended) return this.#recorder?.result;
    this.#ended = true;
    this.#control = 'agent';
    for (const viewer of this.#viewers) viewer.end('event: ended\ndata: {}\n\n');
    this.#viewers.clear();
    const replay = await this.#recorder?.finish();
    await this.screencast.close();
    return replay;
  }

  #sendFrame(res: ServerResponse, frame: Frame): void {
    // A slow viewer skips frames rather than queueing them in the server's memory.
    if (res.writableNeedDrain) return;
    res.write(`event: frame\ndata: ${JSON.stringify({ jpeg: frame.jpeg.toString('base64'), width: frame.width, height: frame.height })}\n\n`);
  }

  #addStep(name: string, outcome: { success: boolean; message: string }): void {
    this.#steps.push({ name, success: outcome.success, message: outcome.message.slice(0, 300), at: new Date().toISOString() });
    if (this.#steps.length > SHOWN_STEPS) this.#steps.splice(0, this.#steps.length - SHOWN_STEPS);
  }
}

/** Calls `send` at most once per `intervalMs`, always with the newest value, and the last value is never dropped. */
function throttled<T>(send: (value: T) => void, intervalMs: number): { push(value: T): void; cancel(): void } {
  let last = 0;
  let pending: T | undefined;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (pending === undefined) return;
    const value = pending;
    pending = undefined;
    last = Date.now();
    send(value);
  };
  return {
    push(value) {
      pending = value;
      if (timer !== undefined) return;
      const wait = last + intervalMs - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    cancel() {
      clearTimeout(timer);
      pending = undefined;
    },
  };
}
