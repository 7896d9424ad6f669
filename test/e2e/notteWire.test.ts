import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../fixtures/faultProxy.js';
import { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, startHttpServer, startSession, startStdio, waitFor } from './harness.js';
import type { HttpServer, StdioServer } from './harness.js';

const KEY = 'notte-retry-key-8d41c07b2e';
const OBSERVE = /^\/sessions\/[^/]+\/page\/observe$/;
const EXECUTE = /^\/sessions\/[^/]+\/page\/execute$/;
const START = /^\/sessions\/start$/;
const STOP = /^\/sessions\/[^/]+\/stop$/;
const SCRAPE = /^\/sessions\/[^/]+\/page\/scrape$/;

/** The fields of Notte's SessionStartRequest a default session_start sets: the API forbids any other. */
const DEFAULT_START_KEYS = ['auth_ids', 'browser_type', 'headless', 'idle_timeout_minutes', 'max_duration_minutes', 'proxies', 'screenshot_type', 'solve_captchas', 'use_file_storage', 'wait_for_authentication', 'web_bot_auth'];

/**
 * --backend notte when the API is under strain: a real proxy in front of our own REST API answers chosen
 * requests with 429/503, the way Notte's cloud does when it is busy. Reads and stops are retried with backoff;
 * a start or an action, which must not happen twice, is sent once and its failure reported in the API's words.
 */
