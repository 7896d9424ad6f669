import type { ElementHandle, Frame, FrameLocator, Locator, Page } from 'playwright-core';
import type { NodeSelectors } from '../notte/actions.js';
import { errorText, isTimeout } from './actions/errors.js';
import type { ElementDescriptor, PageHost } from './host.js';
import { describeNode, findByRoleAndName, matchesKey, registeredElement } from './injected/locateInPage.js';
import type { DescriptorKey } from './injected/locateInPage.js';
import { TOOL } from '../notte/toolNames.js';

/**
 * Finds the element an interaction action names: an id from the latest observe (fast path through the in-page
 * registry, then re-found by its descriptor after a re-render) or a selector.
 */

export interface Target {
  handle: ElementHandle;
  frame: Frame;
  page: Page;
  /** The id acted on, when the action named one. */
  id: string | undefined;
  descriptor: ElementDescriptor | undefined;
  /** Label for messages and the resolved action's text_label. */
  label: string;
  /** Lower-case tag name. */
  tag: string;
  selectors: NodeSelectors;
  /** How the element was found when it was not the plain path, e.g. "re-found B3 after re-render (by selector)". */
  note: string | undefined;
}

export type LocateResult = { ok: true; target: Target } | { ok: false; message: string; exception: string | null };

export interface TargetSpec {
  id: string;
  selector?: string | NodeSelectors | null;
  timeout: number;
}

export async function locate(host: PageHost, spec: TargetSpec): Promise<LocateResult> {
  const hasSelector = spec.selector !== undefined && spec.selector !== null;
  if (spec.id !== '') {
    const byId = await locateById(host, spec.id, spec.timeout);
    if (byId.ok || !hasSelector) return byId;
  }
  if (spec.selector !== undefined && spec.selector !== null) return locateBySelector(host.page(), spec.selector, spec.timeout);
  return { ok: false, message: 'Interaction actions need to provide either an action id or a selector.', exception: null };
}

// ---------------------------------------------------------------------------------------------------------------
// By id

async function locateById(host: PageHost, id: string, timeout: number): Promise<LocateResult> {
  const snapshot = host.snapshot;
  if (snapshot === undefined) {
    return fail(`No observation yet, so id ${id} means nothing. Call ${TOOL.observe} first, then use an id from it (or pass a selector).`);
  }
  const descriptor = snapshot.elements.get(id);
  if (descriptor === undefined) {
    return fail(`Id ${id} is not in the latest observation. Call ${TOOL.observe} again and use a current id.`);
  }
  const page = descriptor.frame.page();
  if (page.isClosed()) return fail(`The tab where ${id} was observed is closed. Call ${TOOL.observe} again and use a current id.`);

  const direct = await fromRegistry(descriptor.frame, id, snapshot.epoch);
  if (direct !== null) return found(direct, descriptor.frame, page, descriptor, undefined);

  const frame = await frameByPath(page, descriptor.framePath);
  const gone = `Element ${id} ${quote(descriptor.name)}is no longer on the page (it changed since ${TOOL.observe}). Call ${TOOL.observe} again and use a current id.`;
  if (frame === undefined) return fail(gone);
  const refound = await refind(frame, descriptor, timeout);
  if (refound === null) return fail(gone);
  return found(refound.handle, frame, page, descriptor, `re-found ${id} after re-render (${refound.how})`);
}


async function fromRegistry(frame: Frame, id: string, epoch: number): Promise<ElementHandle | null> {
  if (frame.isDetached()) return null;
  try {
    const handle = await frame.evaluateHandle(registeredElement, [id, epoch] as const);
    const element = handle.asElement();
    if (element === null) await handle.dispose();
    return element;
  } catch {
    // The frame navigated away under us: same as a missing element, the fallbacks take over.
    return null;
  }
}

async function frameByPath(page: Page, framePath: readonly string[]): Promise<Frame | undefined> {
  let frame: Frame = page.mainFrame();
  for (const css of framePath) {
    const iframe = await frame.$(css).catch(() => null);
    const child = await iframe?.contentFrame();
    if (child === null || child === undefined) return undefined;
    frame = child;
  }
  return frame;
}


