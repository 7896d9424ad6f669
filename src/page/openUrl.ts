import { BsmError, errorText, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { PageHost } from './host.js';
import { checkUrl } from './urlPolicy.js';

const NAVIGATION_TIMEOUT_MS = 30_000;

/**
 * Opens `url` in the active tab before a read (observe's or scrape's `url`). Waits for `load` a little, since late
 * scripts often draw the content, but a slow ad must not hold the read. Throws an error that says what to do next.
 */
export async function openForReading(host: PageHost, url: string, tool: 'observe' | 'scrape', loadWaitMs: number): Promise<void> {
  const verdict = checkUrl(url, host.allowLocalUrls, host.blockPrivateNetworks);
  if (!verdict.ok) throw new BsmError('E_URL_REFUSED', verdict.reason, `Pass an http(s) URL to ${tool}, or open the page with a goto ${TOOL.step}.`);
  const page = host.page();
  try {
    await page.goto(verdict.url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS });
  } catch (error: unknown) {
    throw new BsmError('E_NAVIGATION_FAILED', `Could not open ${excerpt(verdict.url)}: ${excerpt(errorText(error), 200)}.`, `Check the URL, or call ${tool} without url to read the current page.`, { cause: error });
  }
  await page.waitForLoadState('load', { timeout: loadWaitMs }).catch(() => undefined);
}
