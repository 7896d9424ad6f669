import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LiveSurface } from '../drivers/driver.js';
import { errorMessage } from '../errors.js';
import { log } from '../log.js';
import type { SessionReplay } from '../notte/replay.js';
import type { Screencast } from './screencast.js';
import { VideoWriter } from './video.js';

export const TRACE_FILE = 'trace.zip';
export const VIDEO_FILE = 'replay.mp4';
/** Written when a recording is complete; retention reads its expires_at. */
export const META_FILE = 'replay.json';

/**
 * One session's recording: a Playwright trace (screenshots, DOM snapshots, each tool call a named group) and an
 * MP4 made from the screencast. Both are finished when the session ends, and kept in `dir` until the TTL passes.
 */
export class Recorder {
  readonly #sessionId: string;
  readonly #surface: LiveSurface;
  readonly #dir: string;
  readonly #ttlMs: number;
  readonly #video: VideoWriter;
  readonly #unsubscribe: () => void;
  #traceError: string | null = null;
  #grouped = false;
  #result: SessionReplay | undefined;

  private constructor(sessionId: string, surface: LiveSurface, dir: string, ttlMs: number, screencast: Screencast) {
    this.#sessionId = sessionId;
    this.#surface = surface;
    this.#dir = dir;
    this.#ttlMs = ttlMs;
    this.#video = new VideoWriter(join(dir, VIDEO_FILE));
    this.#unsubscribe = screencast.subscribe((frame) => this.#video.push(frame));
  }

  static async start(sessionId: string, surface: LiveSurface, dir: string, ttlMs: number, screencast: Screencast): Promise<Recorder> {
    mkdirSync(dir, { recursive: true });
    await surface.context.tracing.start({ screenshots: true, snapshots: true, title: `session ${sessionId}` });
    return new Recorder(sessionId, surface, dir, ttlMs, screencast);
  }

  /** Opens a named group in the trace, so the trace viewer lists the session's tool calls by name. */
  async group(name: string): Promise<void> {
    this.#grouped = await this.#surface.context.tracing.group(name).then(
      () => true,
      () => false, // a context closing under the step: the step reports it
    );
  }

  async groupEnd(): Promise<void> {
    if (!this.#grouped) return;
    this.#grouped = false;
    await this.#surface.context.tracing.groupEnd().catch(() => undefined);
  }

  /** Stops the trace (before the context closes) and the video; idempotent. */
  async finish(): Promise<SessionReplay> {
    if (this.#result !== undefined) return this.#result;
    this.#unsubscribe();
    const tracePath = join(this.#dir, TRACE_FILE);
    let traceOk = true;
    await this.#surface.context.tracing.stop({ path: tracePath }).catch((error: unknown) => {
      traceOk = false;
      this.#traceError = errorMessage(error);
      log('warn', 'saving the trace failed', { session_id: this.#sessionId, error: this.#traceError });
    });
    const video = await this.#video.finish();
    const expiresAt = new Date(Date.now() + this.#ttlMs).toISOString();
    this.#result = {
      session_id: this.#sessionId,
      mp4_url: video.path === null ? null : pathToFileURL(video.path).href,
      trace_url: traceOk ? pathToFileURL(tracePath).href : null,
      expires_at: expiresAt,
      video_start_ms: video.startMs,
      video_duration_ms: video.durationMs,
      video_frames: video.frames,
      video_error: video.error,
    };
    writeFileSync(join(this.#dir, META_FILE), JSON.stringify(this.#result));
    return this.#result;
  }

  get result(): SessionReplay | undefined {
    return this.#result;
  }
}
