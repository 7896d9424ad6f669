import { existsSync, mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, startHttpServer, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=', 'base64');

let pages: PageServer;
let server: StdioServer;

beforeAll(async () => {
  pages = await PageServer.start();
  pages.setRoute('/dot.png', { body: PNG, contentType: 'image/png' });
  server = await startStdio();
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
});

async function evaluate(id: string, code: string): Promise<string> {
  const result = await call(server.client, 'step', { session_id: id, type: 'evaluate_js', code });
  expect(result.structured['success'], result.text).toBe(true);
  const data = (result.structured['data'] ?? {}) as { markdown?: string };
  return data.markdown ?? '';
}

describe('chrome_args from a client', () => {
  it('refuses a subprocess command prefix before anything runs, naming the switch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bsm-prefix-'));
    const marker = join(dir, 'ran');
    const script = join(dir, 'prefix.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\nexec "$@"\n`);
    chmodSync(script, 0o755);
    const before = chromiumProcesses(server.tag).length;
    for (const arg of [`--renderer-cmd-prefix=${script}`, `--utility-cmd-prefix=${script}`, `-gpu-launcher=${script}`]) {
      const result = await call(server.client, 'session_start', { chrome_args: ['--mute-audio', arg], url: pages.setContent('/p', '<h1>hi</h1>') });
      expect(result.isError, result.text).toBe(true);
      expect(result.text).toMatch(/^E_INVALID_INPUT: chrome_args\[1\]: ".*" is never accepted from a client: it runs a program on the server\./);
    }
    expect(existsSync(marker)).toBe(false);
    expect(chromiumProcesses(server.tag).length).toBe(before);
  });

  it.each(['--remote-debugging-port=0', '--user-data-dir=/tmp/x', '--load-extension=/tmp/ext', '--disable-web-security', '--no-sandbox'])('refuses %s', async (arg) => {
    const result = await call(server.client, 'session_start', { chrome_args: [arg] });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`chrome_args[0]: "${arg}" is never accepted from a client`);
  });

  it('refuses an unlisted switch by default, saying how the operator allows it', async () => {
    const result = await call(server.client, 'session_start', { chrome_args: ['--user-agent=Trusted/1.0'] });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('chrome_args[0]: "--user-agent=Trusted/1.0" is refused: it is not on the list of harmless switches.');
    expect(result.text).toContain('--allow-chrome-args');
  });

  it('applies an allowed switch: --blink-settings=imagesEnabled=false stops images loading', async () => {
    const url = pages.setContent('/img', `<img id="dot" src="${pages.url('/dot.png')}" alt="dot">`);
    const plain = await startSession(server.client, { url });
    const own = await startSession(server.client, { url, chrome_args: ['--blink-settings=imagesEnabled=false', '--mute-audio'] });
    // The load event waits for the image, unless images are off and it is never fetched.
    const width = "new Promise((done) => { const read = () => done(String(document.getElementById('dot').naturalWidth)); if (document.readyState === 'complete') read(); else addEventListener('load', read); })";
    expect(await evaluate(plain, width)).toBe('1');
    expect(await evaluate(own, width)).toBe('0');
    await call(server.client, 'session_stop', { session_id: plain });
    await call(server.client, 'session_stop', { session_id: own });
  });
});

describe('chrome_args with --allow-chrome-args', () => {
  it('lets an unlisted switch through but still refuses the never-allowed ones', async () => {
    const trusting = await startStdio(['--allow-chrome-args']);
    try {
      const refused = await call(trusting.client, 'session_start', { chrome_args: ['--remote-debugging-port=9333'] });
      expect(refused.text).toContain('chrome_args[0]: "--remote-debugging-port=9333" is never accepted from a client: it opens an unauthenticated DevTools port');
      const id = await startSession(trusting.client, { chrome_args: ['--user-agent=TrustedAgent/1.0'] });
      const ua = await call(trusting.client, 'step', { session_id: id, type: 'evaluate_js', code: 'navigator.userAgent' });
      expect((ua.structured['data'] as { markdown: string }).markdown).toBe('TrustedAgent/1.0');
    } finally {
      await trusting.close();
      await trusting.exited;
    }
    await waitFor('no Chromium left', () => chromiumProcesses(trusting.tag).length, (n) => n === 0, 15_000);
  });
});

