import type { Page } from 'playwright-core';
import { z } from 'zod';
import { BsmError, errorMessage, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { DEFAULT_MAX_TOKENS, INSTRUCTED_MAX_TOKENS, ObserveInput } from '../notte/observation.js';
import type { Observation, ObserveInputArgs, ObservedAction, SnapshotMetadata, SpaceCategory } from '../notte/observation.js';
import { guessCategory } from './category.js';
import { collectPage } from './collect.js';
import { openForReading } from './openUrl.js';
import type { CollectedPage, PageElement } from './collect.js';
import type { ElementDescriptor, ObserveSnapshot, PageHost } from './host.js';
import { selectForInstructions } from './rank.js';
import { loadingNote } from './loadingState.js';
import { ACTION_JOIN, composeDescription, DETAILS_NOTE, RANGE_NOTE, renderChunk, renderHeader, renderLine, toObservedAction } from './render.js';
import { tokenWeight } from './tokens.js';
import type { DescriptionNotes, ListedRule, RenderLine, RenderViewport } from './render.js';
import { takeScreenshot } from './screenshot.js';

export type ObserveOptions = ObserveInputArgs;

export interface ObserveResult {
  observation: Observation;
  /** The text channel: a one-line header, then space.description. */
  text: string;
  screenshot?: Buffer;
  nextCursor?: string;
}

/** What a cursor needs to hand out the rest of an observation without walking the page again. */
export interface RetainedObservation {
  epoch: number;
  lines: RenderLine[];
  viewport: RenderViewport;
  viewportOnly: boolean;
  metadata: SnapshotMetadata;
  activeTab: number;
  category: SpaceCategory | undefined;
  loading: string | undefined;
}

// Page lines a chunk may always use, however small max_tokens is next to the overhead: a cursor must make progress.
const MIN_BUDGET = 100;
const LOAD_WAIT_MS = 3000;

/**
 * Reads the active tab as Notte's Observation: metadata, a compact page rendering with ids inline, and the
 * interaction actions. Replaces host.snapshot (ids are valid only against the latest observe).
 */
export async function observe(host: PageHost, options: ObserveOptions): Promise<ObserveResult> {
  const input = parseInput(options);
  if (input.cursor !== undefined) return continueFrom(host, input.cursor, input);
  if (input.url !== undefined) await openForReading(host, input.url, 'observe', LOAD_WAIT_MS);

  const page = host.page();
  const epoch = (host.snapshot?.epoch ?? 0) + 1;
  if (isBlank(page.url())) return observeBlank(host, page, epoch, input.screenshot);

  // The tab titles do not depend on the walk: reading them alongside it saves their round trips.
  const [collected, tabs] = await Promise.all([collectPage(page, epoch, host.state.blockedUrls), readTabs(host, page)]);
  const loading = await loadingNote(page);
  host.snapshot = toSnapshot(epoch, page.url(), collected.elements);
  const { metadata, activeTab } = readMetadata(page, collected, tabs);
  const category = guessCategory({ modal: collected.modal, elements: collected.elements, url: page.url(), items: collected.items, pricedItems: collected.pricedItems });
  const state: RetainedObservation = {
    epoch,
    lines: collected.lines,
    viewport: { sy: collected.viewport.sy, vh: collected.viewport.vh, th: collected.viewport.th },
    viewportOnly: input.viewport_only,
    metadata,
    activeTab,
    category,
    loading,
  };
  host.state.observed = state;

  let ranked: PageElement[] | undefined;
  const instructions = input.instructions?.trim() ?? '';
  if (instructions !== '') {
    const visible = input.viewport_only ? collected.elements.filter((el) => onScreen(el, collected.viewport)) : collected.elements;
    const candidates = visible.map((el) => ({ ...el, label: el.name }));
    ranked = selectForInstructions(candidates, instructions, input.min_nb_actions ?? 0, input.max_nb_actions).map((entry) => entry.item);
  }
  const result = build(state, 0, input.max_tokens ?? (ranked === undefined ? DEFAULT_MAX_TOKENS : INSTRUCTED_MAX_TOKENS), input.max_nb_actions, ranked, instructions);
  if (input.screenshot) result.screenshot = await takeScreenshot(host, page);
  return result;
}

function parseInput(options: ObserveOptions): ObserveInput {
  try {
    return ObserveInput.parse(options);
  } catch (error: unknown) {
    const detail = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : errorMessage(error);
    throw new BsmError('E_INVALID_INPUT', `Invalid ${TOOL.observe} arguments: ${excerpt(detail, 300)}.`, `Fix the arguments and call ${TOOL.observe} again.`);
  }
}

function build(state: RetainedObservation, start: number, maxTokens: number, maxActions: number, ranked: PageElement[] | undefined, instructions: string): ObserveResult {
  const header = renderHeader(state.metadata, state.activeTab, state.category);
  const bestIds = ranked?.slice(0, 5).map((el) => el.id);
  const best = bestIds === undefined ? undefined : { instructions, ids: bestIds, context: matchContext(state.lines, bestIds.slice(0, MATCH_CONTEXT)) };
  const overhead = channelOverhead(state, header, start > 0, best);
  // A ranked list is paid for whatever the chunk holds: at most half of what the JSON channel has left, best first.
  const rankedActions = ranked === undefined ? undefined : fitActions(ranked.map(toObservedAction), (maxTokens - overhead.json) / 2);
  const rankedCost = rankedActions === undefined ? 0 : tokenWeight(JSON.stringify(rankedActions));
  const listed: ListedRule = rankedActions === undefined ? { first: maxActions } : { ids: new Set(rankedActions.map((action) => action.id)) };
  const chunk = renderChunk({
    lines: state.lines,
    viewport: state.viewport,
    viewportOnly: state.viewportOnly,
    start,
    budget: Math.max(MIN_BUDGET, maxTokens - overhead.text),
    jsonBudget: Math.max(MIN_BUDGET, maxTokens - overhead.json - rankedCost),
    listed,
  });
  const nextCursor = chunk.next === undefined ? undefined : `${state.epoch}.${chunk.next}`;
  const notes = { chunk, continuation: start > 0, nextCursor, ...(best === undefined ? {} : { best }), ...(state.loading === undefined ? {} : { loading: state.loading }) };
  const interaction: ObservedAction[] = rankedActions ?? chunk.listed.map(toObservedAction);
  const observation: Observation = {
    metadata: state.metadata,
    space: {
      description: composeDescription({ ...notes, variant: 'structured' }),
      interaction_actions: interaction,
      ...(state.category === undefined ? {} : { category: state.category }),
    },
    ...(nextCursor === undefined ? {} : { next_cursor: nextCursor }),
  };
  const text = `${header}\n${composeDescription(notes)}`;
  return { observation, text, ...(nextCursor === undefined ? {} : { nextCursor }) };
}

// The best matches shown with the page line they sit on: enough to act without reading the page around them.
const MATCH_CONTEXT = 3;
const CONTEXT_CHARS = 240;

/** Each id's page line, prefixed with the heading of its section, so the match is read where it is. */
function matchContext(lines: readonly RenderLine[], ids: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of ids) {
    const at = lines.findIndex((line) => line.parts.some((part) => typeof part !== 'string' && part.id === id));
    const line = lines[at];
    if (line === undefined) continue;
    let section = '';
    for (let i = at - 1; i >= 0 && line.heading === 0; i--) {
      const above = lines[i];
      if (above !== undefined && above.heading > 0) {
        section = renderLine(above).text;
        break;
      }
    }
    const text = renderLine(line).text;
    const clipped = text.length > CONTEXT_CHARS ? `${text.slice(0, CONTEXT_CHARS)}…` : text;
    const entry = section === '' ? clipped : `${section.length > 80 ? `${section.slice(0, 80)}…` : section} › ${clipped}`;
    if (!out.includes(entry)) out.push(entry);
  }
  return out;
}

