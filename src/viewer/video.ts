import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { errorMessage } from '../errors.js';
import { log } from '../log.js';
import type { Frame } from './screencast.js';

/** Frames per second of the replay video: the last screencast frame is repeated at this rate, so time runs true. */
export const VIDEO_FPS = 5;
const FINISH_TIMEOUT_MS = 20_000;

export interface VideoResult {
  path: string | null;
  startMs: number | null;
  durationMs: number | null;
  frames: number | null;
  error: string | null;
}

/**
 * Turns screencast frames into an MP4 with ffmpeg: JPEGs piped in at a fixed rate (a page that does not change
 * sends no frames, and the video must still last as long as the session did), H.264 out.
 */
export class VideoWriter {
  readonly #path: string;
  readonly #ffmpeg: string;
  #process: ChildProcess | undefined;
  #exited: Promise<number | null> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #latest: Frame | undefined;
  #frames = 0;
  #startMs: number | null = null;
  #error: string | null = null;

  constructor(path: string, ffmpeg = 'ffmpeg') {
    this.#path = path;
    this.#ffmpeg = ffmpeg;
  }

  /** Takes the newest frame; the first one fixes the video's size and starts the clock. */
  push(frame: Frame): void {
    this.#latest = frame;
    if (this.#process === undefined && this.#error === null) this.#begin(frame);
  }

  async finish(): Promise<VideoResult> {
    clearInterval(this.#timer);
    const child = this.#process;
    if (child !== undefined && this.#exited !== undefined) {
      child.stdin?.end();
      const code = await Promise.race([this.#exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), FINISH_TIMEOUT_MS).unref())]);
      if (code === 'late') {
        child.kill('SIGKILL');
        this.#error = 'ffmpeg did not finish the video in time';
      } else if (code !== 0 && this.#error === null) this.#error = `ffmpeg exited with code ${String(code)}`;
    }
    if (this.#process === undefined && this.#error === null) this.#error = 'no frame was painted while recording';
    const ok = this.#error === null && this.#frames > 0;
    return {
      path: ok ? this.#path : null,
      startMs: ok ? this.#startMs : null,
      durationMs: ok ? Math.round((this.#frames * 1000) / VIDEO_FPS) : null,
      frames: ok ? this.#frames : null,
      error: this.#error,
    };
  }

  #begin(first: Frame): void {
    // x264 needs even sizes; later frames of another size are scaled and padded into this one.
    const width = Math.max(2, Math.floor(first.width / 2) * 2);
    const height = Math.max(2, Math.floor(first.height / 2) * 2);
    const filter = `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,format=yuv420p`;
    const args = ['-hide_banner', '-loglevel', 'error', '-f', 'image2pipe', '-c:v', 'mjpeg', '-framerate', String(VIDEO_FPS), '-i', 'pipe:0', '-vf', filter, '-c:v', 'libx264', '-preset', 'ultrafast', '-r', String(VIDEO_FPS), '-movflags', '+faststart', '-y', this.#path];
    const child = spawn(this.#ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString()}`.slice(-2_000);
    });
    this.#exited = new Promise((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        this.#error = error.code === 'ENOENT' ? 'ffmpeg is not installed (e.g. apt-get install ffmpeg), so there is no video; the trace has screenshots' : `ffmpeg failed: ${errorMessage(error)}`;
        clearInterval(this.#timer);
        resolve(null);
      });
      child.once('exit', (code) => {
        if (code !== 0 && stderr !== '') log('warn', 'ffmpeg failed', { stderr: stderr.trim() });
        clearInterval(this.#timer);
        resolve(code);
      });
    });
    child.stdin?.on('error', () => undefined); // ffmpeg gone: its exit reports why
    this.#process = child;
    this.#startMs = first.at;
    const tick = (): void => {
      const frame = this.#latest;
      if (frame === undefined || child.stdin === null || child.stdin.destroyed) return;
      child.stdin.write(frame.jpeg);
      this.#frames += 1;
    };
    tick();
    this.#timer = setInterval(tick, 1000 / VIDEO_FPS);
    this.#timer.unref();
  }
}
