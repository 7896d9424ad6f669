import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const slotsFree = (): Promise<number> => waitFor('the Grid slot to be free', () => grid.busySlots(), (busy) => busy === 0, 20_000);

describe('Selenium Grid 4 as the engine (--selenium-grid)', () => {
  it('runs a session end to end through a Grid session, and DELETEs it on session_stop', async () => {
    expect(await grid.busySlots()).toBe(0);
    const started = await call(server.client, 'session_start', { viewport_width: 1000, viewport_height: 700 });
    expect(started.isError, started.text).toBe(false);
    expect(String(started.structured['cdp_url'])).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/session/[0-9a-f]+/se/cdp$`));
    expect(started.structured).toMatchObject({ viewport_width: 1000, viewport_height: 700 });
    expect(await grid.busySlots()).toBe(1);
    // The Grid's browser carries the server's --browser-arg switches (the test tag among them).
    expect(chromiumProcesses(server.tag).length).toBeGreaterThan(0);
    const id = String(started.structured['session_id']);
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
    // The browser process itself, not its renderers and helpers (those carry --type=).
    const main = chromiumProcesses(server.tag).find((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type='));
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
