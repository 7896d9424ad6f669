import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { PageServer } from '../fixtures/pageServer.js';
import { call, chromiumProcesses, renderers, startHttpServer, waitFor } from './harness.js';
import type { HttpServer } from './harness.js';

/**
 * The chaos half of `npm run soak` and of the soak test: browsers, clients and servers killed with SIGKILL, and
 * random connect / start / observe / abrupt-disconnect cycles. What counts is what is left: live Chromium
 * processes of the server's tag (zombies excluded), which must be none once the server is gone.
 */

/** Tagged Chromium processes that still run (a zombie has exited and only waits for its parent to reap it). */
export function liveChromium(tag: string): number[] {
  return chromiumProcesses(tag).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    } catch {
      return false; // gone meanwhile
    }
  });
}

export interface ChaosFigures {
  cycles: number;
  /** Calls that answered wrong in a cycle (a start, an observe on a live session). */
  failures: string[];
  /** Live tagged Chromium processes after each scenario's server was gone. */
  leftAfter: Record<string, number>;
}

async function gone(server: HttpServer, kill: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (server.process.exitCode === null && server.process.signalCode === null) {
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill(kill);
    await exited;
  }
}

async function settleLeft(tag: string): Promise<number> {
  // Chromium notices its pipe closed and exits on its own; give it time on a loaded machine.
  const left = await waitFor('tagged Chromium to exit', () => liveChromium(tag), (pids) => pids.length === 0, 20_000).catch(() => liveChromium(tag));
  return left.length;
}

function sdkModule(path: string): string {
  return pathToFileURL(createRequire(import.meta.url).resolve(path)).href;
}

