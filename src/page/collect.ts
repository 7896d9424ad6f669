import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { ElementHandle, Frame, Page } from 'playwright-core';
import { remapIds, runInstalledWalk, slotIndexes } from './injected/observeRegistry.js';
import type { ElementFacts, RawViewport, WalkArgs, WireElement, WireResult } from './injected/observeTypes.js';
import { walkFrame } from './injected/walkFrame.js';
import { unreadableFrame } from './framePolicy.js';
import { WALK_GLOBAL } from './pageGlobals.js';

/** One element with its final id, in top-page terms. */
export interface PageElement extends ElementFacts {
  id: string;
  frame: Frame;
  framePath: string[];
  selector: string;
  context?: string;
  itemText?: string;
  /** Top-viewport CSS pixels at observe time. */
  bbox: { x: number; y: number; width: number; height: number };
}

export type PagePart = string | PageElement;

/** One reading line; `top`/`bottom` in top-page coordinates (viewport + scroll). */
export interface PageLine {
  top: number;
  bottom: number;
  heading: number;
  parts: PagePart[];
}

export interface CollectedPage {
  title: string;
  viewport: RawViewport;
  lines: PageLine[];
  elements: PageElement[];
  modal: boolean;
  /** Item containers (rows, list items, cards) holding an element, across frames; those showing a price. */
  items: number;
  pricedItems: number;
  /** Elements visited across frames and frames walked, for the bench. */
  visited: number;
  frames: number;
}

interface FrameWalk {
  frame: Frame;
  framePath: string[];
  result: WireResult;
  /** Full selectors by index in `result.els`, decoded once. */
  sels: string[];
  children: Map<number, FrameWalk>;
  /** Frames not walked (blocked or never loaded), by slot: the line shown in their place. */
  notes: Map<number, string>;
  /** Where this frame's viewport origin sits in the top viewport. */
  dx: number;
  dy: number;
}

const MAX_FRAME_DEPTH = 5;

export const WALK_LIMITS: Omit<WalkArgs, 'epoch'> = { maxOptions: 12, maxLabel: 80 };

/**
 * Walks the page and each visible iframe (one evaluation per frame, children in parallel), stitches the frames
 * in document order at their iframe's position, and gives the final Notte ids: per-prefix counters from 1.
 */
export async function collectPage(page: Page, epoch: number, blocked: readonly string[] = []): Promise<CollectedPage> {
  const args: WalkArgs = { epoch, ...WALK_LIMITS };
  const top = await walkTree(page.mainFrame(), [], 0, 0, { args, blocked }, 0);
  if (top === undefined) throw new BsmError('E_PAGE_CHANGED', `The page navigated or closed while it was read.`, `Call ${TOOL.observe} again.`);
  const sy = top.result.viewport.sy;
  const lines: PageLine[] = [];
  const elements: PageElement[] = [];
  const counters = new Map<string, number>();
  const renames = new Map<FrameWalk, { pairs: [number, string][]; changed: boolean }>();
  let visited = 0;
  let frames = 0;
  let modal = false;
  let items = 0;
  let pricedItems = 0;

  const stitch = (walk: FrameWalk): void => {
    frames++;
    visited += walk.result.visited;
    modal ||= walk.result.modal;
    items += walk.result.items;
    pricedItems += walk.result.pricedItems;
    const rename = { pairs: [] as [number, string][], changed: false };
    renames.set(walk, rename);
    for (const line of walk.result.lines) {
      if (line.f !== undefined) {
        const child = walk.children.get(line.f);
        if (child !== undefined) stitch(child);
        const note = walk.notes.get(line.f);
        if (note !== undefined) lines.push({ top: line.y + walk.dy + sy, bottom: line.b + walk.dy + sy, heading: 0, parts: [note] });
        continue;
      }
      const parts: PagePart[] = [];
      for (const part of line.parts) {
        if (typeof part === 'string') {
          parts.push(part);
          continue;
        }
        const raw = walk.result.els[part];
        if (raw === undefined) continue;
        const prefix = raw.id.charAt(0);
        const count = (counters.get(prefix) ?? 0) + 1;
        counters.set(prefix, count);
        const element = toElement(raw, walk.sels[part] ?? '', `${prefix}${count}`, walk);
        rename.pairs.push([part, element.id]);
        if (element.id !== raw.id) rename.changed = true;
        elements.push(element);
        parts.push(element);
      }
      lines.push({ top: line.y + walk.dy + sy, bottom: line.b + walk.dy + sy, heading: line.h, parts });
    }
  };
  stitch(top);

  await Promise.all(
    [...renames].filter(([, rename]) => rename.changed).map(([walk, rename]) =>
      walk.frame.evaluate(remapIds, { epoch, pairs: rename.pairs }).catch(() => false),
    ),
  );
  return { title: top.result.title, viewport: top.result.viewport, lines, elements, modal, items, pricedItems, visited, frames };
}

