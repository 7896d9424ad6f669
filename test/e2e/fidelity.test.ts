import { encode } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let server: StdioServer;

beforeAll(async () => {
  pages = await PageServer.start();
  server = await startStdio();
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
});

/** What the model reads of one answer: the larger channel, in o200k tokens (as bench/tokens.ts counts). */
function readTokens(text: string, structured: Record<string, unknown>): number {
  return Math.max(encode(text).length, encode(JSON.stringify(structured)).length);
}

async function open(path: string, html: string): Promise<string> {
  return startSession(server.client, { url: pages.setContent(path, html) });
}

describe('a step answer is small and still says what changed', () => {
  it('answers a plain click in at most 100 tokens on its larger channel, with the change in it', async () => {
    const cards = Array.from({ length: 30 }, (_, i) => `<div class="card col-md-4 product-card"><div class="card-body"><h2 class="card-title">Product ${i}</h2><button class="btn btn-primary add-to-cart" data-i="${i}">Add to cart</button></div></div>`).join('');
    const id = await open('/shop', `<h1>Shop</h1><main><section class="grid">${cards}</section></main><p id="status"></p>
      <script>document.addEventListener('click', (e) => { const b = e.target.closest('button'); if (b) { const n = document.createElement('p'); n.textContent = 'Added product ' + b.dataset.i; document.getElementById('status').append(n); } });</script>`);
    const seen = await call(server.client, 'observe', { session_id: id });
    const target = /\[(B\d+) Add to cart\]/g;
    const ids = [...seen.text.matchAll(target)].map((m) => m[1]);
    const last = ids.at(-1);
    expect(last, seen.text).toBeDefined();
    const clicked = await call(server.client, 'step', { session_id: id, type: 'click', id: last });
    expect(clicked.isError, clicked.text).toBe(false);
    expect(clicked.structured).toMatchObject({ success: true, action: { type: 'click', id: last, text_label: 'Add to cart' } });
    // What changed is kept: the URL and title, and the element that appeared.
    const changes = clicked.structured['changes'] as Record<string, unknown>; // the step output schema's changes
    expect(changes).toMatchObject({ url: pages.url('/shop'), title: '/shop', elements: { added: 1, appeared: ['<p> Added product 29'] } });
    // What says nothing is gone: timestamps, nulls, the long selector of an element named by id, one-tab counts.
    for (const dropped of ['started_at', 'ended_at', 'data', 'exception']) expect(clicked.structured).not.toHaveProperty(dropped);
    expect(clicked.structured['action']).not.toHaveProperty('selector');
    expect(changes).not.toHaveProperty('tab_count');
    const size = readTokens(clicked.text, clicked.structured);
    expect(size, JSON.stringify(clicked.structured)).toBeLessThanOrEqual(100);
  });

  it('keeps the resolved selector when the action named its element by selector', async () => {
    const id = await open('/sel', '<button id="go">Go</button>');
    const clicked = await call(server.client, 'step', { session_id: id, type: 'click', selector: 'css=#go' });
    expect(clicked.structured).toMatchObject({ success: true, action: { selector: { css_selector: '#go' } } });
  });
});
