import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { chromiumProcesses, serverArgs } from '../test/e2e/harness.js';
import { timed } from './lib.js';
import type { OurObservationDetail, PageRun } from './pageResult.js';
import type { BenchAction, BenchPage } from './pages/index.js';
import { readTokens, textOf, tokens } from './tokens.js';

export class OurServer {
  readonly client: Client;
  readonly tag: string;
  readonly sessionId: string;

  private constructor(client: Client, tag: string, sessionId: string) {
    this.client = client;
    this.tag = tag;
    this.sessionId = sessionId;
  }

  /** Our built CLI over stdio with one session, the way an agent would hold it for a whole task list. */
  static async start(tag: string): Promise<OurServer> {
    const transport = new StdioClientTransport({ command: process.execPath, args: serverArgs(tag), stderr: 'ignore' });
    const client = new Client({ name: 'bench-ours', version: '1' });
    await client.connect(transport);
    const started = (await client.callTool({ name: 'session_start', arguments: {} })) as CallToolResult; // we never request task results
    const id = started.structuredContent?.['session_id'];
    if (started.isError === true || typeof id !== 'string') throw new Error(`session_start failed: ${textOf(started)}`);
    return new OurServer(client, tag, id);
  }

  /** Calls a session tool; tool errors come back as results so the bench can report them. */
  async call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return (await this.client.callTool({ name, arguments: { session_id: this.sessionId, ...args } })) as CallToolResult; // no task results
  }

  async close(): Promise<void> {
    await this.call('session_stop', {}).catch(() => undefined);
    await this.client.close();
    const deadline = Date.now() + 5000;
    while (chromiumProcesses(this.tag).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const PREFIX: Readonly<Record<BenchAction['role'], string>> = { button: 'B', link: 'L', textbox: 'I', combobox: 'I' };

/**
 * The id an agent would pick from the page rendering: `[B31 Add to cart]`, `[I4 combobox Sort by | value=…]`.
 * The first bracket's part before ` | ` is `role? label`; with a context, the first match after that text.
 */
export function findId(rendering: string, action: BenchAction): string | undefined {
  // Only the page itself (from the line that is just <page>): the header echoes the instructions, which may name the context.
  const start = rendering.search(/^<page>$/m);
  const description = start < 0 ? rendering : rendering.slice(start);
  const from = action.context === undefined ? 0 : description.indexOf(action.context);
  if (from < 0) return undefined;
  const wanted = action.label.toLowerCase();
  const prefix = PREFIX[action.role];
  const loose: string[] = [];
  for (const match of description.slice(from).matchAll(/\[([A-Z])(\d+) ([^\]]*)\]/g)) {
    if (match[1] !== prefix) continue;
    const head = (match[3] ?? '').split(' | ')[0]?.toLowerCase() ?? '';
    const id = `${match[1]}${match[2] ?? ''}`;
    if (head === wanted || head === `${action.role} ${wanted}`) return id;
    if (head.includes(wanted)) loose.push(id);
  }
  return loose[0];
}

function stepArgs(action: BenchAction, id: string): Record<string, unknown> {
  switch (action.kind) {
    case 'click':
      return { type: 'click', id };
    case 'fill':
      return { type: 'fill', id, value: action.value ?? '' };
    case 'select':
      return { type: 'select_dropdown_option', id, value: action.value ?? '' };
  }
}

function stepOk(result: CallToolResult): boolean {
  return result.isError !== true && result.structuredContent?.['success'] === true;
}

/**
 * One page through our server: observe (following next_cursor while the target is not in sight, as an agent
 * would), step by id, check the status line with scrape. Then, apart from the task's figures, how our
 * observation splits into channels and whether observe with instructions ranks the right element first.
 */
export async function oursRun(ours: OurServer, page: BenchPage, url: string, rounds: number): Promise<{ run: PageRun; detail: OurObservationDetail }> {
  const { run, first } = await oursTask(ours, page, url, rounds);
  // Last: this observe replaces the ids the task used.
  return { run, detail: await observationDetail(ours, page, first) };
}

/** The task alone, the calls an agent makes and nothing the bench adds to describe the observation. */
export async function oursTask(ours: OurServer, page: BenchPage, url: string, rounds: number): Promise<{ run: PageRun; first: CallToolResult }> {
  const run: PageRun = { page: page.name, observeMs: [], observeTokens: 0, observeCalls: 1, stepMs: [], stepTokens: 0, taskTokens: 0, success: false, note: '' };
  const opened = await ours.call('observe', { url });
  if (opened.isError === true) throw new Error(`observe ${url}: ${textOf(opened).slice(0, 200)}`);
  let first = opened;
  for (let i = 0; i < rounds; i += 1) {
    const { ms, value } = await timed(() => ours.call('observe', {}));
    run.observeMs.push(ms);
    first = value;
  }
  run.observeTokens = readTokens(first);
  run.taskTokens += run.observeTokens;
  await doTask(ours, page, first, run, rounds);
  return { run, first };
}

async function doTask(ours: OurServer, page: BenchPage, first: CallToolResult, run: PageRun, rounds: number): Promise<void> {
  // Ids are valid against the latest observe only: every cursor continues that same observation.
  const chunks = [textOf(first)];
  let cursor = first.structuredContent?.['next_cursor'];
  const ids: string[] = [];
  for (const [index, action] of page.task.actions.entries()) {
    let id = findId(chunks.join('\n'), action);
    while (id === undefined && typeof cursor === 'string') {
      const more = await ours.call('observe', { cursor });
      run.observeCalls += 1;
      run.taskTokens += readTokens(more);
      chunks.push(textOf(more));
      cursor = more.structuredContent?.['next_cursor'];
      id = findId(chunks.join('\n'), action);
    }
    if (id === undefined) {
      run.note = `no id for ${action.role} "${action.label}"`;
      return;
    }
    ids.push(id);
    const { ms, value } = await timed(() => ours.call('step', stepArgs(action, id)));
    run.taskTokens += readTokens(value);
    if (!stepOk(value)) {
      run.note = `step ${action.kind} ${id}: ${textOf(value).slice(0, 200)}`;
      return;
    }
    if (index === page.task.repeatable) {
      run.stepMs.push(ms);
      run.stepTokens = readTokens(value);
    }
  }
  const repeat = page.task.actions[page.task.repeatable];
  const repeatId = ids[page.task.repeatable];
  if (repeat !== undefined && repeatId !== undefined) {
    for (let i = 1; i < rounds; i += 1) run.stepMs.push((await timed(() => ours.call('step', stepArgs(repeat, repeatId)))).ms);
  }
  const status = await ours.call('scrape', { selector: '#status' });
  const markdown = status.structuredContent?.['markdown'];
  run.success = typeof markdown === 'string' && markdown.includes(page.task.expect);
  if (!run.success) run.note = `status: ${textOf(status).slice(0, 120)}`;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? { ...value } : {};
}

function labelOf(action: Record<string, unknown>): string {
  return typeof action['label'] === 'string' ? action['label'].toLowerCase() : '';
}

/** Splits our observation into its parts, then asks observe with the task as instructions for its top pick. */
async function observationDetail(ours: OurServer, page: BenchPage, observed: CallToolResult): Promise<OurObservationDetail> {
  const space = record(observed.structuredContent?.['space']);
  const actions = Array.isArray(space['interaction_actions']) ? space['interaction_actions'] : [];
  const category = space['category'];
  const detail: OurObservationDetail = {
    textTokens: tokens(textOf(observed)),
    jsonTokens: tokens(JSON.stringify(observed.structuredContent ?? {})),
    actionsTokens: tokens(JSON.stringify(actions)),
    actions: actions.length,
    category: typeof category === 'string' ? category : '—',
    rankedPick: '—',
  };
  const target = page.task.actions[page.task.actions.length - 1];
  if (target === undefined) return detail;
  const ranked = await ours.call('observe', { instructions: page.task.goal });
  const rankedSpace = record(ranked.structuredContent?.['space']);
  const rankedActions = (Array.isArray(rankedSpace['interaction_actions']) ? rankedSpace['interaction_actions'] : []).map(record);
  const wanted = target.label.toLowerCase();
  const pick = rankedActions.find((action) => labelOf(action) === wanted && String(action['id']).startsWith(PREFIX[target.role]));
  const chunks = [textOf(ranked)];
  let cursor = ranked.structuredContent?.['next_cursor'];
  let right = findId(chunks.join('\n'), target);
  while (right === undefined && typeof cursor === 'string') {
    const more = await ours.call('observe', { cursor });
    chunks.push(textOf(more));
    cursor = more.structuredContent?.['next_cursor'];
    right = findId(chunks.join('\n'), target);
  }
  const position = pick === undefined ? -1 : rankedActions.indexOf(pick) + 1;
  if (pick === undefined) detail.rankedPick = 'not listed';
  else if (right === undefined) detail.rankedPick = `#${position} ${String(pick['id'])} (target not rendered)`;
  else detail.rankedPick = pick['id'] === right ? `right (#${position})` : `WRONG: ${String(pick['id'])}, target ${right}`;
  return detail;
}
