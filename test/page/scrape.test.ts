import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { encode } from 'gpt-tokenizer';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ContextHost } from '../../src/page/contextHost.js';
import { scrape } from '../../src/page/scrape.js';
import { launchTestBrowser } from '../fixtures/chromium.js';
import { PageServer } from '../fixtures/pageServer.js';

let browser: Browser;
let server: PageServer;
let context: BrowserContext;
let host: ContextHost;

beforeAll(async () => {
  [browser, server] = await Promise.all([launchTestBrowser(), PageServer.start()]);
});
afterAll(async () => {
  await Promise.all([browser?.close(), server?.close()]);
});
beforeEach(async () => {
  context = await browser.newContext();
  host = await ContextHost.create(context, { downloadsDir: mkdtempSync(join(tmpdir(), 'bsm-scrape-')) });
});
afterEach(async () => {
  await context.close();
});

const ARTICLE = `<!doctype html><html><head><meta charset="utf-8"><title>Tide pools | Coast Notes</title></head><body>
<header><nav><a href="/">Home</a> <a href="/about">About us</a> <a href="/shop">Shop</a></nav></header>
<main><article>
<h1>Life in tide pools</h1>
<p class="byline">By Ada Shore</p>
<p>Tide pools are rocky pockets of seawater left behind when the ocean retreats at low tide. They host
anemones, sea stars and hermit crabs that have adapted to waves, sun and shifting salinity.</p>
<h2>Where to look</h2>
<p>Walk out at the lowest tide of the month, and read the <a href="/guides/tides?id=7">tide table guide</a> first.
Every pool is different, and the animals in them are well hidden under rocks and in crevices along the edges.</p>
<ul><li>Rocky shores<ul><li>Granite ledges</li><li>Basalt shelves</li></ul></li><li>Jetties</li></ul>
<h2>Code</h2>
<pre><code class="language-python">def low_tide(hour):
    return hour % 12 == 0</code></pre>
<p>Sea stars can regrow lost arms over months, which makes them one of the most studied animals in the pools.
Hermit crabs swap shells as they grow, and queue up by size when a new shell appears.</p>
<img src="/img/anemone.jpg" alt="Green anemone" width="400" height="300">
</article></main>
<footer><p>© 2024 Coast Notes. <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></p></footer>
</body></html>`;

const origin = (): string => server.origin;