/** `timeout`: the action's own; the one match exists already, but a loaded machine can take seconds to hand it over. */
async function refind(frame: Frame, d: ElementDescriptor, timeout: number): Promise<{ handle: ElementHandle; how: string } | null> {
  const key: DescriptorKey = { tag: d.tag, role: d.role, name: d.name, nth: d.nth };
  try {
    // Playwright css pierces open shadow roots, as the descriptor's selector expects.
    const candidates = frame.locator(`css=${d.selector}`);
    if ((await candidates.count()) === 1) {
      const handle = await candidates.elementHandle({ timeout });
      if (await handle.evaluate(matchesKey, key)) return { handle, how: 'by selector' };
      await handle.dispose();
    }
    const byName = await frame.evaluateHandle(findByRoleAndName, key);
    const match = byName.asElement();
    if (match !== null) return { handle: match, how: `by ${d.role} ${JSON.stringify(d.name)}` };
    await byName.dispose();
  } catch {
    return null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// By selector

/** `~text` is Notte's short form for a text match; everything else is already a Playwright selector. */
export function playwrightSelector(selector: string): string {
  const trimmed = selector.trim();
  if (trimmed.startsWith('~')) return `internal:text=${JSON.stringify(trimmed.slice(1).trim())}`;
  return trimmed;
}

function fromNodeSelectors(s: NodeSelectors): { frames: string[]; selector: string } | undefined {
  const pw = s.playwright_selector ?? '';
  const css = s.css_selector !== '' ? `css=${s.css_selector}` : '';
  const xpath = s.xpath_selector !== '' ? `xpath=${s.xpath_selector}` : '';
  // XPath does not enter shadow roots; Playwright's css does.
  const selector = pw !== '' ? pw : s.in_shadow_root ? css || xpath : css || xpath;
  if (selector === '') return undefined;
  return { frames: [...s.iframe_parent_css_selectors], selector: playwrightSelector(selector) };
}

async function locateBySelector(page: Page, raw: string | NodeSelectors, timeout: number): Promise<LocateResult> {
  const parsed = typeof raw === 'string' ? { frames: [], selector: playwrightSelector(raw) } : fromNodeSelectors(raw);
  if (parsed === undefined) return fail('The selector object is empty. Give css_selector, xpath_selector or playwright_selector.');
  let scope: Page | FrameLocator = page;
  for (const css of parsed.frames) scope = scope.frameLocator(css);
  const all: Locator = scope.locator(parsed.selector);
  const shown = typeof raw === 'string' ? raw : parsed.selector;
  try {
    await all.first().waitFor({ state: 'attached', timeout });
  } catch (error) {
    if (isTimeout(error)) {
      return fail(`No element matches selector ${JSON.stringify(shown)} after ${timeout}ms. Call ${TOOL.observe} to find the element and use its id.`);
    }
    return fail(`Selector ${JSON.stringify(shown)} is not valid: ${errorText(error)}. Use css=…, xpath=…, text=… or an id from ${TOOL.observe}.`, error);
  }
  const count = await all.count();
  // Several matches: act on the first visible one, as a person would (the first of all when none is visible). Counted
  // first, so the handle is taken of what exists now, without a wait that a loaded machine could run out of.
  const visible = count > 1 ? all.filter({ visible: true }) : all;
  const chosen = count > 1 && (await visible.count()) > 0 ? visible.first() : all.first();
  const handle = await chosen.elementHandle({ timeout }).catch(() => null);
  const frame = await handle?.ownerFrame();
  if (handle === null || frame === null || frame === undefined) return fail(`The element for selector ${JSON.stringify(shown)} went away. Try again or call ${TOOL.observe}.`);
  const note = count > 1 ? `selector matched ${count} elements; used the first visible one` : undefined;
  const target = await found(handle, frame, page, undefined, note);
  if (target.ok) {
    target.target.selectors = {
      ...target.target.selectors,
      playwright_selector: parsed.selector,
      css_selector: typeof raw === 'string' ? cssOf(raw) : raw.css_selector,
      xpath_selector: typeof raw === 'string' ? xpathOf(raw) : raw.xpath_selector,
      iframe_parent_css_selectors: parsed.frames,
      in_iframe: parsed.frames.length > 0,
    };
  }
  return target;
}

function cssOf(selector: string): string {
  return selector.startsWith('css=') ? selector.slice(4) : '';
}

function xpathOf(selector: string): string {
  if (selector.startsWith('xpath=')) return selector.slice(6);
  return selector.startsWith('//') ? selector : '';
}

// ---------------------------------------------------------------------------------------------------------------

async function found(
  handle: ElementHandle,
  frame: Frame,
  page: Page,
  descriptor: ElementDescriptor | undefined,
  note: string | undefined,
): Promise<{ ok: true; target: Target }> {
  const { label, tag } =
    descriptor !== undefined && descriptor.name !== '' ? { label: descriptor.name, tag: descriptor.tag } : await describe(handle);
  return {
    ok: true,
    target: {
      handle,
      tag,
      frame,
      page,
      id: descriptor?.id,
      descriptor,
      label,
      note,
      selectors: {
        css_selector: descriptor?.selector ?? '',
        xpath_selector: '',
        notte_selector: '',
        playwright_selector: descriptor === undefined ? null : [...descriptor.framePath, descriptor.selector].join(' >> internal:control=enter-frame >> '),
        python_selector: null,
        in_iframe: (descriptor?.framePath.length ?? 0) > 0,
        in_shadow_root: false,
        iframe_parent_css_selectors: descriptor?.framePath ?? [],
      },
    },
  };
}

/** A short human label (what a person would call the element) and its tag. */
async function describe(handle: ElementHandle): Promise<{ label: string; tag: string }> {
  try {
    return await handle.evaluate(describeNode);
  } catch {
    return { label: '', tag: 'element' };
  }
}

export function quote(name: string): string {
  return name === '' ? '' : `${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)} `;
}

function fail(message: string, error?: unknown): { ok: false; message: string; exception: string | null } {
  return { ok: false, message, exception: error === undefined ? null : errorText(error) };
}
