import { PageServer } from '../test/fixtures/pageServer.js';
import { runChaos } from '../test/e2e/chaosRun.js';
import type { ChaosFigures } from '../test/e2e/chaosRun.js';
import { startHttpServer } from '../test/e2e/harness.js';
import type { HttpServer } from '../test/e2e/harness.js';
import { runLoad } from '../test/e2e/loadRun.js';
import type { LoadFigures } from '../test/e2e/loadRun.js';

/**
 * npm run soak: the reliability run, loopback only, bounded in count and time. 16 HTTP clients × 20 observe+step
 * rounds on one server, the server's heap before and after (node --expose-gc), two more short load cycles to
 * see the heap settle, then chaos: kill -9 of browser, client and server, and 100 random connect/start/observe/
 * abrupt-disconnect cycles. Exits 1 on any lost operation, wrong answer or Chromium process left.
 */
const DEADLINE_MS = 20 * 60_000;

export interface SoakOptions {
  clients: number;
  rounds: number;
  cycles: number;
}

export interface SoakFigures {
  load: LoadFigures;
  heapMb: { idle: number; afterLoad: number[] };
  chaos: ChaosFigures;
}

async function heapMb(server: HttpServer): Promise<number> {
  // Two collections: the first may only schedule finalizers that free more.
  await fetch(`${server.origin}/healthz?gc=1`);
  const res = await fetch(`${server.origin}/healthz?gc=1`);
  const body = (await res.json()) as { heap_used_bytes: number };
  return body.heap_used_bytes / 1024 / 1024;
}

export async function soak(options: SoakOptions): Promise<SoakFigures> {
  const pages = await PageServer.start();
  try {
    const server = await startHttpServer([], ['--expose-gc']);
    let load: LoadFigures;
    const afterLoad: number[] = [];
    let idle: number;
    try {
      // Idle: after one session has loaded playwright-core and launched the browser, as any busy server has.
      const warm = await runLoad(server, pages, 1, 1);
      if (warm.failures.length > 0) throw new Error(`warm-up failed: ${warm.failures.join('; ')}`);
      idle = await heapMb(server);
      load = await runLoad(server, pages, options.clients, options.rounds);
      afterLoad.push(await heapMb(server));
      for (let i = 0; i < 2; i += 1) {
        const again = await runLoad(server, pages, options.clients, 2);
        load.failures.push(...again.failures);
        load.transportErrors += again.transportErrors;
        load.wrongAnswers += again.wrongAnswers;
        afterLoad.push(await heapMb(server));
      }
    } finally {
      await server.stop();
    }
    const chaos = await runChaos(pages, options.cycles);
    return { load, heapMb: { idle, afterLoad }, chaos };
  } finally {
    await pages.close();
  }
}

function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function soakReport(f: SoakFigures): string {
  const ms = (v: number): string => `${Math.round(v)} ms`;
  return [
    `load: ${f.load.clients} clients × ${f.load.rounds} rounds, ${f.load.ops} operations in ${(f.load.wallMs / 1000).toFixed(1)} s (${(f.load.ops / (f.load.wallMs / 1000)).toFixed(1)} ops/s)`,
    `  transport errors ${f.load.transportErrors}, wrong answers ${f.load.wrongAnswers}`,
    `  session_start median ${ms(pct(f.load.startMs, 50))}, p95 ${ms(pct(f.load.startMs, 95))}; op median ${ms(pct(f.load.opMs, 50))}, p95 ${ms(pct(f.load.opMs, 95))}`,
    `heap: idle ${f.heapMb.idle.toFixed(1)} MB, after the clients left ${f.heapMb.afterLoad.map((mb) => `${mb.toFixed(1)} MB`).join(', ')}`,
    `chaos: ${f.chaos.cycles} random cycles, ${f.chaos.failures.length} failures; live Chromium left: ${Object.entries(f.chaos.leftAfter).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ...[...f.load.failures, ...f.chaos.failures].slice(0, 20).map((line) => `  ! ${line}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const timer = setTimeout(() => {
    console.error(`soak: over ${DEADLINE_MS / 60_000} min, giving up`);
    process.exit(1);
  }, DEADLINE_MS);
  timer.unref();
  const figures = await soak({ clients: 16, rounds: 20, cycles: 100 });
  console.log(soakReport(figures));
  const left = Object.values(figures.chaos.leftAfter).reduce((a, b) => a + b, 0);
  const bad = figures.load.transportErrors + figures.load.wrongAnswers + figures.chaos.failures.length + left;
  process.exit(bad === 0 ? 0 : 1);
}

if (process.argv[1]?.endsWith('soak.js') === true) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