describe('scrape: markdown', () => {
  it('turns the whole page into markdown with absolute links, nested lists and fenced code', async () => {
    const url = server.setContent('/article', ARTICLE);
    const { data, text } = await scrape(host, { url, scrape_images: true });
    const md = data.markdown;
    expect(md).toContain('[About us](' + origin() + '/about)');
    expect(md).toContain('# Life in tide pools');
    expect(md).toContain('## Where to look');
    expect(md).toContain('[tide table guide](' + origin() + '/guides/tides?id=7)');
    expect(md).toContain('- Rocky shores\n  - Granite ledges\n  - Basalt shelves\n- Jetties');
    expect(md).toContain('```python\ndef low_tide(hour):\n    return hour % 12 == 0\n```');
    expect(md).toContain('![Green anemone](' + origin() + '/img/anemone.jpg)');
    expect(md).toContain('[Privacy](' + origin() + '/privacy)');
    expect(text.split('\n')[0]).toBe(`Scraped ${url} "Tide pools | Coast Notes"`);
    expect(data.images).toBeNull();
    expect(data.structured).toBeNull();
    expect(data.next_cursor).toBeUndefined();
  });

  it('keeps only the article with only_main_content', async () => {
    const url = server.setContent('/article', ARTICLE);
    const { data } = await scrape(host, { url, only_main_content: true });
    const md = data.markdown;
    expect(md.startsWith('# Life in tide pools\n\nBy Ada Shore\n\nTide pools are rocky pockets')).toBe(true);
    expect(md).toContain('## Where to look');
    expect(md).toContain('```python');
    expect(md).not.toContain('About us');
    expect(md).not.toContain('Privacy');
    expect(md).not.toContain('Coast Notes.');
    // scrape_images defaults to false
    expect(md).not.toContain('anemone.jpg');
  });

  it('writes tables as GFM: header cells, colspan, promoted first row, key/value tables, escaped pipes', async () => {
    const url = server.setContent('/tables', `
      <h2>Prices</h2>
      <table><caption>Menu</caption>
        <thead><tr><th>Item</th><th>Price</th><th>Stock</th></tr></thead>
        <tbody><tr><td>Tea</td><td>$3.50</td><td>yes</td></tr>
        <tr><td colspan="2">Coffee | large</td><td>no</td></tr></tbody>
      </table>
      <table><tr><td>Name</td><td>Age</td></tr><tr><td>Ann</td><td>31</td></tr></table>
      <table><tr><th>Weight</th><td>2 kg</td></tr><tr><th>Color</th><td>red</td></tr></table>
      <table role="presentation"><tr><td><p>Layout cell text</p></td></tr></table>`);
    const { data } = await scrape(host, { url });
    const md = data.markdown;
    expect(md).toContain('Menu\n\n| Item | Price | Stock |\n| --- | --- | --- |\n| Tea | $3.50 | yes |\n| Coffee \\| large |  | no |');
    expect(md).toContain('| Name | Age |\n| --- | --- |\n| Ann | 31 |');
    expect(md).toContain('|  |  |\n| --- | --- |\n| Weight | 2 kg |\n| Color | red |');
    expect(md).toContain('Layout cell text');
    expect(md).not.toContain('<table');
  });

  it('leaves out hidden elements, scripts, styles and ignored tags', async () => {
    const url = server.setContent('/hidden', `
      <style>.gone { display: none } .ghost { visibility: hidden }</style>
      <p>Visible paragraph</p>
      <p class="gone">display none text</p>
      <p style="display:none">inline none text</p>
      <p class="ghost">invisible text</p>
      <div class="ghost">ghost parent text <span style="visibility: visible">but this child shows</span></div>
      <p hidden>hidden attribute text</p>
      <div aria-hidden="true">aria hidden text</div>
      <script>var secret = "script text";</script>
      <noscript>noscript text</noscript>
      <details><summary>More</summary>Details body text</details>
      <aside>Aside text</aside>
      <div class="ad">Advert text</div>`);
    const { data } = await scrape(host, { url, ignored_tags: ['aside', '.ad'] });
    const md = data.markdown;
    expect(md).toContain('Visible paragraph');
    expect(md).toContain('but this child shows');
    expect(md).toContain('Details body text');
    for (const gone of ['display none text', 'inline none text', 'invisible text', 'ghost parent text', 'hidden attribute text', 'aria hidden text', 'script text', 'secret', 'noscript text', 'Aside text', 'Advert text', 'display: none']) {
      expect(md, gone).not.toContain(gone);
    }
  });

  it('drops links and images on request, and keeps their text', async () => {
    const url = server.setContent('/links', `<p>Read <a href="/a">the docs</a> now.</p><img src="/x.png" alt="Chart">
      <p><a href="#top">Back to top</a> <a href="javascript:void(0)">Menu</a></p>`);
    const off = await scrape(host, { url, scrape_links: false, scrape_images: false });
    expect(off.data.markdown).toContain('Read the docs now.');
    expect(off.data.markdown).not.toContain('](');
    expect(off.data.markdown).not.toContain('Chart');
    const on = await scrape(host, { scrape_images: true });
    expect(on.data.markdown).toContain(`Read [the docs](${origin()}/a) now.`);
    expect(on.data.markdown).toContain(`![Chart](${origin()}/x.png)`);
    // Same-page anchors and javascript: links add nothing an agent can follow.
    expect(on.data.markdown).toContain('Back to top Menu');
  });

  it('limits the scrape to a selector', async () => {
    const url = server.setContent('/scope', `<div id="a"><h2>Outside</h2><p>Not this</p></div>
      <section id="b"><h2>Inside</h2><p>Only <a href="rel/page">this</a></p></section>`);
    const { data, text } = await scrape(host, { url, selector: '#b' });
    expect(data.markdown).toBe(`## Inside\n\nOnly [this](${origin()}/rel/page)`);
    expect(text).toContain('(selector #b)');
    await expect(scrape(host, { selector: '#missing' })).rejects.toMatchObject({ code: 'E_SELECTOR_NOT_FOUND', message: expect.stringMatching(/No element matches selector "#missing"/), hint: expect.stringMatching(/observe/) });
  });

  it('refuses non-http(s) URLs unless the session allows local URLs', async () => {
    await expect(scrape(host, { url: 'file:///etc/passwd' })).rejects.toMatchObject({
      code: 'E_URL_REFUSED',
      message: 'URLs with the file: scheme are not allowed in this session. Use an http(s) URL.',
      hint: expect.stringContaining('Pass an http(s) URL to scrape'),
    });
    await expect(scrape(host, { url: 'not a url' })).rejects.toThrow(/is not a valid URL/);
    const local = await ContextHost.create(context, { downloadsDir: host.downloadsDir, allowLocalUrls: true });
    const fileUrl = 'data:text/html,<h1>Local</h1><p>allowed here</p>';
    expect((await scrape(local, { url: fileUrl })).data.markdown).toBe('# Local\n\nallowed here');
  });

  it('scrapes pages with a strict Content-Security-Policy', async () => {
    const url = server.setRoute('/csp', {
      body: '<!doctype html><html><head><title>csp</title></head><body><h1>Locked down</h1><p>Still readable</p></body></html>',
      headers: { 'content-security-policy': "default-src 'none'; script-src 'none'" },
    });
    const { data } = await scrape(host, { url });
    expect(data.markdown).toBe('# Locked down\n\nStill readable');
  });

  it('replaces repeated and same-origin URLs with numbered references when use_link_placeholders is set', async () => {
    const long = '/catalog/products/item?id=1234567890&ref=homepage-carousel';
    const other = 'https://docs.other-site.example.org/guides/getting-started/installation';
    const url = server.setContent('/refs', `<p><a href="${long}">First</a>, <a href="${other}">the guide</a> and <a href="${long}">again</a>.</p>
      <ul>${Array.from({ length: 6 }, (_, i) => `<li><a href="/catalog/products/kettle-${i}">Kettle ${i}</a></li>`).join('')}</ul>`);
    const plain = (await scrape(host, { url })).data.markdown;
    const { data } = await scrape(host, { url, use_link_placeholders: true });
    expect(data.markdown).toBe(
      `[First][1], [the guide](${other}) and [again][1].\n\n` +
        Array.from({ length: 6 }, (_, i) => `- [Kettle ${i}][${i + 2}]`).join('\n') +
        `\n\nLinks (a /path is on ${origin()}):\n\n[1]: ${long}\n` +
        Array.from({ length: 6 }, (_, i) => `[${i + 2}]: /catalog/products/kettle-${i}`).join('\n'),
    );
    expect(encode(data.markdown).length).toBeLessThan(encode(plain).length);
  });

  it('keeps plain links when placeholders would not make the markdown smaller', async () => {
    const url = server.setContent('/one-link', '<p>Read <a href="https://docs.other-site.example.org/guides/install">the guide</a> first.</p>');
    const { data } = await scrape(host, { url, use_link_placeholders: true });
    expect(data.markdown).toBe('Read [the guide](https://docs.other-site.example.org/guides/install) first.');
  });

  it('cuts long markdown at max_tokens and continues with the cursor', async () => {
    const paragraphs = Array.from({ length: 60 }, (_, i) => `<p>Paragraph ${i} ${'word '.repeat(40)}</p>`).join('');
    const url = server.setContent('/long', paragraphs);
    const whole = (await scrape(host, { url, max_tokens: 200_000 })).data.markdown;
    const parts: string[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const result = await scrape(host, cursor === undefined ? { max_tokens: 1000 } : { max_tokens: 1000, cursor });
      parts.push(result.data.markdown);
      cursor = result.nextCursor;
      expect(result.data.next_cursor).toBe(cursor);
      if (cursor !== undefined) expect(result.text).toContain(`cursor="${cursor}"`);
      expect(encode(result.data.markdown).length).toBeLessThanOrEqual(1000);
      // Every part but the last uses most of its budget.
      if (cursor !== undefined) expect(encode(result.data.markdown).length).toBeGreaterThanOrEqual(850);
      calls++;
    } while (cursor !== undefined && calls < 20);
    expect(calls).toBeGreaterThan(2);
    expect(parts.join('')).toBe(whole);
    expect(parts[1]?.startsWith('Paragraph')).toBe(true);
    await expect(scrape(host, { cursor: 'garbage' })).rejects.toThrow(/cursor is not one scrape returned/);
  });

  it('keeps every part within max_tokens by the real tokenizer on dense pages (numbers, links, tables)', async () => {
    // The shape that overflowed a flat characters-per-token budget: short cards of numbers, table cells and links.
    const cards = Array.from({ length: 1500 }, (_, n) =>
      `<section><h3>Item ${n}</h3><p>Item ${n} is a sturdy, well reviewed product with a long description.</p>` +
      `<table><tr><th>SKU</th><td>S-${n}</td><th>Price</th><td>$${(n % 97) + 0.99}</td></tr></table><a href="/i${n}">Details</a></section>`).join('');
    const url = server.setContent('/dense', `<h1>Big catalogue</h1>${cards}`);
    for (const maxTokens of [10_000, 1000]) {
      let cursor: string | undefined;
      for (let part = 0; part < 4; part++) {
        const args = cursor === undefined ? { max_tokens: maxTokens } : { max_tokens: maxTokens, cursor };
        const result = await scrape(host, part === 0 && maxTokens === 10_000 ? { ...args, url } : args);
        const used = encode(result.data.markdown).length;
        expect(used, `part ${part} at ${maxTokens}`).toBeLessThanOrEqual(maxTokens);
        expect(used, `part ${part} at ${maxTokens}`).toBeGreaterThanOrEqual(maxTokens * 0.85);
        cursor = result.nextCursor;
        expect(cursor).toBeDefined();
      }
    }
  });
});

