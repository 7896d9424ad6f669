import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { chromiumPath, TEST_BROWSER_ARGS } from '../test/fixtures/chromium.js';
import { timed } from './lib.js';
import type { PageRun } from './pageResult.js';
import type { BenchAction, BenchPage } from './pages/index.js';
import { readTokens, textOf } from './tokens.js';

/** The same switches our test browsers get, so both servers load pages under the same conditions. */
const CHROMIUM_ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage', ...TEST_BROWSER_ARGS];

export const PEER_TAG_SWITCH = '--bench-peer-tag';

/** Chromium processes of one peer run, found by the harmless switch it carries. */
export function peerChromium(tag: string): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', `(^| )${PEER_TAG_SWITCH}=${tag}( |$)`], { encoding: 'utf8' });
    return out.split('\n').filter((line) => line.trim() !== '').map(Number).filter((pid) => pid !== process.pid);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/**
 * BENCH_PEER_SETTLE_MS=0 passes --timeout-settle: by default the peer waits 500 ms after every action for
 * triggered work to settle, which dominates its click latency.
 */
function peerArgsFromEnv(): string[] {
  const settle = process.env['BENCH_PEER_SETTLE_MS'];
  return settle === undefined || settle === '' ? [] : ['--timeout-settle', settle];
}

export class PeerServer {
  readonly client: Client;
  readonly tag: string;
  readonly version: string;
  readonly args: readonly string[];
  readonly #dir: string;

  private constructor(client: Client, tag: string, dir: string, version: string, args: readonly string[]) {
    this.client = client;
    this.tag = tag;
    this.#dir = dir;
    this.version = version;
    this.args = args;
  }

  /**
   * @playwright/mcp over stdio. Chromium switches only go through a config file (browser.launchOptions.args);
   * its cwd and output dir are a temp dir, since it writes every navigate/click snapshot to a .yml file there.
   */
  static async start(extraArgs: readonly string[] = peerArgsFromEnv()): Promise<PeerServer> {
    const require = createRequire(import.meta.url);
    // cli.js is not in the package's exports map; package.json is, and cli.js sits beside it.
    const manifest = require.resolve('@playwright/mcp/package.json');
    const cli = join(dirname(manifest), 'cli.js');
    const version = String((require(manifest) as { version?: unknown }).version); // JSON of a package we depend on
    const tag = randomUUID();
    const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'));
    const config = {
      browser: {
        browserName: 'chromium',
        isolated: true,
        launchOptions: { headless: true, executablePath: chromiumPath(), chromiumSandbox: false, args: [...CHROMIUM_ARGS, `${PEER_TAG_SWITCH}=${tag}`] },
      },
      outputDir: join(dir, 'out'),
    };
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(config));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, '--config', configPath, '--headless', '--isolated', '--no-sandbox', '--executable-path', chromiumPath(), '--output-dir', join(dir, 'out'), ...extraArgs],
      cwd: dir,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'bench-peer', version: '1' });
    await client.connect(transport);
    return new PeerServer(client, tag, dir, version, extraArgs);
  }

  async call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    const result = (await this.client.callTool({ name, arguments: args })) as CallToolResult; // we never request task results
    if (result.isError === true) throw new Error(`${name} failed: ${textOf(result).slice(0, 500)}`);
    return result;
  }

  async close(): Promise<void> {
    await this.client.close();
    // The server closes its browser on stdin EOF; give it a moment, then make sure nothing of ours is left.
    const deadline = Date.now() + 5000;
    while (peerChromium(this.tag).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const pid of peerChromium(this.tag)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

interface SnapshotLine {
  role: string;
  name: string;
  ref: string;
  raw: string;
}

function parseLine(raw: string): SnapshotLine | undefined {
  const match = /^\s*- ([\w-]+)(?: "((?:[^"\\]|\\.)*)")?[^\n]*?\[ref=([\w-]+)\]/.exec(raw);
  if (match === null) return undefined;
  return { role: match[1] ?? '', name: (match[2] ?? '').replace(/\\(.)/g, '$1'), ref: match[3] ?? '', raw };
}

/**
 * The ref of the element an agent would pick from the aria snapshot: right role, label equal to (or else
 * containing) the wanted one, first after the context text when the label repeats.
 */
export function findRef(snapshot: string, action: BenchAction): string | undefined {
  const lines = snapshot.split('\n');
  const from = action.context === undefined ? 0 : lines.findIndex((line) => line.includes(action.context ?? ''));
  if (from < 0) return undefined;
  const candidates = lines.slice(from).map(parseLine).filter((line): line is SnapshotLine => line !== undefined && line.role === action.role);
  const wanted = action.label.toLowerCase();
  return (candidates.find((line) => line.name.toLowerCase() === wanted) ?? candidates.find((line) => line.name.toLowerCase().includes(wanted)))?.ref;
}

function actionCall(action: BenchAction, ref: string): { name: string; args: Record<string, unknown> } {
  const element = `${action.role} "${action.label}"`;
  switch (action.kind) {
    case 'click':
      return { name: 'browser_click', args: { element, target: ref } };
    case 'fill':
      return { name: 'browser_type', args: { element, target: ref, text: action.value ?? '' } };
    case 'select':
      return { name: 'browser_select_option', args: { element, target: ref, values: [action.value ?? ''] } };
  }
}

/** One page through @playwright/mcp: navigate, snapshot (what the agent reads), act by ref, check the status line. */
export async function peerRun(peer: PeerServer, page: BenchPage, url: string, rounds: number): Promise<PageRun> {
  const run: PageRun = { page: page.name, observeMs: [], observeTokens: 0, observeCalls: 1, stepMs: [], stepTokens: 0, taskTokens: 0, success: false, note: '' };
  const navigated = await peer.call('browser_navigate', { url });
  run.taskTokens += readTokens(navigated);
  let snapshot = '';
  for (let i = 0; i < rounds; i += 1) {
    const { ms, value } = await timed(() => peer.call('browser_snapshot', {}));
    run.observeMs.push(ms);
    snapshot = textOf(value);
    run.observeTokens = readTokens(value);
  }
  run.taskTokens += run.observeTokens;
  const refs: string[] = [];
  for (const [index, action] of page.task.actions.entries()) {
    const ref = findRef(snapshot, action);
    if (ref === undefined) {
      run.note = `no ref for ${action.role} "${action.label}"`;
      return run;
    }
    refs.push(ref);
    const { name, args } = actionCall(action, ref);
    const { ms, value } = await timed(() => peer.call(name, args));
    run.taskTokens += readTokens(value);
    if (index === page.task.repeatable) {
      run.stepMs.push(ms);
      run.stepTokens = readTokens(value);
    }
  }
  const repeat = page.task.actions[page.task.repeatable];
  const repeatRef = refs[page.task.repeatable];
  if (repeat !== undefined && repeatRef !== undefined) {
    const { name, args } = actionCall(repeat, repeatRef);
    for (let i = 1; i < rounds; i += 1) run.stepMs.push((await timed(() => peer.call(name, args))).ms);
  }
  const status = await peer.call('browser_evaluate', { function: "() => document.getElementById('status').textContent" });
  run.success = textOf(status).includes(page.task.expect);
  if (!run.success) run.note = `status: ${textOf(status).slice(0, 120)}`;
  return run;
}