describe('--backend notte on the wire: what it sends, what it retries', () => {
  let pages: PageServer;
  let api: HttpServer;
  let proxy: FaultProxy;
  let notte: StdioServer;
  let local: StdioServer;
  const seen: string[] = [];

  beforeAll(async () => {
    pages = await PageServer.start();
    pages.setContent('/form', '<h1>Retry</h1><label>Name <input id="name"></label><button>Go</button>');
    pages.setContent('/nav', '<h1>Nav</h1><a href="/form">To the form</a>');
    pages.setRoute('/echo', (req, res) => {
      seen.push(req.headers.cookie ?? '');
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Echo</h1><script>document.cookie = "theme=dark; path=/"</script>');
    });
    api = await startHttpServer(['--rest', '--rest-api-key', KEY]);
    proxy = await FaultProxy.start(api.origin);
    notte = await startStdio(['--caps', 'cookies', '--backend', 'notte', '--notte-api-url', proxy.origin, '--log-level', 'debug'], undefined, { NOTTE_API_KEY: KEY });
    local = await startStdio(['--caps', 'cookies']);
  });

  afterAll(async () => {
    await notte?.close();
    await local?.close();
    await proxy?.close();
    await api?.stop();
    await pages?.close();
    await waitFor('no Chromium of the API server left', () => chromiumProcesses(api.tag).length, (n) => n === 0, 15_000);
  });

  it('retries an observe answered 503 and then 429, and answers as if nothing happened', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    const before = proxy.count('POST', OBSERVE);
    proxy.fail({ method: 'POST', path: OBSERVE, status: 503, times: 1, detail: 'upstream busy' });
    proxy.fail({ method: 'POST', path: OBSERVE, status: 429, times: 1, detail: 'rate limited' });
    const seen = await call(notte.client, 'observe', { session_id: id });
    expect(seen.isError, seen.text).toBe(false);
    expect(seen.text).toContain('Retry');
    expect(proxy.count('POST', OBSERVE) - before).toBe(3);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('gives up after its tries with the API\'s own message', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    const before = proxy.count('POST', OBSERVE);
    proxy.fail({ method: 'POST', path: OBSERVE, status: 503, times: 10, detail: 'cluster on fire' });
    const seen = await call(notte.client, 'observe', { session_id: id });
    expect(seen.isError).toBe(true);
    expect(seen.text).toMatch(/^E_BACKEND_UNAVAILABLE/);
    expect(seen.text).toContain('cluster on fire');
    expect(proxy.count('POST', OBSERVE) - before).toBe(3);
    proxy.clear();
    const healthy = await call(notte.client, 'observe', { session_id: id });
    expect(healthy.isError, healthy.text).toBe(false);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('sends an action once: a 503 on execute is reported, not retried, and the session goes on', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    expect((await call(notte.client, 'observe', { session_id: id })).isError).toBe(false);
    const before = proxy.count('POST', EXECUTE);
    proxy.fail({ method: 'POST', path: EXECUTE, status: 503, times: 1, detail: 'executor restarting' });
    const failed = await call(notte.client, 'step', { session_id: id, type: 'fill', id: 'I1', value: 'Ada' });
    expect(failed.isError).toBe(true);
    expect(failed.text).toMatch(/^E_BACKEND_UNAVAILABLE/);
    expect(failed.text).toContain('executor restarting');
    expect(proxy.count('POST', EXECUTE) - before).toBe(1);
    const again = await call(notte.client, 'step', { session_id: id, type: 'fill', id: 'I1', value: 'Ada' });
    expect(again.structured['success'], again.text).toBe(true);
    expect(proxy.count('POST', EXECUTE) - before).toBe(2);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('sends a start once: a 529 (cluster overloaded) is E_SESSION_LIMIT, and nothing is left running', async () => {
    const before = proxy.count('POST', START);
    proxy.fail({ method: 'POST', path: START, status: 529, times: 1, detail: 'too many sessions' });
    const refused = await call(notte.client, 'session_start', {});
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/^E_SESSION_LIMIT/);
    expect(refused.text).toContain('too many sessions');
    expect(proxy.count('POST', START) - before).toBe(1);
    const listed = await call(notte.client, 'session_list', {});
    expect(listed.structured['items']).toEqual([]);
  });

  it('passes the fields only the cloud honours through to the API, in the body as the API takes them', async () => {
    const before = proxy.seen.length;
    const refused = await call(notte.client, 'session_start', { solve_captchas: true, proxies: 'us', browser_type: 'firefox' });
    const sent = proxy.seen.slice(before).find((entry) => entry.method === 'POST' && START.test(entry.path));
    // A country becomes the proxy list Notte's SDK makes of it: the API itself takes bool or a list.
    expect(JSON.parse(sent?.body ?? '{}')).toMatchObject({ solve_captchas: true, proxies: [{ type: 'notte', country: 'us' }], browser_type: 'firefox' });
    // Our own REST API runs sessions locally and refuses them: the words are the API's, not the MCP server's.
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('Notte API:');
  });

  it('hands out the viewer_url the API gives its session', async () => {
    const started = await call(notte.client, 'session_start', { url: pages.url('/form') });
    expect(started.isError, started.text).toBe(false);
    const viewer = String(started.structured['viewer_url']);
    expect(viewer.startsWith(`${api.origin}/viewer/`)).toBe(true);
    const page = await fetch(viewer);
    expect(page.status).toBe(200);
    await call(notte.client, 'session_stop', { session_id: started.structured['session_id'] });
    expect((await fetch(viewer)).status).toBe(404);
  });

  it('sets, loads and reads cookies through the API, in the same words as a local session, and logs no value', async () => {
    const secret = 'notte-cookie-value-3b9d';
    const echo = pages.url('/echo');
    const startCookies = [{ name: 'boot', value: `${secret}-start`, url: pages.url('/') }];
    const remote = await startSession(notte.client, { cookies: startCookies });
    const here = await startSession(local.client, { cookies: startCookies });
    const toSet = [{ name: 'sid', value: secret, domain: '127.0.0.1', path: '/', httpOnly: true }];
    const [setRemote, setLocal] = [await call(notte.client, 'session_cookies_set', { session_id: remote, cookies: toSet }), await call(local.client, 'session_cookies_set', { session_id: here, cookies: toSet })];
    expect(setRemote.isError, setRemote.text).toBe(false);
    expect(setRemote.text).toBe(setLocal.text);
    expect(proxy.seen.some((entry) => entry.method === 'POST' && /\/cookies$/.test(entry.path) && entry.body.includes('"domain":"127.0.0.1"'))).toBe(true);

    await call(notte.client, 'observe', { session_id: remote, url: echo });
    expect(seen.at(-1)).toContain(`sid=${secret}`);
    expect(seen.at(-1)).toContain(`boot=${secret}-start`);
    await call(local.client, 'observe', { session_id: here, url: echo });

    for (const args of [{}, { urls: [echo] }, { domain: '127.0.0.1' }, { urls: ['https://elsewhere.example/'] }]) {
      const [a, b] = [await call(notte.client, 'session_cookies_get', { session_id: remote, ...args }), await call(local.client, 'session_cookies_get', { session_id: here, ...args })];
      expect(a.isError, a.text).toBe(false);
      const names = (result: typeof a): string[] => (result.structured['cookies'] as Array<{ name: string }>).map((cookie) => cookie.name).sort();
      expect(names(a), JSON.stringify(args)).toEqual(names(b));
    }
    const all = (await call(notte.client, 'session_cookies_get', { session_id: remote })).structured['cookies'] as Array<Record<string, unknown>>;
    expect(all.find((cookie) => cookie['name'] === 'sid')).toMatchObject({ value: secret, domain: '127.0.0.1', path: '/', httpOnly: true, secure: false, sameSite: 'Lax' });
    expect(all.find((cookie) => cookie['name'] === 'theme')).toMatchObject({ value: 'dark' });
    await call(notte.client, 'session_stop', { session_id: remote });
    await call(local.client, 'session_stop', { session_id: here });
    expect(notte.stderr()).not.toContain(secret);
    expect(api.stderr()).not.toContain(secret);
  });

  it('sends a start body of Notte\'s SessionStartRequest fields only, with the timeout under its own name', async () => {
    const before = proxy.seen.length;
    const id = await startSession(notte.client, { url: pages.url('/form'), timeout_minutes: 4, recording: false, cookies: [] });
    const sent = proxy.seen.slice(before).filter((entry) => entry.method === 'POST' && START.test(entry.path));
    expect(sent).toHaveLength(1);
    const body = JSON.parse(sent[0]?.body ?? '{}') as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(DEFAULT_START_KEYS);
    expect(body['idle_timeout_minutes']).toBe(4);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('refuses our own start extensions the cloud cannot honour, naming the field, before asking the API', async () => {
    const before = proxy.count('POST', START);
    for (const [field, value] of [['recording', true], ['expose_cdp', true], ['cdp_headers', { authorization: 'Bearer x' }]] as const) {
      const refused = await call(notte.client, 'session_start', { [field]: value });
      expect(refused.isError).toBe(true);
      expect(refused.text).toMatch(new RegExp(`^E_NOT_SUPPORTED: ${field}: .+ on --backend notte\\. Notte's API has no such field; leave it out and call session_start again\\.$`));
    }
    expect(proxy.count('POST', START) - before).toBe(0);
  });

  it('reads a 200 answer that carries a top-level detail as the API\'s error, as Notte\'s SDK does', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    const before = proxy.count('POST', OBSERVE);
    proxy.fail({ method: 'POST', path: OBSERVE, status: 200, times: 1, body: { detail: 'Session expired while observing' } });
    const failed = await call(notte.client, 'observe', { session_id: id });
    expect(failed.isError).toBe(true);
    expect(failed.text).toMatch(/^E_BACKEND_UNAVAILABLE: Notte API: Session expired while observing The Notte API did not answer well/);
    expect(proxy.count('POST', OBSERVE) - before).toBe(1);
    const healthy = await call(notte.client, 'observe', { session_id: id });
    expect(healthy.isError, healthy.text).toBe(false);
    expect(healthy.text).toContain('Retry');
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('answers a step from the ExecutionResult alone when the API sends no changes, as Notte\'s cloud does', async () => {
    const id = await startSession(notte.client, { url: pages.url('/nav') });
    expect((await call(notte.client, 'observe', { session_id: id })).text).toContain('To the form');
    proxy.rewrite({ method: 'POST', path: EXECUTE, edit: ({ changes: _ours, ...notte }) => notte });
    try {
      const clicked = await call(notte.client, 'step', { session_id: id, type: 'click', id: 'L1' });
      expect(clicked.isError, clicked.text).toBe(false);
      expect(clicked.structured['success']).toBe(true);
      // Nothing is said of the page the click left: not the last observe's URL, not its title.
      expect(clicked.structured['changes']).toBeUndefined();
      expect(clicked.text).toBe(`✓ ${String(clicked.structured['message'])}`);
      const scraped = await call(notte.client, 'scrape', { session_id: id });
      expect(scraped.text.split('\n')[0]).toBe('Scraped the current page');
      expect(scraped.text).toContain('Retry');

      const back = await call(notte.client, 'step', { session_id: id, type: 'goto', url: pages.url('/nav') });
      expect(back.structured['changes']).toBeUndefined();
      expect(back.text).toBe(`✓ ${String(back.structured['message'])}`);
      expect(back.text).not.toContain('→');
      // A goto's result names where it went: that much is known.
      expect((await call(notte.client, 'scrape', { session_id: id })).text.split('\n')[0]).toBe(`Scraped ${pages.url('/nav')}`);
    } finally {
      proxy.clear();
    }
    const seen = await call(notte.client, 'observe', { session_id: id });
    expect(seen.structured['metadata']).toMatchObject({ url: pages.url('/nav') });
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('runs a session\'s calls over one reused connection (undici Pool), not one per request', async () => {
    const id = await startSession(notte.client, { url: pages.url('/form') });
    const before = proxy.seen.length;
    for (let round = 0; round < 3; round += 1) {
      expect((await call(notte.client, 'observe', { session_id: id })).isError).toBe(false);
      expect((await call(notte.client, 'step', { session_id: id, type: 'fill', id: 'I1', value: `Ada ${round}` })).isError).toBe(false);
      expect((await call(notte.client, 'scrape', { session_id: id })).isError).toBe(false);
    }
    const run = proxy.seen.slice(before);
    expect(run.filter((entry) => OBSERVE.test(entry.path) || EXECUTE.test(entry.path) || SCRAPE.test(entry.path))).toHaveLength(9);
    expect(new Set(run.map((entry) => entry.connection)).size).toBe(1);
    await call(notte.client, 'session_stop', { session_id: id });
  });

  it('retries a stop answered 502, and the API session is closed', async () => {
    const id = await startSession(notte.client, {});
    const before = proxy.count('DELETE', STOP);
    proxy.fail({ method: 'DELETE', path: STOP, status: 502, times: 1, detail: 'bad gateway' });
    const stopped = await call(notte.client, 'session_stop', { session_id: id });
    expect(stopped.isError, stopped.text).toBe(false);
    expect(proxy.count('DELETE', STOP) - before).toBe(2);
    const response = await fetch(`${api.origin}/sessions/?only_active=False&page_size=100`, { headers: { authorization: `Bearer ${KEY}` } });
    const body = (await response.json()) as Array<Record<string, unknown>> | { items: Array<Record<string, unknown>> };
    const sessions = Array.isArray(body) ? body : body.items;
    expect(sessions.filter((session) => session['status'] === 'active')).toEqual([]);
  });
});