describe('--no-evaluate', () => {
  it('says so in step\'s listing and refuses evaluate_js before the page runs it, while other actions work', async () => {
    const locked = await startStdio(['--no-evaluate']);
    try {
      const listed = (await locked.client.listTools()).tools.find((tool) => tool.name === 'step');
      expect(listed?.description).toContain('evaluate_js is off on this server.');
      const code = (listed?.inputSchema.properties ?? {})['code'] as { description?: string } | undefined;
      expect(code?.description).toBe('evaluate_js: off on this server.');
      const id = await startSession(locked.client, { url: pages.setContent('/no-eval', '<h1>untouched</h1>') });
      const refused = await call(locked.client, 'step', { session_id: id, type: 'evaluate_js', code: 'document.title = "ran"' });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(/^E_ACTION_DISABLED: evaluate_js is turned off on this server \(its operator started it with --no-evaluate\)\. Use the other step actions, or scrape to read the page\.$/);
      const page = await call(locked.client, 'observe', { session_id: id });
      expect(page.text).toContain('untouched');
      expect(page.structured['metadata']).toMatchObject({ title: '/no-eval' });
      const scrolled = await call(locked.client, 'step', { session_id: id, type: 'wait', time_ms: 10 });
      expect(scrolled.structured['success'], scrolled.text).toBe(true);
    } finally {
      await locked.close();
      await locked.exited;
    }
  });

  it('is on by default: the same listing offers evaluate_js without the note', async () => {
    const listed = (await server.client.listTools()).tools.find((tool) => tool.name === 'step');
    expect(listed?.description).not.toContain('off on this server');
  });
});

