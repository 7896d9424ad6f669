import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCdpBrowser } from '../fixtures/cdpBrowser.js';
import type { CdpBrowser } from '../fixtures/cdpBrowser.js';
import { startCdpProxy, startSilentEndpoint } from '../fixtures/cdpProxy.js';
import { PageServer } from '../fixtures/pageServer.js';
import { driveForm } from './formFlow.js';
import { CLI, call, chromiumProcesses, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let server: StdioServer;
let remote: CdpBrowser;
/** The test's own connection and tab in the remote browser: both must outlive every session. */
let mine: Browser;
let myTab: Page;

beforeAll(async () => {
  pages = await PageServer.start();
  server = await startStdio();
  remote = await startCdpBrowser(randomUUID());
  mine = await chromium.connectOverCDP(remote.wsUrl);
  const context = mine.contexts()[0];
  if (context === undefined) throw new Error('the remote browser has no default context');
  myTab = await context.newPage();
  await myTab.goto(pages.setContent('/mine', '<title>Mine</title><p>the test tab</p>'));
});

afterAll(async () => {
  await mine.close().catch(() => undefined);
  await remote.close();
  await server.close();
  await server.exited;
  await pages.close();
});

/** The browser context each tab of the remote browser lives in, by URL. */
async function contextsByUrl(): Promise<Map<string, string>> {
  const cdp = await mine.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  await cdp.detach();
  return new Map(targetInfos.filter((target) => target.type === 'page').map((target) => [target.url, target.browserContextId ?? '']));
}

/** Every tab of a CDP browser, whichever connection opened it. */
async function tabUrls(browser: CdpBrowser = remote): Promise<string[]> {
  const targets = (await (await fetch(`${browser.httpUrl}/json/list`)).json()) as { type: string; url: string }[]; // Chromium's /json/list shape
  return targets.filter((target) => target.type === 'page').map((target) => target.url);
}

describe('cdp_url: sessions on a browser someone else runs', () => {
  it('advertises cdp_url, cdp_headers and expose_cdp on session_start', async () => {
    const { tools } = await server.client.listTools();
    const props = tools.find((tool) => tool.name === 'session_start')?.inputSchema.properties ?? {};
    for (const field of ['cdp_url', 'cdp_headers', 'expose_cdp']) expect(props, field).toHaveProperty(field);
  });

  it('attaches by ws, runs observe/step/scrape in a context of its own, and leaves the browser and its tab alive', async () => {
    const started = await call(server.client, 'session_start', { cdp_url: remote.wsUrl });
    expect(started.isError, started.text).toBe(false);
    expect(started.structured['cdp_url']).toBe(remote.wsUrl);
    const id = String(started.structured['session_id']);
    await driveForm(server.client, pages, id);
    expect(await tabUrls()).toContain(pages.url('/form'));
    // A context of its own: the session's tab and the test's tab sit in different browser contexts.
    const cdp = await mine.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    await cdp.detach();
    const contextOf = (url: string): string | undefined => targetInfos.find((target) => target.url === url)?.browserContextId;
    expect(contextOf(pages.url('/form'))).toBeDefined();
    expect(contextOf(pages.url('/form'))).not.toBe(contextOf(pages.url('/mine')));
    const stopped = await call(server.client, 'session_stop', { session_id: id });
    expect(stopped.structured['status']).toBe('closed');
    expect(mine.isConnected()).toBe(true);
    expect(await myTab.evaluate(() => document.body.innerText)).toContain('the test tab');
    await waitFor('the session tab to be gone', () => tabUrls(), (urls) => !urls.includes(pages.url('/form')));
    expect(await tabUrls()).toContain(pages.url('/mine'));
  });

  it('attaches by http (resolved through /json/version) and masks credentials in the echo', async () => {
    const withUser = remote.httpUrl.replace('http://', 'http://agent:s3cret@');
    const started = await call(server.client, 'session_start', { cdp_url: `${withUser}/?token=abc123`, cdp_headers: { 'x-provider-token': 'abc123' } });
    expect(started.isError, started.text).toBe(false);
    const echoed = String(started.structured['cdp_url']);
    expect(echoed).not.toContain('s3cret');
    expect(echoed).not.toContain('abc123');
    expect(echoed).toContain('***');
    const id = String(started.structured['session_id']);
    await driveForm(server.client, pages, id);
    await call(server.client, 'session_stop', { session_id: id });
    expect(await myTab.evaluate(() => document.body.innerText)).toContain('the test tab');
  });

  it('runs in the default context when the endpoint allows no other, and closes only its own tab at stop', async () => {
    const oneContext = await startCdpProxy(remote.wsUrl, { refuseMethods: ['Target.createBrowserContext'] });
    try {
      const before = (await tabUrls()).sort();
      const started = await call(server.client, 'session_start', { cdp_url: oneContext.wsUrl });
      expect(started.isError, started.text).toBe(false);
      expect(oneContext.seen.refusedMethods).toContain('Target.createBrowserContext');
      const id = String(started.structured['session_id']);
      await driveForm(server.client, pages, id);
      const contexts = await contextsByUrl();
      expect(contexts.get(pages.url('/form'))).toBeDefined();
      expect(contexts.get(pages.url('/form'))).toBe(contexts.get(pages.url('/mine')));
      const stopped = await call(server.client, 'session_stop', { session_id: id });
      expect(stopped.structured['status']).toBe('closed');
      // Exactly the tabs that were there before: the session's own is gone, none of the user's went with it.
      await waitFor('only the user tabs to be left', async () => (await tabUrls()).sort(), (urls) => JSON.stringify(urls) === JSON.stringify(before), 15_000);
      expect(mine.isConnected()).toBe(true);
      expect(mine.contexts()[0]?.pages()).toContain(myTab);
      expect(await myTab.evaluate(() => document.body.innerText)).toContain('the test tab');
    } finally {
      await oneContext.close();
    }
  });

  it('sends cdp_headers to the endpoint, on /json/version and on the WebSocket upgrade', async () => {
    const gate = await startCdpProxy(remote.wsUrl, { requireHeader: { name: 'x-provider-token', value: 'tok-7' } });
    try {
      for (const cdpUrl of [gate.httpUrl, gate.wsUrl]) {
        const refused = await call(server.client, 'session_start', { cdp_url: cdpUrl });
        expect(refused.isError, cdpUrl).toBe(true);
        expect(refused.text, cdpUrl).toMatch(/^E_BACKEND_AUTH: The CDP endpoint .* refused the connection for want of credentials .*401/);
        expect(refused.text).toContain('cdp_headers');
        const wrong = await call(server.client, 'session_start', { cdp_url: cdpUrl, cdp_headers: { 'x-provider-token': 'nope' } });
        expect(wrong.text, cdpUrl).toMatch(/^E_BACKEND_AUTH: /);
        const started = await call(server.client, 'session_start', { cdp_url: cdpUrl, cdp_headers: { 'x-provider-token': 'tok-7' } });
        expect(started.isError, started.text).toBe(false);
        expect(started.text).not.toContain('tok-7');
        const id = String(started.structured['session_id']);
        await driveForm(server.client, pages, id);
        await call(server.client, 'session_stop', { session_id: id });
      }
      const socket = new URL(remote.wsUrl).pathname;
      expect(gate.seen.allowed).toEqual(['GET /json/version', `UPGRADE ${socket}`, `UPGRADE ${socket}`]);
      expect(gate.seen.refused).toEqual(['GET /json/version', 'GET /json/version', `UPGRADE ${socket}`, `UPGRADE ${socket}`]);
    } finally {
      await gate.close();
    }
  });

  it('refuses a scheme other than ws, wss, http and https, naming the field', async () => {
    const result = await call(server.client, 'session_start', { cdp_url: 'ftp://127.0.0.1:9222' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^E_INVALID_INPUT: cdp_url: scheme "ftp:"/);
    expect(result.text).toContain('ws://host:port');
  });

  it('refuses an unreachable endpoint within a bounded time', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo; // listen() on a TCP port answers an AddressInfo
    await new Promise((resolve) => closed.close(resolve));
    for (const url of [`http://127.0.0.1:${port}`, `ws://127.0.0.1:${port}/devtools/browser/x`]) {
      const result = await call(server.client, 'session_start', { cdp_url: url });
      expect(result.isError, url).toBe(true);
      expect(result.text, url).toMatch(/^E_CDP_UNREACHABLE: The CDP endpoint .* could not be reached/);
      expect(result.text).toContain('session_start');
    }
  });

  it('refuses an endpoint that accepts the connection but never answers, naming the bound', async () => {
    const silent = await startSilentEndpoint();
    try {
      for (const url of [`http://127.0.0.1:${silent.port}`, `ws://127.0.0.1:${silent.port}/devtools/browser/x`]) {
        const result = await call(server.client, 'session_start', { cdp_url: url });
        expect(result.isError, url).toBe(true);
        expect(result.text, url).toMatch(/^E_CDP_UNREACHABLE: The CDP endpoint .* could not be reached \(no answer within 10 s\)/);
        expect(result.text).toContain('session_start');
      }
    } finally {
      await silent.close();
    }
  }, 60_000);

  it('refuses an endpoint that is not CDP', async () => {
    const http = pages.url('/');
    const byHttp = await call(server.client, 'session_start', { cdp_url: http });
    expect(byHttp.text).toMatch(/^E_CDP_NOT_CDP: .* is not a Chrome DevTools Protocol endpoint/);
    const byWs = await call(server.client, 'session_start', { cdp_url: http.replace('http://', 'ws://') });
    expect(byWs.text).toMatch(/^E_CDP_NOT_CDP: /);
  });

  it('turns the session error within seconds when the remote browser dies mid-step, and the server goes on', async () => {
    const doomed = await startCdpBrowser(randomUUID());
    try {
      const id = await startSession(server.client, { cdp_url: doomed.wsUrl });
      const hang = pages.setRoute('/slow', () => undefined); // never answers: the step is in flight when the browser dies
      const inFlight = call(server.client, 'step', { session_id: id, type: 'goto', url: hang });
      await new Promise((resolve) => setTimeout(resolve, 500));
      await doomed.kill();
      const stepped = await inFlight;
      expect(stepped.isError || stepped.structured['success'] === false, stepped.text).toBe(true);
      const status = await waitFor('the session to turn error', async () => (await call(server.client, 'session_status', { session_id: id })).structured, (s) => s['status'] === 'error', 15_000);
      expect(String(status['error'])).toMatch(/remote browser .* went away/);
      // Other sessions (on the other remote browser, and local ones) go on.
      const other = await startSession(server.client, { cdp_url: remote.wsUrl });
      await driveForm(server.client, pages, other);
      await call(server.client, 'session_stop', { session_id: other });
    } finally {
      await doomed.close();
    }
  });
});

describe('operator settings for remote browsers', () => {
  it('--cdp-endpoint sends every session to one remote browser and never hands that endpoint out', async () => {
    const wide = await startStdio(['--cdp-endpoint', remote.httpUrl]);
    try {
      const started = await call(wide.client, 'session_start', { url: pages.setContent('/wide', '<title>Wide</title><p>server-wide</p>') });
      expect(started.isError, started.text).toBe(false);
      expect(started.structured['cdp_url']).toBeNull();
      expect(await tabUrls()).toContain(pages.url('/wide'));
      await call(wide.client, 'session_stop', { session_id: started.structured['session_id'] });
      await waitFor('the session tab to be gone', () => tabUrls(), (urls) => !urls.includes(pages.url('/wide')));
      expect(await tabUrls()).toContain(pages.url('/mine'));
    } finally {
      await wide.close();
      await wide.exited;
    }
  });

  it('takes the server-wide endpoint from BROWSER_SESSION_MCP_CDP_ENDPOINT too', async () => {
    const wide = await startStdio([], undefined, { BROWSER_SESSION_MCP_CDP_ENDPOINT: remote.wsUrl });
    try {
      const started = await call(wide.client, 'session_start', { url: pages.setContent('/from-env', '<title>Env</title><p>from the environment</p>') });
      expect(started.isError, started.text).toBe(false);
      expect(started.structured['cdp_url']).toBeNull();
      // The page opened in the remote browser, and no Chromium of the server's own was launched.
      expect(await tabUrls()).toContain(pages.url('/from-env'));
      expect(chromiumProcesses(wide.tag)).toEqual([]);
      await call(wide.client, 'session_stop', { session_id: started.structured['session_id'] });
      await waitFor('the session tab to be gone', () => tabUrls(), (urls) => !urls.includes(pages.url('/from-env')));
    } finally {
      await wide.close();
      await wide.exited;
    }
  });

  it('refuses a malformed --cdp-endpoint or --selenium-grid at start-up, in one line naming the flag', () => {
    for (const [flag, value, words] of [['--cdp-endpoint', 'ftp://x', /--cdp-endpoint: scheme "ftp:" is not a CDP endpoint/], ['--selenium-grid', 'ws://grid:4444', /--selenium-grid: .* is a WebSocket; give the Grid's HTTP address/]] as const) {
      const run = spawnSync(process.execPath, [CLI, flag, value], { encoding: 'utf8', input: '' });
      expect(run.status, flag).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(words);
    }
  });

  it('--refuse-cdp-url turns client endpoints off, and --block-private-networks refuses private ones', async () => {
    const refusing = await startStdio(['--refuse-cdp-url']);
    const blocking = await startStdio(['--block-private-networks']);
    try {
      const refused = await call(refusing.client, 'session_start', { cdp_url: remote.wsUrl });
      expect(refused.text).toMatch(/^E_NOT_SUPPORTED: cdp_url: .*--refuse-cdp-url/);
      const blocked = await call(blocking.client, 'session_start', { cdp_url: remote.httpUrl });
      expect(blocked.text).toMatch(/^E_URL_REFUSED: cdp_url: 127\.0\.0\.1 is a loopback or private address/);
    } finally {
      await Promise.all([refusing.close(), blocking.close()]);
      await Promise.all([refusing.exited, blocking.exited]);
    }
  });
});

describe('expose_cdp: a session handed out over its own CDP WebSocket', () => {
  it('gives the session a browser of its own whose cdp_url a user can attach Playwright to, showing no other session', async () => {
    // A plain session of the same server, in its shared local browser, running alongside.
    const neighbour = await startSession(server.client, { url: pages.setContent('/neighbour', '<title>Neighbour page</title><p>another session</p>') });
    const started = await call(server.client, 'session_start', { expose_cdp: true, url: pages.setContent('/agent', '<title>Agent page</title><p>driven by the agent</p>') });
    expect(started.isError, started.text).toBe(false);
    const cdpUrl = String(started.structured['cdp_url']);
    expect(cdpUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/devtools\/browser\//);
    const id = String(started.structured['session_id']);
    const user = await chromium.connectOverCDP(cdpUrl);
    try {
      const seen = await Promise.all(user.contexts().flatMap((context) => context.pages().map(async (page) => `${page.url()} ${await page.title()}`)));
      expect(seen).toContain(`${pages.url('/agent')} /agent`); // the page server titles a page by its path
      // Only this session's browser: neither the neighbour session's page nor the remote browser's test tab is in it.
      for (const other of ['/neighbour', '/mine']) expect(seen.join('\n')).not.toContain(other);
      // The neighbour really is open meanwhile, so its absence above is isolation, not absence.
      const other = await call(server.client, 'observe', { session_id: neighbour });
      expect(other.text).toContain('another session');
    } finally {
      await user.close();
    }
    expect(chromiumProcesses(server.tag).length).toBeGreaterThan(0);
    await call(server.client, 'session_stop', { session_id: id });
    await call(server.client, 'session_stop', { session_id: neighbour });
    // Closed with the session: its WebSocket no longer answers.
    await waitFor('the exposed browser to close', () => chromium.connectOverCDP(cdpUrl, { timeout: 2_000 }).then((b) => b.close().then(() => 'open'), () => 'closed'), (state) => state === 'closed', 15_000);
  });

  it('--expose-cdp gives every session its own exposed browser, each showing only its own page', async () => {
    const exposing = await startStdio(['--expose-cdp']);
    try {
      const urls = [pages.setContent('/first', '<title>First</title>'), pages.setContent('/second', '<title>Second</title>')];
      const started = await Promise.all(urls.map((url) => call(exposing.client, 'session_start', { url })));
      const sockets = started.map((result) => String(result.structured['cdp_url']));
      for (const socket of sockets) expect(socket).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/devtools\/browser\//);
      expect(new Set(sockets.map((socket) => new URL(socket).port)).size).toBe(2);
      for (const [index, socket] of sockets.entries()) {
        const user = await chromium.connectOverCDP(socket);
        try {
          const seen = user.contexts().flatMap((context) => context.pages().map((page) => page.url()));
          expect(seen).toContain(urls[index]);
          expect(seen).not.toContain(urls[1 - index]);
        } finally {
          await user.close();
        }
      }
      for (const result of started) await call(exposing.client, 'session_stop', { session_id: result.structured['session_id'] });
      await waitFor('both exposed browsers to exit', () => chromiumProcesses(exposing.tag).length, (count) => count === 0, 20_000);
    } finally {
      await exposing.close();
      await exposing.exited;
    }
  });
});
