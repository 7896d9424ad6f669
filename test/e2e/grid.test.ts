import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../fixtures/faultProxy.js';
import { startGrid } from '../fixtures/grid.js';
import type { Grid } from '../fixtures/grid.js';
import { PageServer } from '../fixtures/pageServer.js';
import { driveForm } from './formFlow.js';
import { call, chromiumProcesses, startHttpServer, startSession, startStdio, waitFor } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let grid: Grid;
let server: StdioServer;

beforeAll(async () => {
  pages = await PageServer.start();
  grid = await startGrid(2);
  // One "minute" is 3 s here, so the idle-timeout exit path runs in seconds.
  server = await startStdio(['--selenium-grid', grid.url, '--minute-ms', '3000']);
}, 120_000);

afterAll(async () => {
  await server.close();
  await server.exited;
  await grid.stop();
  await pages.close();
});

/** The Grid browser's own process, not its renderers and helpers (those carry --type=). */
function browserProcess(tag: string): number | undefined {
  return chromiumProcesses(tag).find((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type='));
}

/** What the page in the session's tab reports about its window. */
async function windowOf(id: string): Promise<{ width: number; height: number; userAgent: string }> {
  const code = 'JSON.stringify({ width: innerWidth, height: innerHeight, userAgent: navigator.userAgent })';
  const result = await call(server.client, 'step', { session_id: id, type: 'evaluate_js', code });
  expect(result.structured['success'], result.text).toBe(true);
  const data = result.structured['data'] as { markdown: string }; // the step output schema's DataSpace
  return JSON.parse(data.markdown) as { width: number; height: number; userAgent: string }; // written by the script above
}

const slotsFree = (): Promise<number> => waitFor('the Grid slot to be free', () => grid.busySlots(), (busy) => busy === 0, 20_000);

describe('Selenium Grid 4 as the engine (--selenium-grid)', () => {
  it('runs a session end to end through a Grid session, and DELETEs it on session_stop', async () => {
    expect(await grid.busySlots()).toBe(0);
    const started = await call(server.client, 'session_start', { viewport_width: 1000, viewport_height: 700, chrome_args: ['--lang=de-DE'] });
    expect(started.isError, started.text).toBe(false);
    expect(String(started.structured['cdp_url'])).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/session/[0-9a-f]+/se/cdp$`));
    expect(await grid.busySlots()).toBe(1);
    const id = String(started.structured['session_id']);
    // What the Grid's browser really has, read in its page: the session's viewport, and headless (the default).
    const window = await windowOf(id);
    expect({ width: window.width, height: window.height }).toEqual({ width: 1000, height: 700 });
    expect(window.userAgent).toContain('HeadlessChrome');
    // And what the capabilities carried, read off the browser's command line: headless, the window size, the
    // session's chrome_args, and the server's --browser-arg switches (the test tag among them).
    const pid = browserProcess(server.tag);
    expect(pid).toBeDefined();
    const switches = readFileSync(`/proc/${pid ?? 0}/cmdline`, 'utf8').split('\0');
    expect(switches).toEqual(expect.arrayContaining(['--headless=new', '--window-size=1000,700', '--lang=de-DE', `--bsm-test-tag=${server.tag}`]));
    await driveForm(server.client, pages, id);
    const stopped = await call(server.client, 'session_stop', { session_id: id });
    expect(stopped.structured['status']).toBe('closed');
    await slotsFree();
    await waitFor('the Grid browser to exit', () => chromiumProcesses(server.tag).length, (count) => count === 0, 20_000);
  });

  it('frees the Grid slot when the session times out idle', async () => {
    const id = await startSession(server.client, { idle_timeout_minutes: 1 });
    expect(await grid.busySlots()).toBe(1);
    const status = await waitFor('the idle timeout', async () => (await call(server.client, 'session_status', { session_id: id })).structured, (s) => s['status'] === 'timed_out', 30_000);
    expect(status['close_reason']).toBe('idle_timeout');
    await slotsFree();
  });

  it('frees the Grid slot when the HTTP conversation ends, and when the server shuts down', async () => {
    const http = await startHttpServer(['--selenium-grid', grid.url]);
    try {
      const leaver = await http.connect();
      await startSession(leaver.client);
      expect(await grid.busySlots()).toBe(1);
      await leaver.transport.terminateSession(); // the DELETE that ends the conversation
      await slotsFree();
      const stayer = await http.connect();
      await startSession(stayer.client);
      expect(await grid.busySlots()).toBe(1);
    } finally {
      await http.stop(); // SIGTERM: the shutdown path
    }
    await slotsFree();
  });

  it('turns the session error when its Grid browser dies, deletes the Grid session, and the next one works', async () => {
    const id = await startSession(server.client, { idle_timeout_minutes: 10 });
    const main = browserProcess(server.tag);
    expect(main).toBeDefined();
    process.kill(main ?? 0, 'SIGKILL');
    const status = await waitFor('the session to turn error', async () => (await call(server.client, 'session_status', { session_id: id })).structured, (s) => s['status'] === 'error', 40_000);
    expect(String(status['error'])).toMatch(/Grid browser .* went away/);
    await slotsFree();
    const next = await startSession(server.client);
    await driveForm(server.client, pages, next);
    await call(server.client, 'session_stop', { session_id: next });
    await slotsFree();
  });

  it('turns the session error when the Grid ends its session (DELETE from outside)', async () => {
    const started = await call(server.client, 'session_start', { idle_timeout_minutes: 10 });
    const id = String(started.structured['session_id']);
    const gridSession = /\/session\/([0-9a-f]+)\/se\/cdp$/.exec(String(started.structured['cdp_url']))?.[1];
    expect(gridSession).toBeDefined();
    await fetch(`${grid.url}/session/${gridSession ?? ''}`, { method: 'DELETE' });
    const status = await waitFor('the session to turn error', async () => (await call(server.client, 'session_status', { session_id: id })).structured, (s) => s['status'] === 'error', 40_000);
    expect(String(status['error'])).toMatch(/Grid browser .* went away|Grid ended its session/);
    await slotsFree();
  });

  it('DELETEs the Grid session when the start is given up while the Grid is still creating it', async () => {
    // Through a proxy, as a Grid behind a load balancer is: the Grid never sees the server drop its request.
    const front = await FaultProxy.start(grid.url);
    // A one-second start limit: the Grid is still launching Chrome when the start gives up.
    const hasty = await startStdio(['--selenium-grid', front.origin, '--start-timeout', '1']);
    try {
      const result = await call(hasty.client, 'session_start');
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^E_START_TIMEOUT: /);
      await waitFor('the late Grid session to be deleted', () => front.count('DELETE', /^\/session\/[0-9a-f]+$/), (count) => count === 1, 30_000);
      expect(front.count('POST', /^\/session$/)).toBe(1);
      // Well inside the Grid's own --session-timeout (60 s here): our DELETE freed the slot, not the Grid's clock.
      await slotsFree();
      await waitFor('the Grid browser to exit', () => chromiumProcesses(hasty.tag).length, (count) => count === 0, 20_000);
    } finally {
      await hasty.close();
      await hasty.exited;
      await front.close();
    }
  }, 90_000);

  it('answers a Grid that is not there with E_BACKEND_UNAVAILABLE and the flag to check', async () => {
    const lonely = await startStdio(['--selenium-grid', 'http://127.0.0.1:9']);
    try {
      const result = await call(lonely.client, 'session_start');
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^E_BACKEND_UNAVAILABLE: The Selenium Grid at http:\/\/127\.0\.0\.1:9\/ could not be reached.*--selenium-grid/);
    } finally {
      await lonely.close();
      await lonely.exited;
    }
  });
});
