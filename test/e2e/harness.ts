import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { chromiumPath, TEST_BROWSER_ARGS } from '../fixtures/chromium.js';

// This file runs from test/e2e (vitest) and from dist/test/e2e (the bench); both find the package root.
const nearRoot = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = existsSync(join(nearRoot, 'package.json')) ? nearRoot : join(nearRoot, '..');
export const CLI = join(ROOT, 'dist', 'src', 'cli.js');

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does it for you).`);
}

/**
 * Every server a test starts tags its browsers with a switch Chromium ignores, so a test counts exactly its own
 * Chromium processes while other test files run theirs in parallel.
 */
export function serverArgs(tag: string, extra: readonly string[] = []): string[] {
  return [CLI, '--executable-path', chromiumPath(), ...[...TEST_BROWSER_ARGS, `--bsm-test-tag=${tag}`].map((arg) => `--browser-arg=${arg}`), ...extra];
}

/**
 * Chromium processes whose command line carries the tag as a switch of its own. The server's argv holds it too,
 * but glued to `--browser-arg=`, which the leading space in the pattern rules out.
 */
export function chromiumProcesses(tag: string): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', `(^| )--bsm-test-tag=${tag}( |$)`], { encoding: 'utf8' });
    return out.split('\n').filter((line) => line.trim() !== '').map(Number).filter((pid) => pid !== process.pid);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Renderer processes under the server's tagged browsers (renderers do not carry the tag, their ancestor does). */
export function renderers(tag: string): number[] {
  const all = [...chromiumProcesses(tag)];
  for (let i = 0; i < all.length; i += 1) {
    try {
      all.push(...execFileSync('pgrep', ['-P', String(all[i])], { encoding: 'utf8' }).split('\n').filter((line) => line.trim() !== '').map(Number));
    } catch {
      // no children
    }
  }
  return [...new Set(all)].filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer');
    } catch {
      return false; // gone meanwhile
    }
  });
}

export async function waitFor<T>(what: string, probe: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

export interface ToolCall {
  isError: boolean;
  text: string;
  /** The structured object; `{}` when the tool answered with an error. */
  structured: Record<string, unknown>;
  raw: CallToolResult;
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolCall> {
  const raw = (await client.callTool({ name, arguments: args })) as CallToolResult; // callTool's declared union also covers task results, which we never request
  const first = raw.content[0];
  return { isError: raw.isError === true, text: first?.type === 'text' ? first.text : '', structured: raw.structuredContent ?? {}, raw };
}

/** Starts a session and returns its id; fails the test with the tool's own words otherwise. */
export async function startSession(client: Client, args: Record<string, unknown> = {}): Promise<string> {
  const result = await call(client, 'session_start', args);
  if (result.isError) throw new Error(`session_start failed: ${result.text}`);
  const id = result.structured['session_id'];
  if (typeof id !== 'string') throw new Error('session_start returned no session_id');
  return id;
}

export interface StdioServer {
  client: Client;
  tag: string;
  pid: number;
  stderr: () => string;
  /** Resolves with the exit code once the server process is gone. */
  exited: Promise<number | null>;
  close(): Promise<void>;
}

/** `env` adds to the server's environment (the SDK otherwise passes only a safe default set). */
export async function startStdio(extra: readonly string[] = [], clientOptions?: ClientOptions, env: Record<string, string> = {}): Promise<StdioServer> {
  assertBuilt();
  const tag = randomUUID();
  const transport = new StdioClientTransport({ command: process.execPath, args: serverArgs(tag, extra), stderr: 'pipe', env: { ...getDefaultEnvironment(), ...env } });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'e2e-stdio', version: '1.0.0' }, clientOptions);
  await client.connect(transport);
  const pid = transport.pid;
  if (pid === null) throw new Error('the stdio server did not start');
  const exited = new Promise<number | null>((resolve) => {
    const poll = setInterval(() => {
      try {
        process.kill(pid, 0);
      } catch {
        clearInterval(poll);
        resolve(0);
      }
    }, 50);
  });
  return { client, tag, pid, stderr: () => stderr, exited, close: () => client.close() };
}

export interface PipedStdioServer {
  client: Client;
  tag: string;
  child: ChildProcess;
  stderr: () => string;
  /** Ends the server's stdin and nothing else: the EOF a client sends when it goes away. */
  endStdin(): void;
  /** Resolves with the exit code (or the signal's name) once the server process is gone. */
  exited: Promise<number | string | null>;
}

/**
 * A stdio server whose pipes the test holds itself. The SDK's StdioClientTransport.close() follows EOF with SIGTERM
 * after 2 s, so a test of the EOF path alone cannot use it. The SDK's line transport is symmetric: the server-side
 * class over the child's stdout/stdin speaks the client's half just as well.
 */
export async function startPipedStdio(extra: readonly string[] = []): Promise<PipedStdioServer> {
  assertBuilt();
  const tag = randomUUID();
  const child = spawn(process.execPath, serverArgs(tag, extra), { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const { stdin, stdout } = child;
  if (stdin === null || stdout === null) throw new Error('the stdio server has no pipes');
  const client = new Client({ name: 'e2e-piped-stdio', version: '1.0.0' });
  await client.connect(new StdioServerTransport(stdout, stdin));
  return { client, tag, child, stderr: () => stderr, endStdin: () => stdin.end(), exited };
}

export interface HttpServer {
  url: string;
  origin: string;
  tag: string;
  process: ChildProcess;
  stderr: () => string;
  connect(options?: { token?: string; clientOptions?: ClientOptions }): Promise<{ client: Client; transport: StreamableHTTPClientTransport }>;
  stop(): Promise<void>;
}

/** `nodeArgs` go to node itself, before the server's script (e.g. --expose-gc for heap figures); `env` adds to the environment. */
export async function startHttpServer(extra: readonly string[] = [], nodeArgs: readonly string[] = [], env: Record<string, string> = {}): Promise<HttpServer> {
  assertBuilt();
  const tag = randomUUID();
  const child = spawn(process.execPath, [...nodeArgs, ...serverArgs(tag, ['--port', '0', ...extra])], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    // On a loaded machine a start can take long; one that gives up must not leave its server (and browsers) behind.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`HTTP server did not start: ${stderr}`));
    }, 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`HTTP server exited with ${code}: ${stderr}`)));
  });
  const clients: Client[] = [];
  return {
    url,
    origin: new URL(url).origin,
    tag,
    process: child,
    stderr: () => stderr,
    async connect(options = {}) {
      const headers: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
      const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
      const client = new Client({ name: 'e2e-http', version: '1.0.0' }, options.clientOptions);
      await client.connect(transport);
      clients.push(client);
      return { client, transport };
    },
    async stop() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
    },
  };
}
