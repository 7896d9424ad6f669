import { PageServer } from '../test/fixtures/pageServer.js';
import { fmt, median, table } from './lib.js';
import { OurServer, oursRun } from './ours.js';
import type { OurObservationDetail, PageRun } from './pageResult.js';
import { BENCH_PAGES } from './pages/index.js';
import type { BenchPage } from './pages/index.js';
import { PeerServer, peerRun } from './peer.js';
import { textOf } from './tokens.js';

export interface PageFigures {
  page: string;
  domNodes: number;
  ours: PageRun;
  detail: OurObservationDetail;
  peer: PageRun;
}

export interface PagesFigures {
  peerVersion: string;
  /** Flags given to the peer beyond the common ones (e.g. --timeout-settle). */
  peerArgs: readonly string[];
  rounds: number;
  pages: PageFigures[];
}

export function pagePath(page: BenchPage): string {
  return `/${page.name.replace(/\W+/g, '-')}`;
}

/** Serves every bench page on 127.0.0.1; the caller closes it. */
export async function servePages(): Promise<{ server: PageServer; urls: Map<BenchPage, string> }> {
  const server = await PageServer.start();
  const urls = new Map<BenchPage, string>();
  for (const page of BENCH_PAGES) urls.set(page, server.setContent(pagePath(page), page.html()));
  return { server, urls };
}

function urlOf(urls: Map<BenchPage, string>, page: BenchPage): string {
  const url = urls.get(page);
  if (url === undefined) throw new Error(`page ${page.name} is not served`);
  return url;
}

/**
 * Every bench page through our server, then through @playwright/mcp, one server at a time so they never compete
 * for the CPU: observation latency and tokens, click latency, task success.
 */
export async function benchPages(rounds = 5): Promise<PagesFigures> {
  const { server, urls } = await servePages();
  try {
    const oursRuns: { run: PageRun; detail: OurObservationDetail }[] = [];
    const ours = await OurServer.start(`bench-pages-${process.pid}`);
    try {
      for (const page of BENCH_PAGES) oursRuns.push(await oursRun(ours, page, urlOf(urls, page), rounds));
    } finally {
      await ours.close();
    }
    const figures: PageFigures[] = [];
    const peer = await PeerServer.start();
    try {
      for (const [i, page] of BENCH_PAGES.entries()) {
        const peerFigures = await peerRun(peer, page, urlOf(urls, page), rounds);
        // Every node (elements, text, comments) of the loaded page, counted in the page.
        const nodes = await peer.call('browser_evaluate', { function: '() => { const w = document.createTreeWalker(document.documentElement); let n = 1; while (w.nextNode()) n += 1; return n; }' });
        const oursFigures = oursRuns[i];
        if (oursFigures === undefined) throw new Error(`no run of ours for ${page.name}`);
        figures.push({ page: page.name, domNodes: Number(/### Result\s+(\d+)/.exec(textOf(nodes))?.[1] ?? Number.NaN), ours: oursFigures.run, detail: oursFigures.detail, peer: peerFigures });
      }
    } finally {
      await peer.close();
    }
    return { peerVersion: peer.version, peerArgs: peer.args, rounds, pages: figures };
  } finally {
    await server.close();
  }
}

/** A step answer for a plain click, on its larger channel (issue 7; test/e2e/fidelity.test.ts holds it too). */
export const CLICK_ANSWER_BUDGET = 100;

const ok = (run: PageRun): string => (run.success ? 'yes' : `NO (${run.note})`);

export function pagesTable(figures: PagesFigures): string {
  const rows = figures.pages.map(({ page, domNodes, ours, peer }) => [
    page,
    fmt(domNodes),
    `${fmt(median(ours.observeMs))} / ${fmt(median(peer.observeMs))}`,
    `${fmt(median(ours.stepMs))} / ${fmt(median(peer.stepMs))}`,
    `${ours.observeTokens} / ${peer.observeTokens}`,
    fmt(ours.observeTokens / peer.observeTokens, 2),
    `${ours.stepTokens} / ${peer.stepTokens}`,
    `${ours.taskTokens} (${ours.observeCalls} obs) / ${peer.taskTokens}`,
    `${ok(ours)} / ${ok(peer)}`,
  ]);
  const sum = (pick: (figure: PageFigures) => number): number => figures.pages.reduce((total, figure) => total + pick(figure), 0);
  const medianOf = (pick: (figure: PageFigures) => number[]): number => median(figures.pages.map((figure) => median(pick(figure))));
  const oursTokens = sum((figure) => figure.ours.observeTokens);
  const peerTokens = sum((figure) => figure.peer.observeTokens);
  rows.push([
    '**all pages**',
    fmt(sum((figure) => figure.domNodes)),
    `${fmt(medianOf((figure) => figure.ours.observeMs))} / ${fmt(medianOf((figure) => figure.peer.observeMs))}`,
    `${fmt(medianOf((figure) => figure.ours.stepMs))} / ${fmt(medianOf((figure) => figure.peer.stepMs))}`,
    `${oursTokens} / ${peerTokens}`,
    fmt(oursTokens / peerTokens, 2),
    `${sum((figure) => figure.ours.stepTokens)} / ${sum((figure) => figure.peer.stepTokens)}`,
    `${sum((figure) => figure.ours.taskTokens)} / ${sum((figure) => figure.peer.taskTokens)}`,
    `${figures.pages.filter((figure) => figure.ours.success).length}/${figures.pages.length} / ${figures.pages.filter((figure) => figure.peer.success).length}/${figures.pages.length}`,
  ]);
  const details = table(
    ['page', 'text tokens', 'JSON tokens', 'of which interaction_actions', 'actions listed', 'category', 'observe+instructions top pick'],
    figures.pages.map(({ page, detail }) => [page, String(detail.textTokens), String(detail.jsonTokens), String(detail.actionsTokens), String(detail.actions), detail.category, detail.rankedPick]),
  );
  const peerFlags = figures.peerArgs.length === 0 ? '' : ` (${figures.peerArgs.join(' ')})`;
  const largest = (pick: (figure: PageFigures) => number): number => Math.max(...figures.pages.map(pick));
  const oursClick = largest((figure) => figure.ours.stepTokens);
  const clickLine = `Largest click answer on any page: ours ${oursClick} tokens (budget ${CLICK_ANSWER_BUDGET}: ${oursClick <= CLICK_ANSWER_BUDGET ? 'within' : 'OVER'}), @playwright/mcp ${largest((figure) => figure.peer.stepTokens)}.`;
  const note = `ours / @playwright/mcp ${figures.peerVersion}${peerFlags}; medians of ${figures.rounds} rounds; tokens o200k of what the model reads (see bench/README.md).`;
  return `${note}\n\n${table(
    ['page', 'DOM nodes', 'observe ms (ours/peer)', 'click ms (ours/peer)', 'observation tokens (ours/peer)', 'ratio', 'click response tokens', 'task tokens', 'success (ours/peer)'],
    rows,
  )}\n\n${clickLine}\n\nOur observation, channel by channel (the model reads the larger):\n\n${details}`;
}
