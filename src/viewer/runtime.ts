import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DriverSession } from '../drivers/driver.js';
import { BsmError, errorMessage } from '../errors.js';
import { allowedHostnames, checkHostAndOrigin } from '../httpGuard.js';
import { log } from '../log.js';
import type { SessionStartRequest } from '../notte/session.js';
import { TOOL } from '../notte/toolNames.js';
import { LiveSession } from './liveSession.js';
import { Recorder } from './recorder.js';
import { Retention } from './retention.js';
import { handleViewer, isViewerPath } from './routes.js';
import type { ScreencastFigures } from './screencast.js';
import { watched } from './watched.js';

export interface ViewerOptions {
  /** Serve viewer_url (over HTTP always; over stdio with --viewer). */
  viewer: boolean;
  readOnly: boolean;
  maxViewers: number;
  /** --record: every session records, as if it asked with recording: true. */
  recordAll: boolean;
  recordingsDir: string;
  recordingsTtlSeconds: number;
  /** --allowed-hosts, for the stdio listener's Host/Origin check. */
  allowedHosts: readonly string[];
}

/** headless: false where no window can open (Linux without DISPLAY/WAYLAND_DISPLAY). */
function wantsViewerWindow(request: SessionStartRequest): boolean {
  return request.headless === false && process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'];
}

/**
 * The live viewer and the recordings of every session of the server. It wraps each new session's backend (the
 * registry's `attach` hook), serves /viewer/<token> on the HTTP server or on a 127.0.0.1 listener of its own
 * (stdio), and keeps finished recordings until their TTL.
 */
export class ViewerRuntime {
  readonly #options: ViewerOptions;
  readonly #byToken = new Map<string, LiveSession>();
  readonly #retention: Retention;
  #baseUrl: string | undefined;
  #server: Server | undefined;
  #listening: Promise<string> | undefined;
  readonly #allowed: Set<string>;
  readonly #figures: ScreencastFigures = { screencasts_running: 0, screencast_frames: 0 };

  constructor(options: ViewerOptions) {
    this.#options = options;
    this.#allowed = allowedHostnames('127.0.0.1', options.allowedHosts);
    this.#retention = new Retention(options.recordingsDir);
  }

  /** The origin viewer URLs start with, once a listener is up. */
  setBaseUrl(origin: string): void {
    this.#baseUrl = origin.replace(/\/$/, '');
  }

  /** For GET /healthz: shows that a session nobody watches or records paints no frames. */
  figures(): ScreencastFigures {
    return { ...this.#figures };
  }

  handles(path: string): boolean {
    return isViewerPath(path);
  }

  handle(req: IncomingMessage, res: ServerResponse, path: string): void {
    handleViewer(req, res, path, (token) => this.#byToken.get(token)).catch((error: unknown) => {
      log('warn', 'viewer request failed', { error: errorMessage(error) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"viewer request failed"}');
    });
  }

  /** Over stdio: a listener of its own on an ephemeral 127.0.0.1 port, with the same Host/Origin checks as /mcp. */
  async listen(): Promise<string> {
    if (this.#listening !== undefined) return this.#listening;
    this.#listening = this.#listen(this.#allowed);
    return this.#listening;
  }

  async #listen(allowed: Set<string>): Promise<string> {
    const server = createServer((req, res) => {
      const refused = checkHostAndOrigin(req, allowed);
      if (refused !== undefined) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `${refused}.` }));
        return;
      }
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (!this.handles(path)) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found."}');
        return;
      }
      this.handle(req, res, path);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    const address = server.address() as AddressInfo; // a TCP listen always yields AddressInfo
    this.setBaseUrl(`http://127.0.0.1:${address.port}`);
    return `http://127.0.0.1:${address.port}`;
  }

  /**
   * The registry's prepare hook: a headed session on a server without a display runs headless, and the viewer
   * (started for it over stdio) is the window the person asked for.
   */
  prepare(request: SessionStartRequest): SessionStartRequest {
    return wantsViewerWindow(request) ? { ...request, headless: true } : request;
  }

  /** The registry's attach hook: a session that the viewer can watch and that records when asked. */
  async attach(sessionId: string, request: SessionStartRequest, inner: DriverSession): Promise<DriverSession> {
    const surface = inner.live;
    const record = request.recording || this.#options.recordAll;
    const viewer = this.#options.viewer || wantsViewerWindow(request);
    if (viewer && this.#baseUrl === undefined) {
      await this.listen().catch(async (error: unknown) => {
        await inner.close();
        throw new BsmError('E_BROWSER_LAUNCH', `Could not open the viewer's listener: ${errorMessage(error)}`, `Call ${TOOL.start} again with headless: true.`, { cause: error });
      });
    }
    if (surface === undefined || (!viewer && !record)) {
      if (record) {
        await inner.close();
        throw new BsmError('E_NOT_SUPPORTED', 'This backend cannot record sessions.', `Call ${TOOL.start} without recording.`);
      }
      return inner;
    }
    const token = randomBytes(24).toString('base64url');
    const live = new LiveSession({ sessionId, token, surface, readOnly: this.#options.readOnly, maxViewers: this.#options.maxViewers, figures: this.#figures });
    if (record) {
      try {
        live.recorder = await Recorder.start(sessionId, surface, join(this.#options.recordingsDir, sessionId), this.#options.recordingsTtlSeconds * 1000, live.screencast);
      } catch (error: unknown) {
        await live.end();
        await inner.close();
        throw new BsmError('E_BROWSER_LAUNCH', `Could not start the recording: ${errorMessage(error)}`, `Call ${TOOL.start} again, or without recording.`, { cause: error });
      }
    }
    const viewerUrl = viewer && this.#baseUrl !== undefined ? `${this.#baseUrl}/viewer/${token}` : null;
    if (viewerUrl !== null) this.#byToken.set(token, live);
    return watched(inner, live, {
      viewerUrl,
      record,
      onEnd: (replay) => {
        this.#byToken.delete(token);
        if (replay !== undefined) this.#retention.schedule(sessionId, replay);
      },
    });
  }

  /** Ends the stdio listener and the retention timer (recordings on disk stay, for the next run's sweep). */
  async close(): Promise<void> {
    this.#retention.close();
    const server = this.#server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
