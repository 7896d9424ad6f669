import type { Request, Response } from 'playwright-core';
import { BsmError } from '../errors.js';
import { installPageHandlers } from './dialogs.js';
import type { PageHost } from './host.js';
import { probePage, readyState, replaceTab } from './recover.js';
import { TOOL } from '../notte/toolNames.js';

/** Per-tool wall-clock limits of one call (--observe-timeout, --step-timeout, --scrape-timeout). */
export interface CallLimits {
  observeMs: number;
  stepMs: number;
  scrapeMs: number;
}

export const DEFAULT_CALL_LIMITS: CallLimits = { observeMs: 45_000, stepMs: 90_000, scrapeMs: 90_000 };

// More dialogs than this during one call is a page that opens them in a loop, not a page asking once.
const DIALOG_LOOP = 5;

/**
 * Runs one tool call on the page, for at most `ms`. A call past its limit fails with E_PAGE_UNRESPONSIVE and says
 * what the page is doing (a busy script, a dialog loop, a server that does not answer); a tab that no longer
 * answers is replaced, so the session's next call works. The late call is left to fail on the closed tab.
 */
export async function bounded<T>(host: PageHost, tool: string, ms: number, op: () => Promise<T>): Promise<T> {
  const events = installPageHandlers(host);
  const mark = events.mark();
  // Documents asked for during the call and not answered yet: a server that never responds shows here.
  const pending = new Set<Request>();
  const onRequest = (request: Request): void => {
    if (request.isNavigationRequest() && request.resourceType() === 'document') pending.add(request);
  };
  const onDone = (request: Request): void => {
    pending.delete(request);
  };
  host.context.on('request', onRequest);
  const onResponse = (response: Response): void => onDone(response.request());
  host.context.on('response', onResponse);
  host.context.on('requestfailed', onDone);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), ms);
  });
  const running = op();
  try {
    const first = await Promise.race([running, expired]);
    if (first !== 'expired') return first;
  } finally {
    clearTimeout(timer);
    host.context.off('request', onRequest);
    host.context.off('response', onResponse);
    host.context.off('requestfailed', onDone);
  }
  running.catch(() => undefined); // it ends on its own (usually failing on the replaced tab); nobody waits for it
  const dialogs = events.since(mark).dialogs.length;
  const waitingFor = [...pending].at(-1)?.url();
  throw await unresponsive(host, tool, ms, dialogs, waitingFor);
}

async function unresponsive(host: PageHost, tool: string, ms: number, dialogs: number, waitingFor: string | undefined): Promise<BsmError> {
  const limit = `${tool} did not finish within ${Math.round(ms / 1000)}s`;
  const hint = 'The operator sets these limits with --observe-timeout, --step-timeout and --scrape-timeout.';
  let page;
  try {
    page = host.page();
  } catch {
    return new BsmError('E_PAGE_UNRESPONSIVE', `${limit}, and the session has no open tab.`, `Open one with a goto_new_tab ${TOOL.step}. ${hint}`);
  }
  if (dialogs > DIALOG_LOOP) {
    const replaced = await replaceTab(host, page, 'dialog loop');
    return new BsmError('E_PAGE_UNRESPONSIVE', `${limit}: the page opens dialogs in a loop (${dialogs} alert/confirm/prompt dialogs, each answered). ${replaced}`, hint);
  }
  if (waitingFor !== undefined) {
    return new BsmError('E_PAGE_UNRESPONSIVE', `${limit}: the server of ${clip(waitingFor)} has not answered (no response yet).`, `Try again later or another page; ${TOOL.observe} shows the tab as it is. ${hint}`);
  }
  const state = await probePage(page);
  if (state === 'busy') {
    const replaced = await replaceTab(host, page, 'busy script');
    return new BsmError('E_PAGE_UNRESPONSIVE', `${limit}: a script on the page keeps its thread busy (an endless loop?), so the page answers nothing. ${replaced}`, hint);
  }
  if (state === 'gone') {
    return new BsmError('E_PAGE_UNRESPONSIVE', `${limit}, and its tab closed meanwhile.`, `Call ${TOOL.observe} to see the open tabs. ${hint}`);
  }
  const ready = await readyState(page);
  if (ready === 'loading') {
    return new BsmError('E_PAGE_UNRESPONSIVE', `${limit}: ${clip(page.url())} is still loading (its server has not sent the whole page).`, `Call ${TOOL.observe} to read what did load, or goto another page. ${hint}`);
  }
  return new BsmError('E_PAGE_UNRESPONSIVE', `${limit}; the page itself answers.`, `Call it again, or with less to do (a smaller max_tokens, a selector). ${hint}`);
}

function clip(url: string): string {
  return url.length > 120 ? `${url.slice(0, 120)}…` : url;
}
