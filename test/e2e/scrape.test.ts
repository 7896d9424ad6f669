import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startHttpServer, startSession, startStdio } from './harness.js';
import type { HttpServer, StdioServer } from './harness.js';

const ARTICLE = `
  <nav><a href="/">Home</a> <a href="/news">News</a> <a href="/shop">Shop</a></nav>
  <main><article>
    <h1>Tide pools of the north coast</h1>
    <p>Tide pools are rocky basins that hold sea water at low tide. They shelter anemones, crabs and sea stars, and the
    creatures living there must survive waves, sun and changing salinity every single day of the year.</p>
    <h2>Where to look</h2>
    <ul><li>Rocky points<ul><li>North side</li></ul></li><li>Sheltered coves</li></ul>
    <p>Read the <a href="/guide">field guide</a> before you go.</p>
    <pre><code class="language-js">const tide = low();</code></pre>
  </article></main>
  <footer>© Coast Notes · <a href="/privacy">Privacy</a></footer>`;

const PRICES = `
  <h1>Price list</h1>
  <table><thead><tr><th>Product</th><th>Price</th><th>In stock</th></tr></thead>
  <tbody><tr><td>Pen</td><td>2.50</td><td>yes</td></tr><tr><td>Notebook</td><td>4</td><td>no</td></tr></tbody></table>`;

const ROWS_SCHEMA = { type: 'array', items: { type: 'object', properties: { product: { type: 'string' }, price: { type: 'number' }, in_stock: { type: 'boolean' } }, required: ['product', 'price'] } };

let pages: PageServer;
beforeAll(async () => {
  pages = await PageServer.start();
  pages.setContent('/article', ARTICLE);
  pages.setContent('/prices', PRICES);
});
afterAll(async () => {
  await pages.close();
});

describe('scrape without sampling (stdio)', () => {
  let server: StdioServer;
  beforeAll(async () => {
    server = await startStdio();
  });
  afterAll(async () => {
    await server.close();
    await server.exited;
  });

  it('turns the page into markdown: headings, nested lists, code, absolute links; only_main_content drops the chrome', async () => {
    const id = await startSession(server.client, { url: pages.url('/article') });
    const whole = await call(server.client, 'scrape', { session_id: id });
    const markdown = String(whole.structured['markdown']);
    expect(markdown).toContain('# Tide pools of the north coast');
    expect(markdown).toContain('## Where to look');
    expect(markdown).toMatch(/- Rocky points\n\s+- North side/);
    expect(markdown).toContain('```js\nconst tide = low();\n```');
    expect(markdown).toContain(`[field guide](${pages.url('/guide')})`);
    expect(markdown).toContain('Privacy');
    const main = await call(server.client, 'scrape', { session_id: id, only_main_content: true });
    const mainMarkdown = String(main.structured['markdown']);
    expect(mainMarkdown).toContain('Tide pools are rocky basins');
    expect(mainMarkdown).not.toContain('Privacy');
    expect(mainMarkdown).not.toContain('[Shop]');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('reads a table into objects deterministically, and says why it cannot map another schema', async () => {
    const id = await startSession(server.client, { url: pages.url('/prices') });
    const rows = await call(server.client, 'scrape', { session_id: id, response_format: ROWS_SCHEMA });
    expect(rows.structured['structured']).toEqual({
      success: true, error: null, data: [{ product: 'Pen', price: 2.5, in_stock: true }, { product: 'Notebook', price: 4, in_stock: false }],
    });
    const unmappable = await call(server.client, 'scrape', { session_id: id, response_format: { type: 'object', properties: { ceo_name: { type: 'string' } }, required: ['ceo_name'] } });
    const structured = unmappable.structured['structured'] as { success: boolean; error: string; data: unknown };
    expect(structured.success).toBe(false);
    expect(structured.data).toBeNull();
    expect(structured.error).toMatch(/markdown/);
    expect(String(unmappable.structured['markdown'])).toContain('Notebook');
    await call(server.client, 'session_stop', { session_id: id });
  });
});

function samplingReply(text: string): CreateMessageResult {
  return { model: 'test-model', role: 'assistant', content: { type: 'text', text } };
}

describe('scrape with a client that offers sampling (HTTP)', () => {
  let server: HttpServer;
  beforeAll(async () => {
    server = await startHttpServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('asks the client model with the page markdown and the schema, and validates its answer', async () => {
    const prompts: string[] = [];
    const { client } = await server.connect({ clientOptions: { capabilities: { sampling: {} } } });
    client.setRequestHandler(CreateMessageRequestSchema, (request) => {
      const content = request.params.messages[0]?.content;
      prompts.push(content !== undefined && !Array.isArray(content) && content.type === 'text' ? content.text : '');
      return samplingReply('```json\n{"title": "Tide pools of the north coast", "sections": ["Where to look"]}\n```');
    });
    const id = await startSession(client, { url: pages.url('/article') });
    const schema = { type: 'object', properties: { title: { type: 'string' }, sections: { type: 'array', items: { type: 'string' } } }, required: ['title'] };
    const result = await call(client, 'scrape', { session_id: id, response_format: schema, instructions: 'title and section names' });
    expect(result.structured['structured']).toEqual({ success: true, error: null, data: { title: 'Tide pools of the north coast', sections: ['Where to look'] } });
    expect(prompts.length).toBe(1);
    expect(prompts[0]).toContain('Tide pools are rocky basins');
    expect(prompts[0]).toContain('"sections"');
    await call(client, 'session_stop', { session_id: id });
  });

  it('retries once with the validation error, then answers success=false without inventing data', async () => {
    let calls = 0;
    const { client } = await server.connect({ clientOptions: { capabilities: { sampling: {} } } });
    client.setRequestHandler(CreateMessageRequestSchema, () => {
      calls += 1;
      return samplingReply(calls === 1 ? 'not json at all' : '{"title": 42}');
    });
    const id = await startSession(client, { url: pages.url('/article') });
    const result = await call(client, 'scrape', { session_id: id, response_format: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] } });
    const structured = result.structured['structured'] as { success: boolean; error: string | null; data: unknown };
    expect(calls).toBe(2);
    expect(structured.success).toBe(false);
    expect(structured.data).toBeNull();
    expect(structured.error).toMatch(/title/);
    expect(String(result.structured['markdown'])).toContain('Tide pools');
    await call(client, 'session_stop', { session_id: id });
  });

  it('runs the observe → step loop over HTTP too', async () => {
    const { client } = await server.connect();
    const id = await startSession(client, { url: pages.setContent('/counter', '<button onclick="this.textContent = \'Clicked \' + (++window.n)">Count</button><script>window.n = 0</script>') });
    const seen = await call(client, 'observe', { session_id: id });
    expect(seen.text).toContain('[B1 Count]');
    const clicked = await call(client, 'step', { session_id: id, type: 'click', id: 'B1' });
    expect(clicked.structured['success']).toBe(true);
    const again = await call(client, 'observe', { session_id: id });
    expect(again.text).toContain('[B1 Clicked 1]');
    await call(client, 'session_stop', { session_id: id });
  });
});
