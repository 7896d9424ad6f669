import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startCdpBrowser } from '../test/fixtures/cdpBrowser.js';
import { startGrid } from '../test/fixtures/grid.js';
import { PageServer } from '../test/fixtures/pageServer.js';
import { call, startStdio } from '../test/e2e/harness.js';
import { fmt, median, percentile, table, timed } from './lib.js';

const PAGE = '<!doctype html><title>Bench</title><h1>Remote bench</h1><label>Name <input name="n"></label><button>Go</button>';

export interface BackendFigures {
  backend: string;
  startMs: number;
  roundMs: number;
}

export interface RemoteFigures {
  backends: BackendFigures[];
  concurrent: { sessions: number; wallMs: number; startP50Ms: number; startMaxMs: number; failures: number; firstFailure: string };
}

/**
 * Between session_start and the round, as a model thinks before its first call. Without it the local round also
 * paid for the next start: the local driver builds a spare context and tab 500 ms after a start takes one, which
 * landed in this round's step (821 ms against cdp_url's 380 ms), while cdp_url pays for its context inside its start.
 */
const THINK_MS = 1_500;

/** session_start, then one observe + step (fill) round, then stop: the timings a backend adds. */
async function session(client: Client, url: string, extra: Record<string, unknown>, thinkMs = THINK_MS): Promise<{ startMs: number; roundMs: number }> {
  const started = await timed(() => call(client, 'session_start', extra));
  if (started.value.isError) throw new Error(`session_start failed: ${started.value.text}`);
  const id = started.value.structured['session_id'];
  await new Promise((resolve) => setTimeout(resolve, thinkMs));
  const round = await timed(async () => {
    const seen = await call(client, 'observe', { session_id: id, url });
    if (seen.isError) throw new Error(`observe failed: ${seen.text}`);
    const stepped = await call(client, 'step', { session_id: id, type: 'fill', id: 'I1', value: 'x' });
    if (stepped.structured['success'] !== true) throw new Error(`step failed: ${stepped.text}`);
  });
  await call(client, 'session_stop', { session_id: id });
  return { startMs: started.ms, roundMs: round.ms };
}

async function measure(backend: string, client: Client, url: string, extra: Record<string, unknown>, rounds: number): Promise<BackendFigures> {
  const figures = [];
  for (let i = 0; i < rounds; i += 1) figures.push(await session(client, url, extra));
  return { backend, startMs: median(figures.map((f) => f.startMs)), roundMs: median(figures.map((f) => f.roundMs)) };
}

/** Local, cdp_url and Grid starts and rounds (median of `rounds`), and 8 sessions at once through the Grid. */
export async function benchRemote(rounds = 3, concurrency = 8): Promise<RemoteFigures> {
  const pages = await PageServer.start();
  const url = pages.setContent('/bench', PAGE);
  const backends: BackendFigures[] = [];
  const local = await startStdio();
  const remote = await startCdpBrowser(randomUUID());
  try {
    await session(local.client, url, {}); // the first launch is the startup bench's business, not this one's
    backends.push(await measure('local', local.client, url, {}, rounds));
    backends.push(await measure('cdp_url (ws, browser on 127.0.0.1)', local.client, url, { cdp_url: remote.wsUrl }, rounds));
  } finally {
    await local.close();
    await local.exited;
    await remote.close();
  }
  const grid = await startGrid(concurrency);
  const viaGrid = await startStdio(['--selenium-grid', grid.url, '--max-sessions-per-client', String(concurrency)]);
  try {
    backends.push(await measure('Selenium Grid 4 standalone', viaGrid.client, url, {}, rounds));
    const starts: number[] = [];
    let failures = 0;
    let firstFailure = '';
    const wall = await timed(() =>
      Promise.all(
        Array.from({ length: concurrency }, async () => {
          try {
            starts.push((await session(viaGrid.client, url, {}, 0)).startMs);
          } catch (error: unknown) {
            failures += 1;
            firstFailure ||= error instanceof Error ? error.message.slice(0, 200) : String(error);
          }
        }),
      ),
    );
    return { backends, concurrent: { sessions: concurrency, wallMs: wall.ms, startP50Ms: median(starts), startMaxMs: percentile(starts, 100), failures, firstFailure } };
  } finally {
    await viaGrid.close();
    await viaGrid.exited;
    await grid.stop();
    await pages.close();
  }
}

export function remoteTable(figures: RemoteFigures): string {
  const rows = figures.backends.map((b) => [b.backend, `${fmt(b.startMs)} ms`, `${fmt(b.roundMs)} ms`]);
  const c = figures.concurrent;
  return [
    table(['backend', 'session_start (median)', 'observe + step (median)'], rows),
    '',
    table(
      ['Grid concurrency', 'value'],
      [
        ['sessions at once', String(c.sessions)],
        ['wall time, all start → observe → step → stop', `${fmt(c.wallMs)} ms`],
        ['session_start p50 / max', `${fmt(c.startP50Ms)} / ${fmt(c.startMaxMs)} ms`],
        ['failures', c.failures === 0 ? '0' : `${c.failures} (${c.firstFailure})`],
      ],
    ),
  ].join('\n');
}
