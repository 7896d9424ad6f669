import type { ElementHandle, Page } from 'playwright-core';
import { BsmError, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { ScrapeInput } from '../notte/scrape.js';
import type { DataSpace, ImageData, ScrapeInputArgs, StructuredData } from '../notte/scrape.js';
import { isContextGone } from './actions/errors.js';
import type { PageHost } from './host.js';
import type { InPageArgs, InPageResult } from './injected/scrapeTypes.js';
import { runScrapeInPage } from './inPageScrape.js';
import { cursorMatches, windowMarkdown } from './markdownWindow.js';
import type { MarkdownWindow } from './markdownWindow.js';
import { applyLinkPlaceholders } from './placeholders.js';
import { openForReading } from './openUrl.js';
import { extractStructured } from './structured/extract.js';
import type { SampleFn } from './structured/sampled.js';

export type { SampleFn } from './structured/sampled.js';
/** What callers pass: every field optional, Notte endpoint defaults applied inside (step passes only_main_content). */
export type ScrapeParams = ScrapeInputArgs;

export interface ScrapeDeps {
  /** The client's model through MCP sampling, wired by the tool layer; absent when the client offers none. */
  sample?: SampleFn;
}

export interface ScrapeResult {
  data: DataSpace;
  /** What the model reads: a one-line header, the markdown window, and how to continue. */
  text: string;
  nextCursor?: string;
}

/** The last scrape of each tab that was cut into parts; gone with the tab (WeakMap) or once its last part is read. */
const lastScrape = new WeakMap<Page, { key: string; result: InPageResult }>();

// Late content (images, client-rendered text) mostly lands by `load`; a page that never gets there is scraped as is.
const LOAD_WAIT_MS = 5_000;
// Long enough for an element still rendering, short enough that a wrong selector fails fast.
const SELECTOR_TIMEOUT_MS = 3_000;

async function resolveSelector(page: Page, selector: string): Promise<ElementHandle<Element>> {
  try {
    return await page.locator(selector).first().elementHandle({ timeout: SELECTOR_TIMEOUT_MS });
  } catch (error: unknown) {
    throw new BsmError(
      'E_SELECTOR_NOT_FOUND',
      `No element matches selector ${JSON.stringify(excerpt(selector))} on ${excerpt(page.url())} (waited ${SELECTOR_TIMEOUT_MS}ms).`,
      `Check the selector with ${TOOL.observe}, or call ${TOOL.scrape} without selector.`,
      { cause: error },
    );
  }
}

async function runWithRetry(page: Page, selector: string | null, args: InPageArgs): Promise<InPageResult> {
  for (let attempt = 1; ; attempt++) {
    const element = selector === null ? null : await resolveSelector(page, selector);
    try {
      return await runScrapeInPage(page, element, args);
    } catch (error: unknown) {
      // A navigation between resolving and evaluating destroys the context; the new document scrapes fine.
      if (!isContextGone(error) || attempt >= 2 || page.isClosed()) throw error;
    } finally {
      await element?.dispose().catch(() => undefined);
    }
  }
}

/** Shared with the Notte driver (as are the two below), so a scrape reads the same whichever backend ran it. */
export function headerLine(result: Pick<InPageResult, 'url' | 'title'>, window: MarkdownWindow | undefined, input: ScrapeInput): string {
  const title = result.title === '' ? '' : ` "${result.title}"`;
  const scope = [input.selector ? `selector ${input.selector}` : '', input.only_main_content ? 'main content' : ''].filter((s) => s !== '').join(', ');
  const part = window === undefined || (window.start === 0 && window.nextCursor === undefined)
    ? ''
    : `, characters ${window.start}–${window.end} of ${window.total}`;
  return `Scraped ${result.url}${title}${scope === '' ? '' : ` (${scope})`}${part}`;
}

export function structuredLines(structured: StructuredData): string[] {
  if (!structured.success) return [`Structured data: failed. ${structured.error ?? ''}`];
  return ['Structured data:', '```json', JSON.stringify(structured.data, null, 1), '```'];
}

export function imageLine(image: ImageData): string {
  return `- ${image.category ?? 'image'}: ${image.url ?? '(inline)'}${image.description === undefined ? '' : ` — ${image.description}`}`;
}

/**
 * Scrapes the active tab: markdown (whole page, a selector's element, or the main content), the images, or
 * structured data for a JSON Schema. Markdown longer than max_tokens comes in parts chained by a cursor.
 */
export async function scrape(host: PageHost, params: ScrapeParams, deps: ScrapeDeps = {}): Promise<ScrapeResult> {
  const input = ScrapeInput.parse(params);
  const page = host.page();
  if (input.url !== undefined) await openForReading(host, input.url, 'scrape', LOAD_WAIT_MS);
  const schema = input.response_format ?? undefined;
  const instructions = input.instructions ?? undefined;
  const wantsStructured = !input.only_images && input.cursor === undefined && (schema !== undefined || (instructions ?? '') !== '');
  const args: InPageArgs = {
    scrapeLinks: input.scrape_links,
    scrapeImages: input.scrape_images,
    ignoredTags: input.ignored_tags ?? [],
    onlyMainContent: input.only_main_content,
    onlyImages: input.only_images,
    collectStructure: wantsStructured && schema !== undefined,
  };
  const key = JSON.stringify([input.selector ?? null, args]);
  const kept = input.cursor === undefined ? undefined : lastScrape.get(page);
  // A cursor continues the snapshot it was cut from: reuse it rather than scrape a big page again per part.
  const reuse = kept !== undefined && kept.key === key && kept.result.url === page.url() && cursorMatches(input.cursor, kept.result.markdown);
  const result = reuse ? kept.result : await runWithRetry(page, input.selector ?? null, args);

  if (input.only_images) {
    const images = result.images ?? [];
    const lines = [`${headerLine(result, undefined, input)}: ${images.length} images`, ...images.map(imageLine)];
    return { data: { markdown: '', images, structured: null }, text: lines.join('\n') };
  }

  const window = windowMarkdown(result.markdown, input.max_tokens, input.cursor);
  if (window.nextCursor !== undefined) lastScrape.set(page, { key, result });
  else lastScrape.delete(page);
  const markdown = input.use_link_placeholders ? applyLinkPlaceholders(window.text, result.urls, result.url) : window.text;
  let structured: StructuredData | null = null;
  if (wantsStructured) {
    const full = input.use_link_placeholders ? applyLinkPlaceholders(result.markdown, result.urls, result.url) : result.markdown;
    structured = await extractStructured({ markdown: full, url: result.url, schema, instructions, structure: result.structure, sample: deps.sample });
  }

  const data: DataSpace = { markdown, images: null, structured };
  const lines = [headerLine(result, window, input)];
  if (window.note !== undefined) lines.push(window.note);
  if (result.mainContentFound === false) lines.push('only_main_content: no article detected (or the page is too large for detection); showing the main landmark, without navigation, header, footer and sidebars.');
  if (structured !== null) lines.push(...structuredLines(structured));
  lines.push('', markdown === '' ? '(no visible text)' : markdown);
  if (window.nextCursor !== undefined) {
    data.next_cursor = window.nextCursor;
    lines.push('', `[More: ${window.total - window.end} characters left. Call scrape again with cursor="${window.nextCursor}" and the same arguments to read on.]`);
  }
  const out: ScrapeResult = { data, text: lines.join('\n') };
  if (window.nextCursor !== undefined) out.nextCursor = window.nextCursor;
  return out;
}