/** The longest prefix of `actions` whose JSON fits `budget` tokens; at least the best one. */
function fitActions(actions: ObservedAction[], budget: number): ObservedAction[] {
  let used = 0;
  for (let i = 0; i < actions.length; i++) {
    used += tokenWeight(JSON.stringify(actions[i])) + ACTION_JOIN;
    if (used > budget) return actions.slice(0, Math.max(1, i));
  }
  return actions;
}

/**
 * What each channel spends besides the page lines, at its largest: the text's header and notes; the JSON's
 * metadata, keys, notes, category and a cursor. The lines' own cost is counted by renderChunk.
 */
function channelOverhead(state: RetainedObservation, header: string, continuation: boolean, best: DescriptionNotes['best']): { text: number; json: number } {
  const { above, below } = state.viewportOnly ? { above: state.viewport.sy, below: state.viewport.th } : { above: 0, below: 0 };
  const empty = { lines: [], structuredLines: [], elements: [], listed: [], next: 0, trimmed: true, above, below };
  const cursor = `${state.epoch}.00000`;
  const notes: DescriptionNotes = { chunk: empty, continuation, nextCursor: cursor, ...(best === undefined ? {} : { best }), ...(state.loading === undefined ? {} : { loading: state.loading }) };
  const text = tokenWeight(`${header}\n${composeDescription(notes)}`);
  const skeleton: Observation = {
    metadata: state.metadata,
    space: {
      description: `${composeDescription({ ...notes, variant: 'structured' })} ${DETAILS_NOTE}${RANGE_NOTE}`,
      interaction_actions: [],
      ...(state.category === undefined ? {} : { category: state.category }),
    },
    next_cursor: cursor,
  };
  return { text, json: tokenWeight(JSON.stringify(skeleton)) };
}

