import type { Config } from '../config.js';
import { parseCdpEndpoint } from './cdpEndpoint.js';
import type { Driver } from './driver.js';
import { ExposedDriver } from './exposed.js';
import { GridDriver } from './grid.js';
import type { PageOptions } from './playwright.js';
import { RemoteDriver } from './remote.js';
import { RouterDriver } from './router.js';

/**
 * Which backend runs a session: a client's cdp_url, then expose_cdp (a browser of its own), then the server-wide
 * --cdp-endpoint, then the Selenium Grid, and otherwise `local`. Throws at start-up on a malformed endpoint.
 */
export function routeBackends(config: Config, local: Driver, page: PageOptions): Driver {
  if (config.cdpEndpoint !== undefined) parseCdpEndpoint(config.cdpEndpoint, '--cdp-endpoint');
  const client = new RemoteDriver({ page, refuseClientUrl: config.refuseCdpUrl });
  const exposed = new ExposedDriver({ page, executablePath: config.executablePath, browserArgs: config.browserArgs, allowChromeArgs: config.allowChromeArgs, always: config.exposeCdp });
  const routed = [client, exposed];
  let fallback = local;
  if (config.cdpEndpoint !== undefined) fallback = new RemoteDriver({ page, serverEndpoint: config.cdpEndpoint });
  else if (config.seleniumGrid !== undefined) fallback = new GridDriver({ page, gridUrl: config.seleniumGrid, binary: config.executablePath, browserArgs: config.browserArgs, allowChromeArgs: config.allowChromeArgs });
  return new RouterDriver(routed, fallback);
}
