import { encode } from 'gpt-tokenizer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let server: StdioServer;

beforeAll(async () => {
  pages = await PageServer.start();
  server = await startStdio();
});

// A conversation may hold 5 sessions: each test's go when it ends.
const started: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((session_id) => call(server.client, 'session_stop', { session_id })));
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

async function open(path: string, html?: string): Promise<string> {
  const id = await startSession(server.client, html === undefined ? {} : { url: pages.setContent(path, html) });
  started.push(id);
  return id;
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

interface ListedAction { id: string; label?: string }

function listed(structured: Record<string, unknown>): ListedAction[] {
  const space = structured['space'] as { interaction_actions: ListedAction[] }; // shape enforced by the observe output schema
  return space.interaction_actions;
}

describe('the cheap path to one element on a long page', () => {
  const sections = Array.from({ length: 60 }, (_, i) =>
    `<h2>Section ${i}</h2>${Array.from({ length: 4 }, (__, j) => `<p>Paragraph ${j} of section ${i} talks at length about configuration, deployment and the many options a service has.</p>`).join('')}`,
  ).join('');
  const html = `<h1>Handbook</h1>${sections}<h2>Limits and quotas</h2><p>See also: <a href="/rate-limits">Rate limits</a> and <a href="/quotas">Quotas</a>.</p>`;

  it('says in the first window how to find one thing, and observe with instructions puts the match first, with its line', async () => {
    const id = await open('/long', html);
    const first = await call(server.client, 'observe', { session_id: id });
    expect(first.structured['next_cursor'], 'the page must be longer than one window').toBeDefined();
    expect(first.text).not.toContain('Rate limits');
    expect(first.text).toMatch(/observe with instructions="what you look for" \(matches first\)/);

    const found = await call(server.client, 'observe', { session_id: id, instructions: 'Rate limits link' });
    expect(found.isError, found.text).toBe(false);
    const [best] = listed(found.structured);
    expect(best?.label).toBe('Rate limits');
    // Its line and section come with the ids, before the page's first window.
    const bestLine = found.text.split('\n').findIndex((line) => line.startsWith(`Best matches for "Rate limits link": ${best?.id ?? '?'}`));
    expect(bestLine, found.text).toBeGreaterThanOrEqual(0);
    const context = found.text.split('\n').slice(bestLine + 1, bestLine + 4).join('\n');
    expect(context).toContain(`## Limits and quotas › See also: [${best?.id ?? '?'} Rate limits]`);
    const description = (found.structured['space'] as { description: string }).description; // as above
    expect(description).toContain('## Limits and quotas › See also:');
    // The page around the matches is context, not the read: the answer costs a fraction of the first window.
    expect(readTokens(found.text, found.structured)).toBeLessThan(readTokens(first.text, first.structured) / 2);
  });
});

describe('reading fidelity', () => {
  it('renders a table row as one line whatever its cells hold', async () => {
    const id = await open('/table', `<h1>Boolean operations</h1>
      <table><thead><tr><th>Operation</th><th>Result</th><th>Notes</th></tr></thead><tbody>
      <tr><td><p><code>x or y</code></p></td><td><p>if <em>x</em> is false, then <em>y</em>, else <em>x</em></p></td><td><ol><li>(1)</li></ol></td></tr>
      <tr><td><p><code>x and y</code></p></td><td><p>if x is false, then x, else y</p><p>Only evaluates y when needed.</p></td><td><pre>x and y\nshort circuit</pre></td></tr>
      </tbody></table>`);
    const seen = await call(server.client, 'observe', { session_id: id });
    const lines = seen.text.split('\n');
    expect(lines).toContain('Operation | Result | Notes');
    expect(lines.find((line) => line.includes('x or y')), seen.text).toMatch(/^x or y \| if x is false, then y, else x \| \(1\)$/);
    expect(lines.find((line) => line.includes('x and y')), seen.text).toMatch(/^x and y \| if x is false, then x, else y Only evaluates y when needed\. \| x and y short circuit$/);
  });

  it('names an element by its visible text first, then aria-label', async () => {
    const id = await open('/labels', `<p>Truth values<a role="doc-noteref" href="#fn1">[1]</a> are described below.</p>
      <a href="/home" aria-label="Go to the home page">Home</a>
      <button aria-label="Close dialog">×</button>
      <p id="fn1">1. A footnote.</p>`);
    const seen = await call(server.client, 'observe', { session_id: id });
    const labels = listed(seen.structured).map((action) => action.label);
    expect(labels).toEqual(['[1]', 'Home', 'Close dialog']);
    // The text channel keeps brackets for ids: the page's own [1] reads (1) there.
    expect(seen.text).toContain('[M1 doc-noteref (1)]');
  });

  it('then aria-label before title, and title before class-derived names, which come last', async () => {
    const id = await open('/label-order', `<h1>Toolbar</h1>
      <button aria-label="Close dialog" title="Dismiss" class="btn-close">×</button>
      <button title="Search the site" class="search-icon">⌕</button>
      <button class="btn btn-primary icon-trash"></button>
      <button class="btn"><i class="fa fa-solid fa-gear"></i></button>
      <button title="Share" class="btn"><i class="fa fa-share"></i></button>
      <button class="btn p-2 rounded">Save draft</button>
      <button class="flex items-center"></button>`);
    const seen = await call(server.client, 'observe', { session_id: id });
    const labels = listed(seen.structured).map((action) => action.label);
    // aria-label over title (and over the symbol); title over the symbol and the class; the classes name only the
    // buttons nothing else names, and only icon or button classes do (a utility class names nothing).
    expect(labels).toEqual(['Close dialog', 'Search the site', 'trash', 'gear', 'Share', 'Save draft', undefined]);
  });

  it('scrapes every element a selector matches, in order, and says how many matched', async () => {
    const cards = ['Alpha', 'Beta', 'Gamma'].map((name) => `<div class="card"><h2>${name}</h2><p>${name} card body.</p></div>`).join('');
    const id = await open('/cards', `<h1>Cards</h1>${cards}`);
    const scraped = await call(server.client, 'scrape', { session_id: id, selector: '.card', only_main_content: false });
    expect(scraped.isError, scraped.text).toBe(false);
    expect(scraped.text).toContain('selector .card: 3 matches, all in order');
    const markdown = (scraped.structured as { markdown: string }).markdown; // scrape's DataSpace
    const at = ['Alpha card body', 'Beta card body', 'Gamma card body'].map((text) => markdown.indexOf(text));
    expect(at.every((i) => i >= 0), markdown).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('keeps the opening of the document in the main content', async () => {
    const body = Array.from({ length: 8 }, (_, i) => `<p>Body paragraph ${i} explains, in some detail and with several clauses, how the widget is configured, tested and shipped.</p>`).join('');
    const id = await open('/doc', `<header><nav><a href="/">Home</a> <a href="/docs">Docs</a> <a href="/blog">Blog</a></nav></header>
      <div class="page"><div class="side"><a href="/a">A</a><a href="/b">B</a></div>
      <div class="doc"><h1>Widget guide</h1><div class="lead"><p>Start here: <a href="/install">install notes</a> first.</p></div><div class="body">${body}</div></div></div>
      <footer><a href="/legal">Legal</a></footer>`);
    const scraped = await call(server.client, 'scrape', { session_id: id, only_main_content: true });
    const markdown = (scraped.structured as { markdown: string }).markdown; // scrape's DataSpace
    expect(markdown, markdown).toContain('Start here:');
    expect(markdown.indexOf('Start here:')).toBeLessThan(markdown.indexOf('Body paragraph 0'));
    expect(markdown).not.toContain('Legal');
  });

  it('press_key names the element that received the key, and where focus went', async () => {
    const id = await open('/keys', '<label>Email <input name="email"></label> <label>Password <input name="password" type="password"></label>');
    await call(server.client, 'observe', { session_id: id });
    await call(server.client, 'step', { session_id: id, type: 'click', id: 'I1' });
    const pressed = await call(server.client, 'step', { session_id: id, type: 'press_key', key: 'Tab' });
    expect(pressed.structured['message']).toBe('Pressed Tab on <input email>; focus moved to <input password>.');
  });

  it('says when the page is still loading, and observing again shows it', async () => {
    let release: (() => void) | undefined;
    pages.setRoute('/app.js', (_req, res) => {
      release = () => res.writeHead(200, { 'content-type': 'text/javascript' }).end("document.body.style.visibility = 'visible';");
    });
    const url = pages.setContent('/loading', `<!doctype html><html><head><title>Dashboard</title><style>body { visibility: hidden }</style><script async src="/app.js"></script></head>
      <body><h1>Dashboard</h1><button>Refresh</button></body></html>`);
    const id = await open('/loading');
    const loading = await call(server.client, 'observe', { session_id: id, url });
    expect(loading.text).toContain('(no visible text or actions yet)');
    expect(loading.text).toMatch(/The page hides its content \(body hidden, document interactive\), likely until its scripts load: observe again in a moment for the rest\./);
    release?.();
    const loaded = await waitFor('the page to show itself', () => call(server.client, 'observe', { session_id: id }), (seen) => seen.text.includes('Refresh'), 15_000); // the header shows the title even while the body is hidden
    expect(loaded.text).not.toMatch(/still loading|hides its content/);
  });
});
