import type { Page, Response } from 'playwright-core';
import { DEFAULT_ACTION_TIMEOUT_MS } from '../../notte/actions.js';
import type { ActionOf } from '../../notte/actions.js';
import { checkUrl } from '../urlPolicy.js';
import { errorText, isTimeout } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { TOOL } from '../../notte/toolNames.js';

// Browser actions carry no timeout; a navigation gets the spec's per-action default.
const NAVIGATION_TIMEOUT_MS = DEFAULT_ACTION_TIMEOUT_MS;

export async function goto(ctx: ActionContext, action: ActionOf<'goto'>): Promise<ActionOutcome> {
  const verdict = checkUrl(action.url, ctx.host.allowLocalUrls, ctx.host.blockPrivateNetworks);
  if (!verdict.ok) return failed(verdict.reason);
  return open(ctx.host.page(), verdict.url);
}

export async function gotoNewTab(ctx: ActionContext, action: ActionOf<'goto_new_tab'>): Promise<ActionOutcome> {
  const verdict = checkUrl(action.url, ctx.host.allowLocalUrls, ctx.host.blockPrivateNetworks);
  if (!verdict.ok) return failed(verdict.reason);
  const page = await ctx.host.context.newPage();
  ctx.host.setActive(page);
  const outcome = await open(page, verdict.url);
  const index = ctx.host.tabs().indexOf(page);
  return { ...outcome, message: `Opened tab ${index} (now active). ${outcome.message}` };
}

async function open(page: Page, url: string): Promise<ActionOutcome> {
  try {
    const response = await page.goto(url, { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS });
    return ok(`Navigated to ${page.url()}${status(response)}.`);
  } catch (error) {
    if (isTimeout(error)) {
      return failed(`${url} did not finish loading within ${NAVIGATION_TIMEOUT_MS}ms. Call ${TOOL.observe} to see what did load, or try again.`, errorText(error));
    }
    return failed(`Could not open ${url}: ${errorText(error)}. Check the URL, or go_back.`, errorText(error));
  }
}

function status(response: Response | null): string {
  if (response === null) return '';
  const code = response.status();
  return code >= 400 ? ` (HTTP ${code} ${response.statusText()})` : '';
}

export async function switchTab(ctx: ActionContext, action: ActionOf<'switch_tab'>): Promise<ActionOutcome> {
  const tabs = ctx.host.tabs();
  const index = action.tab_index === -1 ? tabs.length - 1 : action.tab_index;
  const page = tabs[index];
  if (page === undefined) {
    return failed(`There is no tab ${action.tab_index}; open tabs are 0..${tabs.length - 1}. Use an index from metadata.tabs.`);
  }
  ctx.host.setActive(page);
  // Headed browsers throttle background tabs; the agent's tab must run at full speed.
  await page.bringToFront().catch(() => undefined);
  return ok(`Switched to tab ${index}: ${page.url()}.`);
}

export async function closeTab(ctx: ActionContext): Promise<ActionOutcome> {
  const tabs = ctx.host.tabs();
  if (tabs.length <= 1) return failed('This is the last open tab, so it stays open. Use goto to leave the page.');
  const page = ctx.host.page();
  const index = tabs.indexOf(page);
  // runBeforeUnload would show a dialog the agent cannot see; the tab closes as asked.
  await page.close({ runBeforeUnload: false });
  const now = ctx.host.page();
  return ok(`Closed tab ${index}. Active tab is now ${ctx.host.tabs().indexOf(now)}: ${now.url()}.`);
}

export async function history(ctx: ActionContext, direction: 'back' | 'forward'): Promise<ActionOutcome> {
  const page = ctx.host.page();
  const before = page.url();
  try {
    const options = { waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS } as const;
    const response = direction === 'back' ? await page.goBack(options) : await page.goForward(options);
    // null also means a same-document history entry (hash, pushState): only an unchanged URL is a failure.
    if (response === null && page.url() === before) {
      return failed(`There is no ${direction === 'back' ? 'previous' : 'next'} page in this tab's history. Use goto instead.`);
    }
    return ok(`Went ${direction} to ${page.url()}${status(response)}.`);
  } catch (error) {
    return failed(`Going ${direction} failed: ${errorText(error)}. Call ${TOOL.observe} to see where the tab is.`, errorText(error));
  }
}

export async function reload(ctx: ActionContext): Promise<ActionOutcome> {
  const page = ctx.host.page();
  try {
    const response = await page.reload({ waitUntil: 'domcontentloaded', timeout: NAVIGATION_TIMEOUT_MS });
    return ok(`Reloaded ${page.url()}${status(response)}.`);
  } catch (error) {
    return failed(`Reload failed: ${errorText(error)}. Call ${TOOL.observe} to see the page.`, errorText(error));
  }
}
