import { articlePage } from './article.js';
import { docsPage } from './docs.js';
import { loginPage } from './login.js';
import { settingsPage } from './settings.js';
import { shopPage } from './shop.js';
import { tablePage } from './table.js';
import type { BenchPage } from './types.js';

export type { BenchAction, BenchPage, BenchTask } from './types.js';

export const BENCH_PAGES: readonly BenchPage[] = [loginPage, shopPage, articlePage, tablePage, settingsPage, docsPage];

/** About 1 MB of HTML: a long catalogue page, for scrape throughput only. */
export function hugeHtml(): string {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < 1_000_000; i += 1) {
    const block: string[] = [];
    for (let j = 0; j < 50; j += 1) {
      const n = i * 50 + j;
      block.push(`<section><h3>Item ${n}</h3><p>Item ${n} is a sturdy, well reviewed product with a long description that goes on for a while to fill space.</p><table><tr><th>SKU</th><td>S-${n}</td><th>Price</th><td>$${(n % 97) + 0.99}</td></tr></table><a href="/i${n}">Details</a></section>`);
    }
    const html = block.join('');
    size += html.length;
    rows.push(html);
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>Big catalogue</title></head><body><h1>Big catalogue</h1>${rows.join('\n')}</body></html>`;
}