describe('scrape: form controls', () => {
  const FORM = `<!doctype html><html><head><title>Orders</title></head><body>
<form role="search"><label for="q">Search products</label><input id="q" type="search" placeholder="Shoes, brands"><button>Search</button></form>
<p><label>Sort by <select name="sort"><option>Featured</option><option selected>Price: low to high</option><option>Newest</option></select></label></p>
<p><label>Status <select><optgroup label="Open"><option>All</option><option>Pending</option></optgroup><optgroup label="Closed"><option>Paid</option></optgroup></select></label> <label>Customer <input type="text" value="Acme"></label><button type="button">Export CSV</button><button type="button">New invoice</button></p>
<p><label>Tags <select multiple><option selected>red</option><option>green</option><option selected>blue</option></select></label></p>
<fieldset><legend>Price</legend><label>Min <input type="number" value="0"></label> <label>Max <input type="number" value="500"></label></fieldset>
<p><label for="bio">Bio</label><br><textarea id="bio">Writes notes
on engines.</textarea></p>
<p><label>Password <input type="password" value="hunter2"></label><label><input type="checkbox" checked> Remember me</label><input type="hidden" name="csrf" value="tok123"><input type="submit" value="Sign in"><input type="reset"></p>
</body></html>`;

  it('writes what a reader sees: the chosen option, field values, spaced buttons; never options, passwords or hidden values', async () => {
    const url = server.setContent('/form', FORM);
    const page = host.page();
    await page.goto(url);
    // Live state the HTML attributes do not carry: a choice and typed text.
    await page.selectOption('select[name="sort"]', 'Newest');
    await page.fill('#bio', 'Mathematician.\nWrites notes on the Analytical Engine.');
    const { data } = await scrape(host, {});
    expect(data.markdown.split('\n')).toEqual([
      'Search products Search',
      '',
      'Sort by Newest',
      '',
      'Status All Customer Acme Export CSV New invoice',
      '',
      'Tags red, blue',
      '',
      'Price Min 0 Max 500',
      '',
      'Bio  ',
      'Mathematician. Writes notes on the Analytical Engine.',
      '',
      'Password Remember me Sign in Reset',
    ]);
  });

  it('scrapes a select on its own as its chosen option', async () => {
    const url = server.setContent('/form', FORM);
    const { data } = await scrape(host, { url, selector: 'select[name="sort"]' });
    expect(data.markdown).toBe('Price: low to high');
  });
});

