import type { ElementHandle, Page } from 'playwright-core';
import { BsmError, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { InPageResult } from './injected/scrapeTypes.js';

// Long enough for an element still rendering, short enough that a wrong selector fails fast.
const SELECTOR_TIMEOUT_MS = 3_000;
// A selector like `.card` can match hundreds of elements; this many are read, and the answer says how many matched.
export const MAX_SCRAPED_MATCHES = 50;

export type Matches = [ElementHandle, ...ElementHandle[]];

/** Every element the selector matches, in document order (at most MAX_SCRAPED_MATCHES), and how many matched. */
export async function resolveMatches(page: Page, selector: string): Promise<{ elements: Matches; matched: number }> {
  const locator = page.locator(selector);
  let first: ElementHandle;
  try {
    // The first match is waited for, as an element still rendering would be; the others are taken as they are.
    first = await locator.first().elementHandle({ timeout: SELECTOR_TIMEOUT_MS });
  } catch (error: unknown) {
    throw new BsmError(
      'E_SELECTOR_NOT_FOUND',
      `No element matches selector ${JSON.stringify(excerpt(selector))} on ${excerpt(page.url())} (waited ${SELECTOR_TIMEOUT_MS}ms).`,
      `Check the selector with ${TOOL.observe}, or call ${TOOL.scrape} without selector.`,
      { cause: error },
    );
  }
  // All matches at once, as they are now (no per-match wait that a loaded machine could run out of).
  const all = await page.$$(selector);
  const [head, ...rest] = all;
  if (head === undefined) return { elements: [first], matched: 1 };
  await first.dispose();
  for (const extra of rest.slice(MAX_SCRAPED_MATCHES - 1)) await extra.dispose();
  const elements: Matches = [head, ...rest.slice(0, MAX_SCRAPED_MATCHES - 1)];
  const matched = all.length;
  return { elements, matched };
}

/** The scrapes of several matches as one: their markdown in document order, one blank line apart. */
export function mergeMatches(first: InPageResult, rest: readonly InPageResult[]): InPageResult {
  if (rest.length === 0) return first;
  const results = [first, ...rest];
  const markdown = results.map((r) => r.markdown.trim()).filter((m) => m !== '').join('\n\n');
  const merged: InPageResult = { ...first, markdown, urls: results.flatMap((r) => r.urls) };
  if (first.images !== undefined) merged.images = results.flatMap((r) => r.images ?? []);
  return merged;
}

/** How the header names the selector's scope: `selector .card: 3 matches, all in order`. */
export function matchesNote(selector: string, matched: number): string {
  if (matched <= 1) return `selector ${selector}`;
  if (matched <= MAX_SCRAPED_MATCHES) return `selector ${selector}: ${matched} matches, all in order`;
  return `selector ${selector}: the first ${MAX_SCRAPED_MATCHES} of ${matched} matches, in order`;
}
