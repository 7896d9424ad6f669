import type { Page } from 'playwright-core';
import { loadingStateInPage } from './injected/probesInPage.js';

/**
 * Whether the page the walk just read may not be all there yet: its document is still loading, or it hides its
 * body until its scripts run (a common anti-flash pattern). An observation then says so, so the agent observes
 * again instead of concluding the page is empty. Undefined when the page looks settled or does not answer.
 */
export async function loadingNote(page: Page): Promise<string | undefined> {
  const state = await page
    .evaluate(loadingStateInPage)
    .catch(() => undefined); // a navigation replaced the document: the next observe reads the new one
  if (state === undefined) return undefined;
  if (state.hidden) return `The page hides its content (body hidden${state.ready === 'complete' ? '' : `, document ${state.ready}`}), likely until its scripts load`;
  if (state.ready !== 'complete') return `The page is still loading (document ${state.ready})`;
  return undefined;
}