describe('scrape: images', () => {
  it('lists images with absolute urls and a category each', async () => {
    const url = server.setContent('/images', `<!doctype html><html><head><title>img</title>
      <link rel="icon" href="/favicon.ico"><link rel="apple-touch-icon" sizes="180x180" href="/apple.png"></head><body>
      <img src="/photos/reef.jpg" alt="Coral reef" width="640" height="480">
      <img src="/icons/cart.png" alt="Cart" width="24" height="24">
      <img src="/divider.png" alt="" width="600" height="10">
      <img src="/spacer.gif" role="presentation" width="300" height="20">
      <img src="/hidden.png" alt="Hidden" style="display:none">
      <figure><img src="/chart.png" width="300" height="200"><figcaption>Sales by month</figcaption></figure>
      <svg width="16" height="16" aria-label="Search"><circle cx="8" cy="8" r="6"/></svg>
      <svg width="400" height="300"><title>Revenue chart</title><rect width="400" height="300"/></svg>
      </body></html>`);
    const { data, text } = await scrape(host, { url, only_images: true });
    const o = origin();
    expect(data.markdown).toBe('');
    expect(data.images).toEqual([
      { url: `${o}/favicon.ico`, category: 'favicon', description: 'icon' },
      { url: `${o}/apple.png`, category: 'favicon', description: 'apple-touch-icon 180x180' },
      { url: `${o}/photos/reef.jpg`, category: 'content_image', description: 'Coral reef' },
      { url: `${o}/icons/cart.png`, category: 'icon', description: 'Cart' },
      { url: `${o}/divider.png`, category: 'decorative' },
      { url: `${o}/spacer.gif`, category: 'decorative' },
      { url: `${o}/chart.png`, category: 'content_image', description: 'Sales by month' },
      { category: 'svg_icon', description: 'Search' },
      { category: 'svg_content', description: 'Revenue chart' },
    ]);
    expect(text).toContain(`- content_image: ${o}/photos/reef.jpg — Coral reef`);
  });
});

