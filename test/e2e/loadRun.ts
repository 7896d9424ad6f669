import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { PageServer } from '../fixtures/pageServer.js';
import { call } from './harness.js';
import type { HttpServer } from './harness.js';

/**
 * The load workload of `npm run soak`, the bench and the load test: N HTTP clients on one server, one session
 * each, rounds of observe + step on real pages. Every operation is checked for what the agent needs (the page's
 * static elements, a click that navigates); a failure is kept with its words, never retried.
 */

export interface LoadFigures {
  clients: number;
  rounds: number;
  ops: number;
  /** Calls that threw (the transport gave up, e.g. "fetch failed"). */
  transportErrors: number;
  /** Answers that were wrong: an error result, a failed step, an observe missing static elements. */
  wrongAnswers: number;
  failures: string[];
  startMs: number[];
  opMs: number[];
  wallMs: number;
}

const STATIC_NAMES = ['Create new user', 'Next'];

/** Two pages linking to each other; each holds a button, a textbox and a search box in its static HTML. */
export function serveLoadPages(pages: PageServer): { list: string; detail: string } {
  const body = (title: string, next: string): string =>
    `<h1>${title}</h1><form role="search"><input type="search" aria-label="Search users"></form>` +
    `<label>Name <input type="text" name="name"></label><button type="button" onclick="this.textContent='Created'">Create new user</button>` +
    `<table>${'<tr><td>Ada</td><td>Lovelace</td></tr>'.repeat(30)}</table><a href="${next}">Next</a>`;
  return {
    list: pages.setContent('/load/list', body('Users', '/load/detail')),
    detail: pages.setContent('/load/detail', body('Details', '/load/list')),
  };
}

function idOf(text: string, role: 'L' | 'B' | 'I', label: string): string | undefined {
  const match = new RegExp(`\\[(${role}\\d+)[^\\]]*${label}`).exec(text);
  return match?.[1];
}

async function timedCall(figures: LoadFigures, client: Client, name: string, args: Record<string, unknown>, what: string): Promise<ReturnType<typeof call> extends Promise<infer R> ? R | undefined : never> {
  const started = performance.now();
  try {
    const result = await call(client, name, args);
    figures.opMs.push(performance.now() - started);
    figures.ops += 1;
    if (result.isError) {
      figures.wrongAnswers += 1;
      figures.failures.push(`${what}: ${result.text.slice(0, 200)}`);
      return undefined;
    }
    return result;
  } catch (error: unknown) {
    figures.ops += 1;
    figures.transportErrors += 1;
    figures.failures.push(`${what}: transport: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function checkStatic(figures: LoadFigures, text: string, what: string): boolean {
  const missing = STATIC_NAMES.filter((name) => !text.includes(name));
  if (!/Name/.test(text) || !/Search users/.test(text)) missing.push('textbox');
  if (missing.length === 0) return true;
  figures.wrongAnswers += 1;
  figures.failures.push(`${what}: observe lacks ${missing.join(', ')}: ${text.slice(0, 160).replace(/\s+/g, ' ')}`);
  return false;
}

async function oneClient(figures: LoadFigures, client: Client, urls: { list: string; detail: string }, rounds: number, index: number): Promise<void> {
  const started = performance.now();
  const start = await timedCall(figures, client, 'session_start', {}, `client ${index} session_start`);
  if (start === undefined) return;
  figures.startMs.push(performance.now() - started);
  const id = String(start.structured['session_id']);
  for (let round = 0; round < rounds; round += 1) {
    const what = `client ${index} round ${round}`;
    if (round % 2 === 0) {
      // observe with url, then click the link: the click must report the navigation, never "not visible".
      const seen = await timedCall(figures, client, 'observe', { session_id: id, url: urls.list }, `${what} observe`);
      if (seen === undefined || !checkStatic(figures, seen.text, `${what} observe`)) continue;
      const next = idOf(seen.text, 'L', 'Next');
      if (next === undefined) continue;
      const clicked = await timedCall(figures, client, 'step', { session_id: id, type: 'click', id: next }, `${what} click`);
      const changes = clicked?.structured['changes'];
      const url = typeof changes === 'object' && changes !== null && 'url' in changes ? String(changes.url) : '';
      if (clicked !== undefined && (clicked.structured['success'] !== true || !url.includes('/load/detail'))) {
        figures.wrongAnswers += 1;
        figures.failures.push(`${what} click: ${clicked.text.slice(0, 200)}`);
      }
    } else {
      // goto, then observe: the observe must hold the page's static HTML.
      const went = await timedCall(figures, client, 'step', { session_id: id, type: 'goto', url: urls.detail }, `${what} goto`);
      if (went !== undefined && went.structured['success'] !== true) {
        figures.wrongAnswers += 1;
        figures.failures.push(`${what} goto: ${went.text.slice(0, 200)}`);
      }
      const seen = await timedCall(figures, client, 'observe', { session_id: id }, `${what} observe`);
      if (seen !== undefined) checkStatic(figures, seen.text, `${what} observe after goto`);
    }
  }
  await timedCall(figures, client, 'session_stop', { session_id: id }, `client ${index} session_stop`);
}

/** Connects `clients` HTTP clients to `server` at once, runs the rounds, and disconnects them. */
export async function runLoad(server: HttpServer, pages: PageServer, clients: number, rounds: number): Promise<LoadFigures> {
  const urls = serveLoadPages(pages);
  const figures: LoadFigures = { clients, rounds, ops: 0, transportErrors: 0, wrongAnswers: 0, failures: [], startMs: [], opMs: [], wallMs: 0 };
  const connected = await Promise.all(Array.from({ length: clients }, () => server.connect()));
  const started = performance.now();
  await Promise.all(connected.map(({ client }, index) => oneClient(figures, client, urls, rounds, index)));
  figures.wallMs = performance.now() - started;
  await Promise.all(connected.map(({ transport, client }) => transport.terminateSession().catch(() => undefined).then(() => client.close())));
  return figures;
}
