import { fmt, median, table, timed } from './lib.js';
import { OurServer } from './ours.js';
import { hugeHtml } from './pages/index.js';
import { BENCH_PAGES } from './pages/index.js';
import { servePages } from './pageBench.js';
import { readTokens, tokens } from './tokens.js';

export interface ScrapePageFigures {
  page: string;
  scrapeMs: number;
  markdownTokens: number;
  /** Markdown tokens with use_link_placeholders (URLs moved to a table at the end). */
  placeholderTokens: number;
  /** The whole tool response as the model reads it (larger channel). */
  responseTokens: number;
  htmlTokens: number;
  innerTextTokens: number;
  /** Headings and table cells of the page found in the markdown, of all of them. */
  kept: number;
  total: number;
  missing: string[];
}

export interface ScrapeFigures {
  rounds: number;
  pages: ScrapePageFigures[];
  huge: { htmlBytes: number; firstChunkMs: number; firstChunkTokens: number; hasCursor: boolean; nextChunkMs: number; fullMs: number; fullTokens: number };
}

// Whole bench pages fit in one answer at this budget, so fidelity sees all the markdown.
const WHOLE = 200_000;

// Runs in the page: the texts a faithful markdown must keep.
const LANDMARK_TEXTS = `JSON.stringify([...document.querySelectorAll('h1,h2,h3,h4,h5,h6,td,th')].map((el) => el.innerText.replace(/\\s+/g, ' ').trim()).filter((text) => text !== ''))`;

function normalize(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // [text](url) and ![alt](url) read as their text
    .replace(/\[([^\]]*)\]\[\d+\]/g, '$1') // link placeholders [text][1]
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1') // turndown's escapes (session\_id)
    .replace(/\s+/g, ' ');
}

async function evaluate(ours: OurServer, code: string): Promise<string> {
  const result = await ours.call('step', { type: 'evaluate_js', code });
  const data = result.structuredContent?.['data'];
  const markdown = typeof data === 'object' && data !== null && 'markdown' in data ? data.markdown : undefined;
  if (result.isError === true || typeof markdown !== 'string') throw new Error(`evaluate_js failed: ${JSON.stringify(result.content)}`);
  return markdown;
}

function markdownOf(structured: Record<string, unknown> | undefined): string {
  const markdown = structured?.['markdown'];
  return typeof markdown === 'string' ? markdown : '';
}

/** Our scrape on every bench page (latency, tokens against raw HTML and innerText, fidelity), then on ~1 MB of HTML. */
export async function benchScrape(rounds = 5): Promise<ScrapeFigures> {
  const { server, urls } = await servePages();
  const ours = await OurServer.start(`bench-scrape-${process.pid}`);
  try {
    const pages: ScrapePageFigures[] = [];
    for (const page of BENCH_PAGES) {
      const url = urls.get(page);
      if (url === undefined) throw new Error(`page ${page.name} is not served`);
      await ours.call('scrape', { url, max_tokens: 300 });
      const times: number[] = [];
      let markdown = '';
      let responseTokens = 0;
      for (let i = 0; i < rounds; i += 1) {
        const { ms, value } = await timed(() => ours.call('scrape', { max_tokens: WHOLE }));
        times.push(ms);
        markdown = markdownOf(value.structuredContent);
        responseTokens = readTokens(value);
      }
      const placeholders = await ours.call('scrape', { max_tokens: WHOLE, use_link_placeholders: true });
      const innerText = await evaluate(ours, 'document.body.innerText');
      const landmarks = JSON.parse(await evaluate(ours, LANDMARK_TEXTS)) as string[]; // our own JSON.stringify of a string array
      const flat = normalize(markdown);
      const missing = [...new Set(landmarks.filter((text) => !flat.includes(text)))];
      pages.push({
        page: page.name,
        scrapeMs: median(times),
        markdownTokens: tokens(markdown),
        placeholderTokens: tokens(markdownOf(placeholders.structuredContent)),
        responseTokens,
        htmlTokens: tokens(page.html()),
        innerTextTokens: tokens(innerText),
        kept: landmarks.filter((text) => flat.includes(text)).length,
        total: landmarks.length,
        missing,
      });
    }

    const html = hugeHtml();
    const hugeUrl = server.setContent('/huge', html);
    await ours.call('scrape', { url: hugeUrl, max_tokens: 300 });
    const firstChunk: number[] = [];
    let first = await ours.call('scrape', {});
    for (let i = 0; i < Math.min(rounds, 3); i += 1) {
      const { ms, value } = await timed(() => ours.call('scrape', {}));
      firstChunk.push(ms);
      first = value;
    }
    const cursor = first.structuredContent?.['next_cursor'];
    const next = typeof cursor === 'string' ? await timed(() => ours.call('scrape', { cursor })) : undefined;
    const full = await timed(() => ours.call('scrape', { max_tokens: WHOLE }));
    return {
      rounds,
      pages,
      huge: {
        htmlBytes: Buffer.byteLength(html),
        firstChunkMs: median(firstChunk),
        firstChunkTokens: tokens(markdownOf(first.structuredContent)),
        hasCursor: typeof cursor === 'string',
        nextChunkMs: next?.ms ?? Number.NaN,
        fullMs: full.ms,
        fullTokens: tokens(markdownOf(full.value.structuredContent)),
      },
    };
  } finally {
    await ours.close();
    await server.close();
  }
}

export function scrapeTable(figures: ScrapeFigures): string {
  const rows = figures.pages.map((page) => [
    page.page,
    fmt(page.scrapeMs),
    String(page.markdownTokens),
    String(page.placeholderTokens),
    String(page.responseTokens),
    String(page.htmlTokens),
    String(page.innerTextTokens),
    fmt(page.markdownTokens / page.htmlTokens, 2),
    `${fmt((100 * page.kept) / Math.max(1, page.total))}% (${page.kept}/${page.total})`,
    page.missing.slice(0, 3).map((text) => JSON.stringify(text.slice(0, 40))).join(', ') || '—',
  ]);
  const { huge } = figures;
  return `${table(['page', 'scrape ms', 'markdown tokens', 'with link placeholders', 'response tokens', 'raw HTML tokens', 'innerText tokens', 'md/HTML', 'headings+cells kept', 'missing (first 3)'], rows)}

${table(
  ['~1 MB page', 'value'],
  [
    ['HTML size', `${fmt(huge.htmlBytes / 1024)} KiB`],
    [`scrape, default max_tokens (median of ${Math.min(figures.rounds, 3)})`, `${fmt(huge.firstChunkMs)} ms, ${huge.firstChunkTokens} tokens, next_cursor: ${huge.hasCursor ? 'yes' : 'no'}`],
    ['next chunk through next_cursor (once)', `${fmt(huge.nextChunkMs)} ms`],
    [`scrape, max_tokens ${WHOLE} (once)`, `${fmt(huge.fullMs)} ms, ${huge.fullTokens} tokens`],
  ],
)}`;
}