describe('scrape: structured output', () => {
  const SHOP = `<h2>Products</h2><table><tr><th>Product name</th><th>Unit price</th><th>In stock</th></tr>
    <tr><td><a href="/p/1">Kettle</a></td><td>$24.99</td><td>yes</td></tr>
    <tr><td><a href="/p/2">Toaster</a></td><td>$1,049.00</td><td>no</td></tr></table>`;
  const schema = {
    type: 'array',
    items: { type: 'object', properties: { product_name: { type: 'string' }, unit_price: { type: 'number' }, in_stock: { type: 'boolean' }, url: { type: 'string' } }, required: ['product_name', 'unit_price'] },
  };

  it('reads a table into objects without a sampler', async () => {
    const url = server.setContent('/shop', SHOP);
    const { data, text } = await scrape(host, { url, response_format: schema });
    expect(data.structured).toEqual({
      success: true,
      error: null,
      data: [
        { product_name: 'Kettle', unit_price: 24.99, in_stock: true, url: `${origin()}/p/1` },
        { product_name: 'Toaster', unit_price: 1049, in_stock: false, url: `${origin()}/p/2` },
      ],
    });
    expect(data.markdown).toContain('| Product name | Unit price | In stock |');
    expect(text).toContain('Structured data:');
  });

  it('says so, with the markdown, when the schema does not map onto the page', async () => {
    const url = server.setContent('/shop', SHOP);
    const { data, text } = await scrape(host, { url, response_format: { type: 'object', properties: { ceo: { type: 'string' } }, required: ['ceo'] } });
    expect(data.structured?.success).toBe(false);
    expect(data.structured?.data).toBeNull();
    expect(data.structured?.error).toMatch(/does not offer MCP sampling.*"ceo".*markdown is returned/);
    expect(data.markdown).toContain('Kettle');
    expect(text).toContain('Structured data: failed.');
  });

  it('uses the sampler when there is one, with the page markdown in the prompt', async () => {
    const url = server.setContent('/shop', SHOP);
    const prompts: string[] = [];
    const { data } = await scrape(host, { url, response_format: schema, instructions: 'List the products' }, {
      sample: async ({ prompt }) => {
        prompts.push(prompt);
        return '```json\n[{"product_name":"Kettle","unit_price":24.99}]\n```';
      },
    });
    expect(data.structured).toEqual({ success: true, error: null, data: [{ product_name: 'Kettle', unit_price: 24.99 }] });
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('Task: List the products');
    expect(prompts[0]).toContain(`| [Kettle](${origin()}/p/1) | $24.99 | yes |`);
  });
});

