import { PageServer } from '../test/fixtures/pageServer.js';
import { startHttpServer } from '../test/e2e/harness.js';
import { runLoad } from '../test/e2e/loadRun.js';
import type { LoadFigures } from '../test/e2e/loadRun.js';
import { fmt, median, percentile, table } from './lib.js';

/** 16 HTTP clients on one server at once, one session each, 20 observe+step rounds (the workload of npm run soak). */
export async function benchLoad(clients = 16, rounds = 20): Promise<LoadFigures> {
  const pages = await PageServer.start();
  const server = await startHttpServer();
  try {
    return await runLoad(server, pages, clients, rounds);
  } finally {
    await server.stop();
    await pages.close();
  }
}

export function loadTable(f: LoadFigures): string {
  return table(
    ['measure', 'value'],
    [
      ['clients × rounds (observe + step each)', `${f.clients} × ${f.rounds}`],
      ['operations held / all', `${f.ops - f.transportErrors - f.wrongAnswers} / ${f.ops}`],
      ['transport errors', String(f.transportErrors)],
      ['wrong answers (error, failed step, missing static elements)', String(f.wrongAnswers)],
      ['16 starts together: median / p95', `${fmt(median(f.startMs))} / ${fmt(percentile(f.startMs, 95))} ms`],
      ['operation median / p95', `${fmt(median(f.opMs))} / ${fmt(percentile(f.opMs, 95))} ms`],
      ['throughput', `${fmt(f.ops / (f.wallMs / 1000), 1)} ops/s`],
    ],
  );
}
