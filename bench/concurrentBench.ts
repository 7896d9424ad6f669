import { errorMessage } from '../src/errors.js';
import { fmt, table } from './lib.js';
import { OurServer, oursTask } from './ours.js';
import { servePages } from './pageBench.js';
import type { PageRun } from './pageResult.js';
import { BENCH_PAGES } from './pages/index.js';
import type { BenchPage } from './pages/index.js';
import { PeerServer, peerRun } from './peer.js';

export interface ServerLoad {
  server: string;
  tasks: number;
  done: number;
  failures: string[];
  wallMs: number;
}

export interface ConcurrentFigures {
  clients: number;
  laps: number;
  ours: ServerLoad;
  peer: ServerLoad;
}

type RunPage = (page: BenchPage, url: string) => Promise<PageRun>;

/**
 * `clients` agents at once, each with a stdio server (and browser) of its own, each doing every bench page's task
 * `laps` times: open the page, read it, act on it, check its status line. The machine is shared by all of them,
 * which is where an action that reports done early, or gives up early, shows.
 */
async function loadOf(server: string, clients: number, laps: number, urls: Map<BenchPage, string>, open: (index: number) => Promise<{ run: RunPage; close: () => Promise<void> }>): Promise<ServerLoad> {
  const load: ServerLoad = { server, tasks: 0, done: 0, failures: [], wallMs: 0 };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, index) => {
      const agent = await open(index);
      try {
        for (let lap = 0; lap < laps; lap += 1) {
          for (const page of BENCH_PAGES) {
            load.tasks += 1;
            try {
              const run = await agent.run(page, urls.get(page) ?? '');
              if (run.success) load.done += 1;
              else load.failures.push(`${page.name}: ${run.note}`);
            } catch (error: unknown) {
              load.failures.push(`${page.name}: ${errorMessage(error).slice(0, 200)}`);
            }
          }
        }
      } finally {
        await agent.close();
      }
    }),
  );
  load.wallMs = performance.now() - started;
  return load;
}

export async function benchConcurrent(clients = 8, laps = 2): Promise<ConcurrentFigures> {
  const { server, urls } = await servePages();
  try {
    const ours = await loadOf('this server', clients, laps, urls, async (index) => {
      const agent = await OurServer.start(`bench-concurrent-${process.pid}-${index}`);
      return { run: async (page, url) => (await oursTask(agent, page, url, 1)).run, close: () => agent.close() };
    });
    const peer = await loadOf('@playwright/mcp', clients, laps, urls, async () => {
      const agent = await PeerServer.start();
      return { run: (page, url) => peerRun(agent, page, url, 1), close: () => agent.close() };
    });
    return { clients, laps, ours, peer };
  } finally {
    await server.close();
  }
}

export function concurrentTable(f: ConcurrentFigures): string {
  const row = (load: ServerLoad): string[] => [load.server, `${load.done} / ${load.tasks}`, String(load.failures.length), `${fmt(load.wallMs / 1000, 1)} s`, load.failures[0] ?? '—'];
  return [
    `${f.clients} stdio clients at once, each with its own server and browser, every bench page's task ${f.laps}×:`,
    '',
    table(['server', 'tasks done', 'failed', 'wall time', 'first failure'], [row(f.ours), row(f.peer)]),
  ].join('\n');
}
