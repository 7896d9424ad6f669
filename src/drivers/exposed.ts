import { LiveSessions } from './liveSessions.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BsmError, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { connectCdp, openAttached } from './attach.js';
import { parseCdpEndpoint } from './cdpEndpoint.js';
import { checkChromeArgs } from './chromeArgs.js';
import { QUIET_ARGS, findChromium } from './chromium.js';
import type { Driver, DriverSession, OpenHooks, OpenRequest } from './driver.js';
import { mergeFeatureArgs } from './launchArgs.js';
import type { PageOptions } from './playwright.js';

export interface ExposedDriverOptions {
  page: PageOptions;
  executablePath: string | undefined;
  browserArgs: readonly string[];
  allowChromeArgs?: boolean | undefined;
  /** --expose-cdp: every session gets its own exposed browser, not only those that ask with expose_cdp. */
  always: boolean;
}

const LISTENING = /DevTools listening on (ws:\/\/\S+)/;
const LAUNCH_TIMEOUT_MS = 30_000;

/**
 * expose_cdp: the session's own Chromium, its debugging port on 127.0.0.1 only, its WebSocket handed out as the
 * response's cdp_url so a user can attach Playwright or Puppeteer to the very browser the agent drives. A browser
 * of its own, because a WebSocket into a shared one would show every other session's tabs. Closed with the session.
 */
export class ExposedDriver implements Driver {
  readonly #options: ExposedDriverOptions;
  readonly #live = new LiveSessions<DriverSession>();

  constructor(options: ExposedDriverOptions) {
    this.#options = options;
  }

  takes(open: OpenRequest): boolean {
    return this.#options.always || open.request.expose_cdp === true;
  }

  async open(open: OpenRequest, hooks: OpenHooks): Promise<DriverSession> {
    const ownArgs = open.request.chrome_args ?? [];
    checkChromeArgs(ownArgs, this.#options.allowChromeArgs === true);
    const userDataDir = mkdtempSync(join(tmpdir(), 'bsm-exposed-'));
    const args = mergeFeatureArgs([
      ...QUIET_ARGS, ...this.#options.browserArgs, ...ownArgs,
      '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${userDataDir}`,
      '--no-sandbox', ...(open.request.headless ? ['--headless=new'] : []), 'about:blank',
    ]);
    const child = spawn(findChromium(this.#options.executablePath), args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const cleanup = async (): Promise<void> => {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await gone;
      }
      // Chromium's helpers can still write into the profile for a moment after the browser process is gone.
      rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    };
    let wsUrl: string;
    try {
      wsUrl = await listeningUrl(child);
    } catch (error: unknown) {
      await cleanup();
      throw error;
    }
    const endpoint = parseCdpEndpoint(wsUrl, 'expose_cdp');
    let browser;
    try {
      browser = await connectCdp(endpoint, wsUrl, {});
    } catch (error: unknown) {
      await cleanup();
      throw error;
    }
    return this.#live.track((forget) =>
      openAttached({
        browser, open, hooks, options: this.#options.page, cdpUrl: wsUrl,
        lostReason: 'The session\'s browser process exited unexpectedly.',
        afterClose: async () => {
          forget();
          await cleanup();
        },
      }),
    );
  }

  async releaseIdle(): Promise<void> {
    // Each exposed browser closes with its session.
  }

  async shutdown(): Promise<void> {
    await this.#live.closeAll();
  }
}

/** Chromium prints its WebSocket on stderr once the port is open. */
function listeningUrl(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new BsmError('E_BROWSER_LAUNCH', `Chromium with an exposed CDP port failed to start: ${excerpt(why, 200)}`, `Check --executable-path and chrome_args, or leave expose_cdp out, then call ${TOOL.start} again.`));
    };
    const timer = setTimeout(() => fail(`no DevTools address within ${LAUNCH_TIMEOUT_MS / 1000} s`), LAUNCH_TIMEOUT_MS);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = LISTENING.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume(); // keep draining, or a chatty browser blocks on a full pipe
        resolve(match[1]);
      }
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`exited with ${code}: ${stderr.split('\n').slice(-3).join(' ')}`));
  });
}