describe('local URLs inside pages', () => {
  it('observes and scrapes a page that frames file: and chrome: URLs within its budget, showing the frames as blocked', async () => {
    const url = pages.setContent('/frames', '<h1>Framed</h1><iframe src="file:///etc/passwd"></iframe><iframe src="chrome://version"></iframe><iframe src="view-source:http://127.0.0.1/"></iframe><button>After frames</button>');
    const id = await startSession(server.client, { url });
    const seen = await call(server.client, 'observe', { session_id: id });
    expect(seen.isError, seen.text).toBe(false);
    expect(seen.text).toContain('[frame blocked: local URL file:///etc/passwd]');
    expect(seen.text).toContain('[frame blocked: local URL chrome://version]');
    expect(seen.text).toContain('[frame blocked: local URL view-source:http://127.0.0.1/]');
    expect(seen.text).toContain('[B1 After frames]');
    expect(seen.text).not.toContain('root:x:0');
    const scraped = await call(server.client, 'scrape', { session_id: id });
    expect(scraped.isError, scraped.text).toBe(false);
    expect(scraped.text).toContain('Framed');
    expect(scraped.text).not.toContain('root:x:0');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('keeps the page where it is when it navigates, opens a popup or is redirected to a local URL', async () => {
    const url = pages.setContent('/nav', '<h1>Start</h1><a href="file:///etc/passwd">passwd</a><button onclick="window.open(\'chrome://version\')">popup</button><button onclick="location.href=\'file:///etc/hostname\'">jump</button>');
    pages.setRoute('/redirect', (_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    });
    const id = await startSession(server.client, { url });
    await call(server.client, 'observe', { session_id: id });
    for (const target of ['L1', 'B1', 'B2']) {
      await call(server.client, 'step', { session_id: id, type: 'click', id: target });
      const status = await call(server.client, 'observe', { session_id: id });
      expect(status.isError, status.text).toBe(false);
      expect(status.structured['metadata']).toMatchObject({ url });
      expect(JSON.stringify(status.structured['metadata'])).not.toMatch(/file:|chrome:/);
    }
    const redirected = await call(server.client, 'step', { session_id: id, type: 'goto', url: pages.url('/redirect') });
    expect(redirected.structured['success']).toBe(false);
    expect(redirected.text).toMatch(/ERR_UNSAFE_REDIRECT/);
    const after = await call(server.client, 'observe', { session_id: id });
    expect(after.text).not.toContain('root:x:0');
    await call(server.client, 'session_stop', { session_id: id });
  });
});

describe('--block-private-networks', () => {
  let second: Server;
  const hits: string[] = [];
  let secondOrigin = '';

  beforeAll(async () => {
    // A second loopback address: the page server of "another machine on the private network".
    second = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/html', 'access-control-allow-origin': '*' }).end('<h1>Intranet secret</h1>');
    });
    second.on('upgrade', (req, socket) => {
      hits.push(req.url ?? '');
      socket.destroy();
    });
    await new Promise<void>((resolve) => second.listen(0, '127.0.0.2', () => resolve()));
    secondOrigin = `http://127.0.0.2:${(second.address() as AddressInfo).port}`; // a TCP listen yields AddressInfo
  });

  afterAll(async () => {
    second.closeAllConnections();
    await new Promise<void>((resolve) => second.close(() => resolve()));
  });

  // The tests' resolver rules would keep Chromium off 127.0.0.2 anyway; this later copy (the last one wins) lets it through.
  const reach127002 = '--browser-arg=--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1 , EXCLUDE 127.0.0.2';

  /**
   * The page under test must come from somewhere the switch allows: a file on disk (the operator allows local URLs
   * for it), which frames, fetches from and navigates to the second loopback address.
   */
  async function probeFrom(extra: string[]): Promise<{ goto: string; proxied: string; fetched: string; observed: string; hits: string[] }> {
    hits.length = 0;
    const dir = mkdtempSync(join(tmpdir(), 'bsm-private-'));
    const file = join(dir, 'page.html');
    writeFileSync(
      file,
      `<!doctype html><title>Local page</title><h1>Local page</h1><iframe src="${secondOrigin}/frame"></iframe>
       <script>
         window.probe = fetch('${secondOrigin}/fetch').then(() => 'fetched', () => 'fetch refused');
         new WebSocket('${secondOrigin.replace('http:', 'ws:')}/ws');
       </script>
       <button onclick="location.href = '${secondOrigin}/nav'">Go inside</button>`,
    );
    const guarded = await startStdio([reach127002, '--allow-local-urls', ...extra]);
    try {
      const proxied = await call(guarded.client, 'session_start', { proxies: [{ type: 'external', server: 'http://127.0.0.1:9' }] });
      if (!proxied.isError) await call(guarded.client, 'session_stop', { session_id: proxied.structured['session_id'] });
      const id = await startSession(guarded.client);
      const goto = await call(guarded.client, 'step', { session_id: id, type: 'goto', url: `${secondOrigin}/goto` });
      const opened = await call(guarded.client, 'step', { session_id: id, type: 'goto', url: `file://${file}` });
      expect(opened.structured['success'], opened.text).toBe(true);
      const fetched = await call(guarded.client, 'step', { session_id: id, type: 'evaluate_js', code: 'window.probe' });
      const observed = await call(guarded.client, 'observe', { session_id: id });
      expect(observed.isError, observed.text).toBe(false);
      await call(guarded.client, 'step', { session_id: id, type: 'click', id: 'B1' });
      return { goto: goto.text, proxied: proxied.text, fetched: (fetched.structured['data'] as { markdown: string }).markdown, observed: observed.text, hits: [...hits] };
    } finally {
      await guarded.close();
      await guarded.exited;
    }
  }

  it('without the switch, a page reaches the second loopback address (the control)', async () => {
    const open = await probeFrom([]);
    expect(open.hits).toEqual(expect.arrayContaining(['/goto', '/frame', '/fetch', '/ws', '/nav']));
    expect(open.proxied).not.toContain('E_');
    expect(open.fetched).toBe('fetched');
    expect(open.observed).toContain('Intranet secret');
  });

  it('with the switch, goto is refused and the page\'s own iframe and fetch are blocked at the browser', async () => {
    const blocked = await probeFrom(['--block-private-networks']);
    expect(blocked.goto).toContain('127.0.0.2 is a loopback or private address, and this server blocks private networks (--block-private-networks)');
    expect(blocked.fetched).toBe('fetch refused');
    expect(blocked.proxied).toMatch(/^E_INVALID_INPUT: proxies\[0\]\.server: 127\.0\.0\.1 is a loopback or private address/);
    expect(blocked.observed).toContain(`[frame blocked: private address ${secondOrigin}/frame]`);
    expect(blocked.observed).not.toContain('Intranet secret');
    expect(blocked.hits).toEqual([]);
  });
});

