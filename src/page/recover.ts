import type { Page } from 'playwright-core';
import { log } from '../log.js';
import type { PageHost } from './host.js';
import { documentReadyState } from './injected/probesInPage.js';

/** A live renderer answers a trivial script in milliseconds, even on a loaded machine. */
const PROBE_MS = 2_000;
/** Closing a tab does not need its renderer; the browser process does it. */
const CLOSE_MS = 5_000;

export type PageState = 'answers' | 'busy' | 'gone';

/** Whether the page's main frame runs a trivial script: `busy` when a script holds its thread (an endless loop). */
export async function probePage(page: Page, ms = PROBE_MS): Promise<PageState> {
  if (page.isClosed()) return 'gone';
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<PageState>((resolve) => {
    timer = setTimeout(() => resolve('busy'), ms);
  });
  try {
    return await Promise.race([page.evaluate(documentReadyState).then((): PageState => 'answers', (): PageState => (page.isClosed() ? 'gone' : 'busy')), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The document's readyState, or undefined when the page does not answer within a moment. */
export async function readyState(page: Page): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), PROBE_MS);
  });
  try {
    return await Promise.race([page.evaluate(documentReadyState).catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Replaces a stuck tab: a fresh blank tab takes its place as the active one, and the stuck one is closed without
 * its unload handlers (the browser tears its renderer down; nothing in the page can hold that up). Returns the
 * sentence the agent reads.
 */
export async function replaceTab(host: PageHost, stuck: Page, why: string): Promise<string> {
  const url = stuck.url();
  const fresh = await host.context.newPage();
  host.setActive(fresh);
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    stuck.close({ runBeforeUnload: false }).then(() => true, () => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CLOSE_MS);
    }),
  ]);
  clearTimeout(timer);
  log('warn', 'replaced a stuck tab', { why, closed });
  const index = host.tabs().indexOf(fresh);
  return `The stuck tab (${url}) was closed and a fresh blank tab ${index} is now active: goto a page to go on.`;
}
