import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { PageServer } from '../test/fixtures/pageServer.js';
import { call, startSession, startStdio } from '../test/e2e/harness.js';
import { fmt, median, table, timed } from './lib.js';

/** A page that leaves what a logged-in site leaves: a cookie and some localStorage. */
const PAGE = `<!doctype html><title>State</title><h1>State bench</h1><script>
  document.cookie = 'sid=abc123; path=/; max-age=3600';
  for (let i = 0; i < 50; i += 1) localStorage.setItem('k' + i, 'v'.repeat(200));
</script>`;

export interface StateFigures {
  plainStartMs: number;
  profileStartMs: number;
  plainStopMs: number;
  persistStopMs: number;
  cookiesSetMs: number;
  cookiesGetMs: number;
}

async function stopTimed(client: Client, id: string): Promise<number> {
  return (await timed(() => call(client, 'session_stop', { session_id: id }))).ms;
}

/** What profiles and cookies add to a session: start with a saved profile, stop that saves it, 100 cookies in and out. */
export async function benchState(rounds = 5): Promise<StateFigures> {
  const pages = await PageServer.start();
  const url = pages.setContent('/state', PAGE);
  const dataDir = mkdtempSync(join(tmpdir(), 'bsm-bench-state-'));
  const server = await startStdio(['--caps', 'all', '--data-dir', dataDir]);
  const figures = { plainStart: [] as number[], profileStart: [] as number[], plainStop: [] as number[], persistStop: [] as number[], cookiesSet: [] as number[], cookiesGet: [] as number[] };
  const profile = { id: 'bench', persist: true };
  try {
    // The profile exists (and the browser is warm) before anything is timed.
    const first = await startSession(server.client, { url, profile });
    await call(server.client, 'session_stop', { session_id: first });
    const cookies = Array.from({ length: 100 }, (_, i) => ({ name: `c${i}`, value: 'x'.repeat(40), url: pages.url('/') }));
    for (let round = 0; round < rounds; round += 1) {
      const plain = await timed(() => startSession(server.client, { url }));
      figures.plainStart.push(plain.ms);
      figures.cookiesSet.push((await timed(() => call(server.client, 'session_cookies_set', { session_id: plain.value, cookies }))).ms);
      figures.cookiesGet.push((await timed(() => call(server.client, 'session_cookies_get', { session_id: plain.value }))).ms);
      figures.plainStop.push(await stopTimed(server.client, plain.value));
      const loaded = await timed(() => startSession(server.client, { url, profile }));
      figures.profileStart.push(loaded.ms);
      figures.persistStop.push(await stopTimed(server.client, loaded.value));
    }
  } finally {
    await server.close();
    await server.exited; // its profile saves are done before the folder goes
    await pages.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    plainStartMs: median(figures.plainStart),
    profileStartMs: median(figures.profileStart),
    plainStopMs: median(figures.plainStop),
    persistStopMs: median(figures.persistStop),
    cookiesSetMs: median(figures.cookiesSet),
    cookiesGetMs: median(figures.cookiesGet),
  };
}

export function stateTable(f: StateFigures): string {
  return table(
    ['figure (session_start with url, medians)', 'ms'],
    [
      ['session_start, no profile', fmt(f.plainStartMs)],
      ['session_start, profile loaded (1 cookie, 50 localStorage entries)', fmt(f.profileStartMs)],
      ['session_stop, no profile', fmt(f.plainStopMs)],
      ['session_stop, profile saved (write + rename)', fmt(f.persistStopMs)],
      ['session_cookies_set, 100 cookies', fmt(f.cookiesSetMs)],
      ['session_cookies_get, all', fmt(f.cookiesGetMs)],
    ],
  );
}
