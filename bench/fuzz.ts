import { randomUUID } from 'node:crypto';
import { buildCases, runCases } from '../test/fuzz/schemaFuzz.js';
import type { AdvertisedTool } from '../test/fuzz/schemaFuzz.js';
import { call, chromiumProcesses, startHttpServer, startSession, startStdio } from '../test/e2e/harness.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/**
 * npm run fuzz [-- calls [seed]]: the schema fuzzer of test/e2e/fuzz.test.ts at a larger count, over stdio and over
 * HTTP, printing the figures. Exits 1 on any crash, hang or error that does not name its field.
 */
async function fuzz(transport: 'stdio' | 'http', total: number, seed: number): Promise<boolean> {
  let client: Client;
  let tag: string;
  let stop: () => Promise<void>;
  if (transport === 'stdio') {
    const server = await startStdio(['--caps', 'all']);
    client = server.client;
    tag = server.tag;
    stop = async () => {
      await server.close();
      await server.exited;
    };
  } else {
    const server = await startHttpServer(['--caps', 'all']);
    client = (await server.connect()).client;
    tag = server.tag;
    stop = () => server.stop();
  }
  try {
    const sessionId = await startSession(client);
    const { tools } = await client.listTools();
    const advertised: AdvertisedTool[] = tools.map((tool) => ({ name: tool.name, inputSchema: tool.inputSchema as AdvertisedTool['inputSchema'] })); // tools/list gives JSON Schema objects
    const baseFor = (tool: string): Record<string, unknown> => {
      if (tool === 'session_start' || tool === 'session_list') return {};
      if (tool === 'session_stop') return { session_id: randomUUID() };
      if (tool === 'step') return { session_id: sessionId, type: 'scroll_down', amount: 100 };
      return { session_id: sessionId };
    };
    const cases = buildCases(advertised, baseFor, total, seed);
    const started = performance.now();
    const report = await runCases(client, cases, {
      concurrency: 4,
      timeoutMs: 30_000,
      afterAccepted: async (fuzzCase, result) => {
        const id = (result.structuredContent ?? {})['session_id'];
        if (fuzzCase.tool === 'session_start' && typeof id === 'string') await call(client, 'session_stop', { session_id: id });
      },
    });
    const seconds = (performance.now() - started) / 1000;
    await client.ping();
    const alive = (await call(client, 'session_status', { session_id: sessionId })).structured['status'] === 'active';
    console.log(`| ${transport} | ${report.calls} | ${report.errors} | ${report.accepted} | ${report.crashes.length} | ${report.hangs.length} | ${report.unnamed.length} | ${Math.round(report.p95Ms)} | ${Math.round(report.maxMs)} | ${seconds.toFixed(1)} | ${alive ? 'yes' : 'NO'} |`);
    for (const entry of [...report.crashes, ...report.unnamed]) console.log(`  ${entry.case.tool} ${entry.case.kind} [${entry.case.fields.join(',').slice(0, 40)}]: ${entry.text.slice(0, 200)}`);
    for (const hang of report.hangs) console.log(`  hang: ${hang.tool} ${hang.kind} [${hang.fields.join(',').slice(0, 40)}]`);
    return report.crashes.length === 0 && report.hangs.length === 0 && report.unnamed.length === 0 && alive;
  } finally {
    await stop();
    if (chromiumProcesses(tag).length > 0) console.log(`  ${chromiumProcesses(tag).length} Chromium processes left behind`);
  }
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 5_000);
  const seed = Number(process.argv[3] ?? Date.now() % 1_000_000);
  console.log(`## Schema fuzzer (seed ${seed})\n`);
  console.log('| transport | calls | errors | accepted | crashes | hangs | errors not naming the field | p95 ms | max ms | seconds | server alive |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  const ok = (await fuzz('stdio', total, seed)) && (await fuzz('http', total, seed));
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
