import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { log } from '../log.js';
import type { SessionReplay } from '../notte/replay.js';
import { META_FILE } from './recorder.js';

/** Longest wait of one timer; a longer TTL is re-armed, and a sweep at start-up catches what a restart missed. */
const MAX_TIMER_MS = 60 * 60 * 1000;

/** Removes each session's recording folder once its expires_at has passed (--recordings-ttl). */
export class Retention {
  readonly #dir: string;
  readonly #timers = new Map<string, NodeJS.Timeout>();

  constructor(dir: string) {
    this.#dir = dir;
    this.#sweep();
  }

  schedule(sessionId: string, replay: SessionReplay): void {
    const arm = (): void => {
      const left = Date.parse(replay.expires_at) - Date.now();
      if (left <= 0) {
        this.#timers.delete(sessionId);
        this.#remove(sessionId);
        return;
      }
      const timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
      timer.unref();
      this.#timers.set(sessionId, timer);
    };
    arm();
  }

  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Recordings of earlier runs: expired ones go, the others get their timer again. */
  #sweep(): void {
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch {
      return; // no recordings yet
    }
    for (const name of names) {
      try {
        const meta: unknown = JSON.parse(readFileSync(join(this.#dir, name, META_FILE), 'utf8'));
        const expires = typeof meta === 'object' && meta !== null && 'expires_at' in meta && typeof meta.expires_at === 'string' ? meta.expires_at : undefined;
        if (expires !== undefined) this.schedule(name, { session_id: name, expires_at: expires, mp4_url: null, trace_url: null, video_start_ms: null, video_duration_ms: null, video_frames: null, video_error: null });
      } catch {
        // a folder without its meta file is a recording still being written by another run, or not ours
      }
    }
  }

  #remove(sessionId: string): void {
    try {
      rmSync(join(this.#dir, sessionId), { recursive: true, force: true });
      log('info', 'recording expired and was removed', { session_id: sessionId });
    } catch (error: unknown) {
      log('warn', 'removing an expired recording failed', { session_id: sessionId, error: errorMessage(error) });
    }
  }
}