describe('session_start values checked before the browser sees them', () => {
  it('refuses a user_agent with a line break, extra_http_headers that are not headers and an impossible viewport, leaving no browser behind once the conversation ends', async () => {
    const http = await startHttpServer();
    try {
      const { client, transport } = await http.connect();
      const ua = await call(client, 'session_start', { user_agent: 'Mozilla/5.0\n' });
      expect(ua.isError).toBe(true);
      expect(ua.text).toMatch(/^E_INVALID_INPUT: user_agent: holds a control character \(U\+000A at position 11\)/);
      const header = await call(client, 'session_start', { extra_http_headers: { 'X Bad': '1' } });
      expect(header.text).toMatch(/^E_INVALID_INPUT: extra_http_headers\.X Bad: is not a valid header name/);
      const value = await call(client, 'session_start', { extra_http_headers: { 'X-Ok': 'a\r\nInjected: 1' } });
      expect(value.text).toMatch(/^E_INVALID_INPUT: extra_http_headers\.X-Ok: value holds a control character/);
      const tiny = await call(client, 'session_start', { viewport_width: 10, viewport_height: 800 });
      expect(tiny.text).toMatch(/^E_INVALID_INPUT: session_start: viewport_width must be at least 100, got a number 10\./);
      const huge = await call(client, 'session_start', { viewport_width: 1280, viewport_height: 100_000 });
      expect(huge.text).toMatch(/^E_INVALID_INPUT: session_start: viewport_height must be at most 4320, got a number 100000\./);
      const half = await call(client, 'session_start', { viewport_width: 1280 });
      expect(half.text).toMatch(/^E_INVALID_INPUT: session_start: viewport_height: viewport_width and viewport_height must be set together/);
      const list = await call(client, 'session_list', { only_active: false });
      expect(list.structured['items']).toEqual([]);
      await transport.terminateSession();
      await client.close();
      // The server runs on; the conversation's end must have left no browser of its own.
      await waitFor('no Chromium after the conversation ended', () => chromiumProcesses(http.tag).length, (n) => n === 0, 15_000);
    } finally {
      await http.stop();
    }
  });
});

describe('frames that are slow or never load', () => {
  it('waits a bounded time for a slow web iframe and reads it', async () => {
    pages.setRoute('/slow-frame', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Late frame text</p>'), 1_500);
    });
    const url = pages.setContent('/slow-host', `<h1>Host</h1><iframe src="${pages.url('/slow-frame')}"></iframe>`);
    const id = await startSession(server.client);
    // goto returns at the host's DOMContentLoaded, before the iframe's document exists.
    await call(server.client, 'step', { session_id: id, type: 'goto', url });
    const seen = await call(server.client, 'observe', { session_id: id });
    expect(seen.text).toContain('Late frame text');
    await call(server.client, 'session_stop', { session_id: id });
  });
});
