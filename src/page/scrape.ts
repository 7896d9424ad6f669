import type { Page } from 'playwright-core';
import { ScrapeInput } from '../notte/scrape.js';
import type { DataSpace, ImageData, ScrapeInputArgs, StructuredData } from '../notte/scrape.js';
import { isContextGone } from './actions/errors.js';
import type { PageHost } from './host.js';
import type { InPageArgs, InPageResult } from './injected/scrapeTypes.js';
import { runScrapeInPage } from './inPageScrape.js';
import { cursorMatches, windowMarkdown } from './markdownWindow.js';
import type { MarkdownWindow } from './markdownWindow.js';
import { applyLinkPlaceholders } from './placeholders.js';
import { matchesNote, mergeMatches, resolveMatches } from './scrapeMatches.js';
import { openForReading } from './openUrl.js';
import { extractStructured } from './structured/extract.js';
import type { SampleFn } from './structured/sampled.js';
import { TOOL } from '../notte/toolNames.js';

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

/** The last scrape of a tab that was cut into parts (host.state.scrapes); dropped once its last part is read. */
export interface KeptScrape {
  key: string;
  result: InPageResult;
  matched: number;
}

// Late content (images, client-rendered text) mostly lands by `load`; a page that never gets there is scraped as is.
const LOAD_WAIT_MS = 5_000;
/** One in-page scrape per match (or of the page), with one retry when a navigation destroyed the context. */
async function runWithRetry(page: Page, selector: string | null, args: InPageArgs): Promise<{ result: InPageResult; matched: number }> {
  for (let attempt = 1; ; attempt++) {
    const { elements, matched } = selector === null ? { elements: [null] as const, matched: 1 } : await resolveMatches(page, selector);
    try {
      const [first, ...rest] = elements;
      const head = await runScrapeInPage(page, first, args);
      const others: InPageResult[] = [];
      for (const element of rest) others.push(await runScrapeInPage(page, element, args));
      return { result: mergeMatches(head, others), matched };
    } catch (error: unknown) {
      // A navigation between resolving and evaluating destroys the context; the new document scrapes fine.
      if (!isContextGone(error) || attempt >= 2 || page.isClosed()) throw error;
    } finally {
      await Promise.all(elements.map((element) => element?.dispose().catch(() => undefined)));
    }
  }
}

/** Shared with the Notte driver (as are the two below), so a scrape reads the same whichever backend ran it. */
export function headerLine(result: Pick<InPageResult, 'url' | 'title'>, window: MarkdownWindow | undefined, input: ScrapeInput, matched = 1): string {
  const title = result.title === '' ? '' : ` "${result.title}"`;
  const scope = [input.selector ? matchesNote(input.selector, matched) : '', input.only_main_content ? 'main content' : ''].filter((s) => s !== '').join(', ');
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
  const kept = input.cursor === undefined ? undefined : host.state.scrapes.get(page);
  // A cursor continues the snapshot it was cut from: reuse it rather than scrape a big page again per part.
  const reuse = kept !== undefined && kept.key === key && kept.result.url === page.url() && cursorMatches(input.cursor, kept.result.markdown);
  const { result, matched } = reuse ? kept : await runWithRetry(page, input.selector ?? null, args);

  if (input.only_images) {
    const images = result.images ?? [];
    const lines = [`${headerLine(result, undefined, input, matched)}: ${images.length} images`, ...images.map(imageLine)];
    return { data: { markdown: '', images, structured: null }, text: lines.join('\n') };
  }

  const window = windowMarkdown(result.markdown, input.max_tokens, input.cursor);
  if (window.nextCursor !== undefined) host.state.scrapes.set(page, { key, result, matched });
  else host.state.scrapes.delete(page);
  const markdown = input.use_link_placeholders ? applyLinkPlaceholders(window.text, result.urls, result.url) : window.text;
  let structured: StructuredData | null = null;
  if (wantsStructured) {
    const full = input.use_link_placeholders ? applyLinkPlaceholders(result.markdown, result.urls, result.url) : result.markdown;
    structured = await extractStructured({ markdown: full, url: result.url, schema, instructions, structure: result.structure, sample: deps.sample });
  }

  const data: DataSpace = { markdown, images: null, structured };
  const lines = [headerLine(result, window, input, matched)];
  if (window.note !== undefined) lines.push(window.note);
  if (result.mainContentFound === false) lines.push('only_main_content: no article detected (or the page is too large for detection); showing the main landmark, without navigation, header, footer and sidebars.');
  if (structured !== null) lines.push(...structuredLines(structured));
  lines.push('', markdown === '' ? '(no visible text)' : markdown);
  if (window.nextCursor !== undefined) {
    data.next_cursor = window.nextCursor;
    lines.push('', `[More: ${window.total - window.end} characters left. Call ${TOOL.scrape} again with cursor="${window.nextCursor}" and the same arguments to read on.]`);
  }
  const out: ScrapeResult = { data, text: lines.join('\n') };
  if (window.nextCursor !== undefined) out.nextCursor = window.nextCursor;
  return out;
}
