import type { ElementHandle, Frame } from 'playwright-core';

/**
 * Frames observe must not try to read. An iframe whose load the browser refused (file:, chrome:, view-source:,
 * devtools:, a private address under --block-private-networks) never gets a document, and evaluating in it waits
 * forever; an error page has nothing of the site. Such a frame is shown as one line saying why, not walked.
 */

/** Schemes whose frames hold a real document to read. file: only loads when the operator allows local URLs. */
const READABLE = /^(?:https?|about|data|blob|file):/i;
const MAX_SHOWN = 100;
/** How long observe waits for a web iframe that has not committed its first document yet. */
const FRAME_COMMIT_WAIT_MS = 5_000;

/** The line observe shows instead of the frame, or undefined when the frame can be walked. Pure. */
export function frameNote(frameUrl: string, src: string | null, parentUrl: string, blocked: readonly string[]): string | undefined {
  if (READABLE.test(frameUrl)) return undefined;
  const shown = clip(src ?? '(no src)');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(src ?? '')?.[1]?.toLowerCase();
  if (scheme !== undefined && !['http', 'https', 'about', 'data', 'blob'].includes(scheme)) return `[frame blocked: local URL ${shown}]`;
  const absolute = resolve(src, parentUrl);
  if (absolute !== undefined && blocked.includes(absolute)) return `[frame blocked: private address ${shown}]`;
  if (frameUrl.startsWith('chrome-error:')) return `[frame failed to load: ${shown}]`;
  return `[frame not loaded: ${shown}]`;
}

/** frameNote for a live child frame; reads its iframe's src only when the frame is not readable. */
export async function unreadableFrame(child: Frame, owner: ElementHandle, blocked: readonly string[]): Promise<string | undefined> {
  if (READABLE.test(child.url())) return undefined;
  const src = await owner.getAttribute('src').catch(() => null);
  const parentUrl = child.parentFrame()?.url() ?? '';
  // A web frame still loading gets a bounded wait for its document; a refused one never commits, so it gets none.
  if (child.url() === '' && frameNote('', src, parentUrl, blocked)?.startsWith('[frame not loaded') === true) {
    await child.waitForLoadState('domcontentloaded', { timeout: FRAME_COMMIT_WAIT_MS }).catch(() => undefined);
  }
  return frameNote(child.url(), src, parentUrl, blocked);
}

function resolve(src: string | null, base: string): string | undefined {
  if (src === null) return undefined;
  try {
    return new URL(src, base).href;
  } catch {
    return undefined;
  }
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_SHOWN ? `${flat.slice(0, MAX_SHOWN)}…` : flat;
}