function continueFrom(host: PageHost, cursor: string, input: ObserveInput): ObserveResult {
  const match = /^(\d+)\.(\d+)$/.exec(cursor);
  const state = host.state.observed;
  const epoch = match === null ? NaN : Number(match[1]);
  if (match === null || state === undefined || state.epoch !== epoch || host.snapshot?.epoch !== epoch) {
    throw new BsmError(
      'E_BAD_CURSOR',
      `The cursor ${JSON.stringify(excerpt(cursor))} does not belong to the latest ${TOOL.observe} of this session.`,
      `Call ${TOOL.observe} without cursor to read the page again.`,
    );
  }
  return build(state, Number(match[2]), input.max_tokens ?? DEFAULT_MAX_TOKENS, input.max_nb_actions, undefined, '');
}

/** ISO 8601 to the second: milliseconds only cost the agent tokens. */
function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isBlank(url: string): boolean {
  return url === '' || url === 'about:blank';
}

async function observeBlank(host: PageHost, page: Page, epoch: number, screenshot: boolean): Promise<ObserveResult> {
  host.snapshot = { epoch, url: page.url(), takenAt: new Date(), elements: new Map() };
  host.state.observed = undefined;
  const size = page.viewportSize() ?? { width: 0, height: 0 };
  const { tabs, activeTab } = await readTabs(host, page);
  const metadata: SnapshotMetadata = {
    url: page.url(),
    title: '',
    timestamp: isoNow(),
    viewport: { scroll_x: 0, scroll_y: 0, viewport_width: size.width, viewport_height: size.height, total_width: size.width, total_height: size.height },
    tabs,
  };
  const description = composeDescription({
    chunk: { lines: [], structuredLines: [], elements: [], listed: [], next: undefined, trimmed: false, above: 0, below: 0 },
    continuation: false,
    nextCursor: undefined,
    emptyHint: `Blank tab (about:blank). Open a site with a goto ${TOOL.step}, or ${TOOL.observe} with url.`,
  });
  const result: ObserveResult = {
    observation: { metadata, space: { description, interaction_actions: [] } },
    text: `${renderHeader(metadata, activeTab, undefined)}\n${description}`,
  };
  if (screenshot) result.screenshot = await takeScreenshot(host, page);
  return result;
}

async function readTabs(host: PageHost, page: Page): Promise<{ tabs: SnapshotMetadata['tabs']; activeTab: number }> {
  const pages = host.tabs();
  const tabs = await Promise.all(
    pages.map(async (tab, index) => ({ tab_id: index, title: await tab.title().catch(() => ''), url: tab.url() })),
  );
  return { tabs, activeTab: Math.max(0, pages.indexOf(page)) };
}

function readMetadata(page: Page, collected: CollectedPage, { tabs, activeTab }: { tabs: SnapshotMetadata['tabs']; activeTab: number }): { metadata: SnapshotMetadata; activeTab: number } {
  const v = collected.viewport;
  const metadata: SnapshotMetadata = {
    url: page.url(),
    title: collected.title,
    timestamp: isoNow(),
    viewport: {
      scroll_x: Math.round(v.sx),
      scroll_y: Math.round(v.sy),
      viewport_width: Math.round(v.vw),
      viewport_height: Math.round(v.vh),
      total_width: Math.round(v.tw),
      total_height: Math.round(v.th),
    },
    tabs,
  };
  return { metadata, activeTab };
}

function onScreen(el: PageElement, viewport: CollectedPage['viewport']): boolean {
  const { x, y, width, height } = el.bbox;
  return x < viewport.vw && y < viewport.vh && x + width > 0 && y + height > 0;
}

function toSnapshot(epoch: number, url: string, elements: readonly PageElement[]): ObserveSnapshot {
  const map = new Map<string, ElementDescriptor>();
  const seen = new Map<string, number>();
  for (const el of elements) {
    // nth counts same role and name within one frame, the scope step searches in.
    const key = `${el.framePath.join('\u0000')}\u0001${el.role}\u0001${el.name}`;
    const nth = seen.get(key) ?? 0;
    seen.set(key, nth + 1);
    map.set(el.id, {
      id: el.id,
      frame: el.frame,
      framePath: el.framePath,
      tag: el.tag,
      role: el.role,
      name: el.name,
      selector: el.selector,
      nth,
      disabled: el.disabled === true,
      bbox: el.bbox,
    });
  }
  return { epoch, url, takenAt: new Date(), elements: map };
}