/** A client in its own process that starts a session and observes, then is killed mid-conversation. */
async function killedClient(server: HttpServer, url: string): Promise<void> {
  const script = `
    const { Client } = await import(${JSON.stringify(sdkModule('@modelcontextprotocol/sdk/client/index.js'))});
    const { StreamableHTTPClientTransport } = await import(${JSON.stringify(sdkModule('@modelcontextprotocol/sdk/client/streamableHttp.js'))});
    const client = new Client({ name: 'doomed', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(${JSON.stringify(server.url)})));
    const started = await client.callTool({ name: 'session_start', arguments: {} });
    await client.callTool({ name: 'observe', arguments: { session_id: started.structuredContent.session_id, url: ${JSON.stringify(url)} } });
    process.stdout.write('ready\\n');
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the doomed client never got its session')), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function healthz(server: HttpServer): Promise<{ active_sessions: number }> {
  const res = await fetch(`${server.origin}/healthz`);
  return (await res.json()) as { active_sessions: number };
}

/** Kills `what` (the processes `victims` finds) under one live session, then checks the session and the server. */
async function killUnderSession(figures: ChaosFigures, url: string, what: string, victims: (tag: string) => number[], key: string): Promise<void> {
  const server = await startHttpServer(['--client-timeout', '10']);
  const { client } = await server.connect();
  const first = await call(client, 'session_start', {});
  if (first.isError) figures.failures.push(`${what} kill: start failed: ${first.text.slice(0, 160)}`);
  const id = String(first.structured['session_id']);
  await call(client, 'observe', { session_id: id, url });
  const pids = victims(server.tag);
  if (pids.length === 0) figures.failures.push(`${what} kill: nothing found to kill`);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  const ended = await waitFor(`the session to see its ${what} die`, async () => (await call(client, 'session_status', { session_id: id })).structured, (s) => s['status'] !== 'active', 20_000).catch(() => ({ status: 'active', error: null }));
  if (ended['status'] !== 'error' || typeof ended['error'] !== 'string') figures.failures.push(`${what} kill: session status ${String(ended['status'])}, error ${String(ended['error'])}`);
  const again = await call(client, 'session_start', {});
  const seen = again.isError ? again : await call(client, 'observe', { session_id: String(again.structured['session_id']), url });
  if (seen.isError || !seen.text.includes('Still here')) figures.failures.push(`${what} kill: the next session failed: ${seen.text.slice(0, 160)}`);
  await server.stop();
  figures.leftAfter[key] = await settleLeft(server.tag);
}

/** Kill -9 the browser, a session's renderer, the client, the server; then `cycles` random cycles on one server. */
export async function runChaos(pages: PageServer, cycles: number, seed = 1): Promise<ChaosFigures> {
  const figures: ChaosFigures = { cycles, failures: [], leftAfter: {} };
  const url = pages.setContent('/chaos', '<h1>Chaos</h1><button>Still here</button>');
  let random = seed;
  const next = (n: number): number => {
    random = (random * 1103515245 + 12345) % 2 ** 31;
    return random % n;
  };

  // 1. The browser, then 1b. a session's renderer, killed under a live session: it ends in error with the reason, a
  // new session works, nothing is left.
  await killUnderSession(figures, url, 'browser', liveChromium, 'browser killed');
  await killUnderSession(figures, url, 'renderer', renderers, 'renderer killed');

  // 2. A client killed mid-conversation, and 3. the server itself killed with its sessions open.
  {
    const server = await startHttpServer(['--client-timeout', '8']);
    await killedClient(server, url);
    await waitFor('the dead client’s session to be stopped', () => healthz(server), (h) => h.active_sessions === 0, 30_000).catch((error: unknown) => {
      figures.failures.push(`client kill: ${String(error)}`);
    });
    try {
      const { client } = await server.connect();
      const started = await call(client, 'session_start', {});
      if (started.isError) figures.failures.push(`server kill: start failed: ${started.text.slice(0, 160)}`);
      else await call(client, 'observe', { session_id: String(started.structured['session_id']), url });
    } catch (error: unknown) {
      figures.failures.push(`server kill: ${String(error)}`);
    }
    await gone(server, 'SIGKILL');
    figures.leftAfter['client killed, then server killed'] = await settleLeft(server.tag);
  }

  // 4. Random cycles: connect, start, observe, then a clean end, an abrupt drop, or a drop mid-call.
  {
    const server = await startHttpServer(['--client-timeout', '8']);
    for (let i = 0; i < cycles; i += 1) {
      const connected = await server.connect().catch((error: unknown) => {
        figures.failures.push(`cycle ${i}: connect: ${String(error)}`);
        return undefined;
      });
      if (connected === undefined) continue;
      const { client, transport } = connected;
      const started = await call(client, 'session_start', {}).catch((error: unknown) => ({ isError: true, text: String(error), structured: {} as Record<string, unknown> }));
      if (started.isError) {
        // The server is full of dropped conversations that have not timed out yet: a clear limit, not a failure.
        if (!/E_SESSION_LIMIT/.test(started.text)) figures.failures.push(`cycle ${i}: start: ${started.text.slice(0, 160)}`);
        await transport.terminateSession().catch(() => undefined);
        await client.close();
        continue;
      }
      const id = String(started.structured['session_id']);
      const how = next(3);
      if (how === 2) {
        // Drop while the observe is in flight.
        void call(client, 'observe', { session_id: id, url }).catch(() => undefined);
        await client.close();
        continue;
      }
      const seen = await call(client, 'observe', { session_id: id, url }).catch((error: unknown) => ({ isError: true, text: String(error) }));
      if (seen.isError || !seen.text.includes('Still here')) figures.failures.push(`cycle ${i}: observe: ${seen.text.slice(0, 160)}`);
      if (how === 0) await transport.terminateSession().catch(() => undefined);
      await client.close();
    }
    await waitFor('every dropped conversation to time out', () => healthz(server), (h) => h.active_sessions === 0, 90_000).catch((error: unknown) => {
      figures.failures.push(`cycles: ${String(error)}`);
    });
    await server.stop();
    figures.leftAfter[`${cycles} random cycles`] = await settleLeft(server.tag);
  }
  return figures;
}