function toElement(raw: WireElement, sel: string, id: string, walk: FrameWalk): PageElement {
  const { x, y, w, h, ...rest } = raw;
  // One copy of each element instead of two: `id` keeps its first place, the others append in this order.
  return Object.assign(rest, {
    id,
    frame: walk.frame,
    framePath: walk.framePath,
    selector: sel,
    bbox: { x: Math.round(x + walk.dx), y: Math.round(y + walk.dy), width: Math.round(w), height: Math.round(h) },
  });
}

/** Each element's full selector, restored from the previous one's (see WireResult.sels). */
function decodeSelectors(sels: readonly [number, string][]): string[] {
  let previous = '';
  return sels.map(([shared, rest]) => {
    previous = previous.slice(0, shared) + rest;
    return previous;
  });
}

let walkInstaller: string | undefined;

/**
 * Runs the walk from a copy installed once per document. Passing the function with every evaluate made V8 compile
 * it afresh each time, so it never got optimised: on a 3k-node page that cost about a fifth of observe. The
 * install goes as a string expression, which Playwright compiles through CDP, out of reach of the page's CSP.
 */
async function runWalk(frame: Frame, args: WalkArgs): Promise<string> {
  const fast = await frame.evaluate(runInstalledWalk, { name: WALK_GLOBAL, walkArgs: args });
  if (fast !== null) return fast;
  walkInstaller ??= `Object.defineProperty(globalThis, '${WALK_GLOBAL}', { value: ${walkFrame.toString()}, configurable: true, enumerable: false })`;
  // page.evaluate(string) is typed unknown; the expression returns walkFrame's JSON string.
  return (await frame.evaluate(`(() => { ${walkInstaller}; return globalThis.${WALK_GLOBAL}(${JSON.stringify(args)}); })()`)) as string;
}

/** What every frame's walk shares: the in-page arguments, and the URLs the network guard refused (for frame notes). */
interface WalkContext {
  args: WalkArgs;
  blocked: readonly string[];
}

async function walkTree(frame: Frame, framePath: string[], dx: number, dy: number, walkContext: WalkContext, depth: number): Promise<FrameWalk | undefined> {
  const { args } = walkContext;
  let result: WireResult;
  try {
    // walkFrame builds this JSON from a WireResult it type-checks; nothing else writes it.
    result = JSON.parse(await runWalk(frame, args)) as WireResult;
  } catch {
    // A frame that navigates, detaches or refuses scripts mid-walk is left out; the rest of the page still reads.
    return undefined;
  }
  const walk: FrameWalk = { frame, framePath, result, sels: decodeSelectors(result.sels), children: new Map(), notes: new Map(), dx, dy };
  const childFrames = frame.childFrames();
  if (result.slots.length === 0 || childFrames.length === 0 || depth >= MAX_FRAME_DEPTH) return walk;

  const owners = await Promise.all(childFrames.map((child) => child.frameElement().catch(() => undefined)));
  const pairs = childFrames
    .map((child, i) => ({ child, owner: owners[i] }))
    .filter((pair): pair is { child: Frame; owner: ElementHandle } => pair.owner !== undefined);
  try {
    const indexes = await frame.evaluate(slotIndexes, pairs.map((pair) => pair.owner)).catch(() => [] as number[]);
    await Promise.all(
      pairs.map(async ({ child, owner }, i) => {
        const slotIndex = indexes[i] ?? -1;
        const slot = result.slots[slotIndex];
        if (slot === undefined) return;
        const note = await unreadableFrame(child, owner, walkContext.blocked);
        if (note !== undefined) {
          walk.notes.set(slotIndex, note);
          return;
        }
        const sub = await walkTree(child, [...framePath, slot.sel], dx + slot.x, dy + slot.y, walkContext, depth + 1);
        if (sub !== undefined) walk.children.set(slotIndex, sub);
      }),
    );
  } finally {
    await Promise.all(pairs.map((pair) => pair.owner.dispose().catch(() => undefined)));
  }
  return walk;
}
