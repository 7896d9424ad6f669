import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PageServer } from '../test/fixtures/pageServer.js';
import { serverArgs } from '../test/e2e/harness.js';
import { fmt, median, table, timed, treeMb } from './lib.js';

async function connect(): Promise<{ client: Client; pid: number }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: serverArgs('bench-startup', ['--max-sessions-per-client', '16']), stderr: 'ignore' });
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(transport);
  if (transport.pid === null) throw new Error('server did not start');
  return { client, pid: transport.pid };
}

async function start(client: Client, url?: string): Promise<string> {
  const result = (await client.callTool({ name: 'session_start', arguments: url === undefined ? {} : { url } })) as CallToolResult; // no task requests here
  const id = result.structuredContent?.['session_id'];
  if (result.isError === true || typeof id !== 'string') throw new Error(`session_start failed: ${JSON.stringify(result.content)}`);
  return id;
}

export interface StartupFigures {
  coldToToolsListMs: number;
  coldSessionStartMs: number;
  warmSessionStartMs: number;
  mbPerExtraSession: number;
}

/** Cold start to the first tools/list, cold and warm session_start, and memory per extra session. */
export async function benchStartup(rounds = 5): Promise<StartupFigures> {
  const coldList: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const { ms, value } = await timed(async () => {
      const connected = await connect();
      await connected.client.listTools();
      return connected;
    });
    coldList.push(ms);
    await value.client.close();
  }

  const pages = await PageServer.start();
  const url = pages.setContent('/mem', `<h1>Memory probe</h1>${'<p>Some text for a realistic small page.</p>'.repeat(50)}`);
  const { client, pid } = await connect();
  const cold = await timed(() => start(client));
  const warm: number[] = [];
  const warmIds: string[] = [];
  for (let i = 0; i < rounds; i += 1) {
    // An agent works between two starts; back to back, no start finds its spare ready.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { ms, value } = await timed(() => start(client));
    warm.push(ms);
    warmIds.push(value);
  }
  for (const id of [cold.value, ...warmIds]) await client.callTool({ name: 'session_stop', arguments: { session_id: id } });

  const base = await start(client, url);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const before = treeMb(pid);
  const extra = 4;
  const extraIds: string[] = [];
  for (let i = 0; i < extra; i += 1) extraIds.push(await start(client, url));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const after = treeMb(pid);
  for (const id of [base, ...extraIds]) await client.callTool({ name: 'session_stop', arguments: { session_id: id } });
  await client.close();
  await pages.close();
  return { coldToToolsListMs: median(coldList), coldSessionStartMs: cold.ms, warmSessionStartMs: median(warm), mbPerExtraSession: (after - before) / extra };
}

export function startupTable(figures: StartupFigures): string {
  return table(
    ['measure', 'value'],
    [
      ['cold start → first tools/list (median)', `${fmt(figures.coldToToolsListMs)} ms`],
      ['first session_start (browser launch)', `${fmt(figures.coldSessionStartMs)} ms`],
      ['warm session_start (median)', `${fmt(figures.warmSessionStartMs)} ms`],
      ['memory per extra session (PSS, small page)', `${fmt(figures.mbPerExtraSession, 1)} MB`],
    ],
  );
}
