import type { CDPSession, Page } from 'playwright-core';
import type { LiveSurface } from '../drivers/driver.js';
import { errorMessage } from '../errors.js';
import { log } from '../log.js';

/** One JPEG frame of the active tab, with the CSS size of the page it shows (for mapping clicks back). */
export interface Frame {
  jpeg: Buffer;
  width: number;
  height: number;
  at: number;
}

export type FrameListener = (frame: Frame) => void;

/** Server-wide figures for GET /healthz: how many screencasts run now, and how many frames Chromium has sent. */
export interface ScreencastFigures {
  screencasts_running: number;
  screencast_frames: number;
}

/** Frames are capped at this size: enough to read a page, small enough to stream to a few viewers. */
const MAX_FRAME_SIDE = 1280;
const JPEG_QUALITY = 70;

/**
 * CDP Page.startScreencast on the session's active tab, running only while someone listens (a viewer or a
 * recording): Chromium paints nothing extra for a session nobody watches.
 */
export class Screencast {
  readonly #surface: LiveSurface;
  readonly #figures: ScreencastFigures;
  readonly #listeners = new Set<FrameListener>();
  #page: Page | undefined;
  #cdp: CDPSession | undefined;
  #last: Frame | undefined;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(surface: LiveSurface, figures: ScreencastFigures) {
    this.#surface = surface;
    this.#figures = figures;
  }

  get last(): Frame | undefined {
    return this.#last;
  }

  /** Starts the stream for the first listener; the returned function unsubscribes, and the last one stops it. */
  subscribe(listener: FrameListener): () => void {
    this.#listeners.add(listener);
    if (this.#last !== undefined && this.#cdp !== undefined) listener(this.#last);
    void this.follow();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) void this.follow();
    };
  }

  /** Points the stream at the active tab (a step may have switched tabs), or stops it when nobody listens. */
  follow(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#retarget()).catch((error: unknown) => log('debug', 'screencast retarget failed', { error: errorMessage(error) }));
    return this.#chain;
  }

  /** A CDP session on the streamed tab (or the active one), for the viewer's input events. */
  async cdpForInput(): Promise<CDPSession> {
    await this.#chain;
    if (this.#cdp !== undefined) return this.#cdp;
    return this.#surface.context.newCDPSession(this.#surface.page());
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    await this.follow();
  }

  async #retarget(): Promise<void> {
    const want = !this.#closed && this.#listeners.size > 0;
    let page: Page | undefined;
    if (want) {
      try {
        page = this.#surface.page();
      } catch {
        page = undefined; // no tab open: nothing to stream until a step opens one
      }
    }
    if (page !== undefined && page === this.#page && this.#cdp !== undefined) return;
    await this.#stop();
    if (page === undefined || page.isClosed()) return;
    const cdp = await this.#surface.context.newCDPSession(page);
    cdp.on('Page.screencastFrame', (event) => {
      // Chromium sends the next frame only once this one is acknowledged.
      cdp.send('Page.screencastFrameAck', { sessionId: event.sessionId }).catch(() => undefined);
      this.#figures.screencast_frames += 1;
      const frame: Frame = { jpeg: Buffer.from(event.data, 'base64'), width: event.metadata.deviceWidth, height: event.metadata.deviceHeight, at: Date.now() };
      this.#last = frame;
      for (const listener of this.#listeners) listener(frame);
    });
    try {
      await cdp.send('Page.startScreencast', { format: 'jpeg', quality: JPEG_QUALITY, maxWidth: MAX_FRAME_SIDE, maxHeight: MAX_FRAME_SIDE });
    } catch (error: unknown) {
      // The tab closed or crashed under us: give its CDP session back instead of leaving it attached.
      await cdp.detach().catch(() => undefined);
      throw error;
    }
    this.#page = page;
    this.#cdp = cdp;
    this.#figures.screencasts_running += 1;
    page.once('close', () => void this.follow());
  }

  async #stop(): Promise<void> {
    const cdp = this.#cdp;
    this.#cdp = undefined;
    this.#page = undefined;
    if (cdp === undefined) return;
    await cdp.send('Page.stopScreencast').catch(() => undefined); // the tab may be gone already
    await cdp.detach().catch(() => undefined);
    // Counted down once detached: no frame event can follow, so "0 running" means no frame is on its way.
    this.#figures.screencasts_running -= 1;
  }
}