describe('scrape: big pages', () => {
  it('scrapes a page of several MB', async () => {
    const rows = Array.from({ length: 6000 }, (_, i) =>
      `<div class="card" data-i="${i}"><h3>Item ${i}</h3><p>Description of item ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}</p>` +
      `<ul><li><a href="/item/${i}">Details</a></li><li>Price ${i}.99</li></ul><span style="display:none">hidden ${i}</span></div>`).join('\n');
    const html = `<nav>${Array.from({ length: 200 }, (_, i) => `<a href="/n/${i}">Nav ${i}</a>`).join(' ')}</nav><main>${rows}</main>`;
    const url = server.setContent('/big', html);
    expect(html.length).toBeGreaterThan(2_000_000);
    await host.page().goto(url);
    const started = performance.now();
    const first = await scrape(host, { max_tokens: 200_000 });
    const firstMs = performance.now() - started;
    const again = performance.now();
    const second = await scrape(host, { max_tokens: 200_000 });
    const secondMs = performance.now() - again;
    console.log(`big page: ${(html.length / 1e6).toFixed(2)} MB HTML → ${(first.data.markdown.length / 1e6).toFixed(2)} MB markdown in ${firstMs.toFixed(0)} ms (first, with install), ${secondMs.toFixed(0)} ms (again)`);
    expect(second.data.markdown).toBe(first.data.markdown);
    let md = first.data.markdown;
    for (let cursor = first.nextCursor; cursor !== undefined; ) {
      const next = await scrape(host, { max_tokens: 200_000, cursor });
      md += next.data.markdown;
      cursor = next.nextCursor;
    }
    expect(md).toContain('[Nav 199]');
    expect(md).toContain('### Item 0\n');
    expect(md).toContain('### Item 5999\n');
    expect(md).toContain(`- [Details](${origin()}/item/5999)\n- Price 5999.99`);
    expect(md).not.toContain('hidden');
    const main = await scrape(host, { only_main_content: true, max_tokens: 200_000 });
    expect(main.data.markdown.startsWith('### Item 0\n')).toBe(true);
    expect(main.text).toContain('no article detected');
  });

  it('measures tokens: markdown vs raw HTML vs innerText', async () => {
    const url = server.setContent('/article', ARTICLE);
    await host.page().goto(url);
    const html = await host.page().content();
    const innerText = await host.page().evaluate(() => document.body.innerText);
    const full = (await scrape(host, {})).data.markdown;
    const main = (await scrape(host, { only_main_content: true })).data.markdown;
    const t = (s: string): number => encode(s).length;
    console.log(`tokens (o200k) article: html ${t(html)}, innerText ${t(innerText)}, markdown ${t(full)}, main-content markdown ${t(main)}; chars/token markdown ${(full.length / t(full)).toFixed(2)}`);
    expect(t(full)).toBeLessThan(t(html));
  });
});
