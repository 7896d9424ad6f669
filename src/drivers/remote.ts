import { LiveSessions } from './liveSessions.js';
import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { resolvesPrivate } from '../page/networkGuard.js';
import { CONNECT_TIMEOUT_MS, connectCdp, openAttached } from './attach.js';
import { parseCdpEndpoint, resolveWebSocket, withBasicAuth } from './cdpEndpoint.js';
import type { Driver, DriverSession, OpenHooks, OpenRequest } from './driver.js';
import type { PageOptions } from './playwright.js';

export interface RemoteDriverOptions {
  page: PageOptions;
  /** --cdp-endpoint: the browser every session goes to when the client names none. */
  serverEndpoint?: string | undefined;
  /** --refuse-cdp-url: clients may not name an endpoint of their own. */
  refuseClientUrl?: boolean | undefined;
  connectTimeoutMs?: number;
}

/** Sessions on browsers someone else runs, reached by cdp_url or --cdp-endpoint: one CDP connection per session. */
export class RemoteDriver implements Driver {
  readonly #options: RemoteDriverOptions;
  readonly #live = new LiveSessions<DriverSession>();

  constructor(options: RemoteDriverOptions) {
    this.#options = options;
  }

  /** Whether this driver takes the request (a cdp_url in it, or a server-wide endpoint). */
  takes(open: OpenRequest): boolean {
    return Boolean(open.request.cdp_url) || this.#options.serverEndpoint !== undefined;
  }

  async open(open: OpenRequest, hooks: OpenHooks): Promise<DriverSession> {
    const { request } = open;
    const fromClient = request.cdp_url ?? undefined;
    if (fromClient && this.#options.refuseClientUrl === true) {
      throw new BsmError('E_NOT_SUPPORTED', 'cdp_url: this server does not attach to client-named browsers (--refuse-cdp-url).', `Leave cdp_url out and call ${TOOL.start} again.`);
    }
    const field = fromClient ? 'cdp_url' : '--cdp-endpoint';
    const endpoint = parseCdpEndpoint(fromClient ?? this.#options.serverEndpoint ?? '', field);
    // A client-named address is a request the server makes on its behalf: under --block-private-networks it may not reach inside.
    if (fromClient && this.#options.page.blockPrivateNetworks === true && (await resolvesPrivate(endpoint.url.hostname))) {
      throw new BsmError('E_URL_REFUSED', `cdp_url: ${endpoint.url.hostname} is a loopback or private address, and this server blocks private networks (--block-private-networks).`, `Give a browser on a public address, or leave cdp_url out and call ${TOOL.start} again.`);
    }
    if ((request.chrome_args ?? []).length > 0) {
      throw new BsmError('E_NOT_SUPPORTED', 'chrome_args: a browser that is already running cannot take new switches.', `Leave chrome_args out (or cdp_url) and call ${TOOL.start} again.`);
    }
    const headers = withBasicAuth(endpoint.url, request.cdp_headers ?? {});
    const timeoutMs = this.#options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    const wsUrl = await resolveWebSocket(endpoint, headers, timeoutMs);
    const browser = await connectCdp(endpoint, wsUrl, headers, timeoutMs);
    // The client's own endpoint comes back (masked); the server-wide one is never handed out: it holds every session.
    return this.#live.track((forget) =>
      openAttached({
        browser, open, hooks, options: this.#options.page, cdpUrl: fromClient ? endpoint.masked : null,
        lostReason: `The remote browser at ${endpoint.masked} went away (connection closed).`,
        afterClose: async () => forget(),
      }),
    );
  }

  async releaseIdle(): Promise<void> {
    // Nothing lingers: each session's connection closes with it.
  }

  async shutdown(): Promise<void> {
    await this.#live.closeAll();
  }
}
