import { createHash } from 'node:crypto';
import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { tokenBudgetEnd } from './tokens.js';

// The estimator is fitted on observe's renderings; on prose markdown it runs up to ~2% under o200k, and a window
// must never go over max_tokens.
const MARKDOWN_MARGIN = 0.96;

export interface MarkdownWindow {
  text: string;
  start: number;
  end: number;
  total: number;
  nextCursor?: string;
  /** Set when the cursor was made for different markdown (the page changed, or other arguments). */
  note?: string;
}

interface CursorState {
  offset: number;
  digest: string;
}

function digestOf(markdown: string): string {
  return createHash('sha256').update(markdown).digest('base64url').slice(0, 12);
}

export function encodeCursor(state: CursorState): string {
  return Buffer.from(`${state.offset}.${state.digest}`).toString('base64url');
}

export function decodeCursor(cursor: string): CursorState | undefined {
  const [offset, digest] = Buffer.from(cursor, 'base64url').toString('utf8').split('.');
  const value = Number(offset);
  if (!Number.isInteger(value) || value < 0 || digest === undefined || digest === '') return undefined;
  return { offset: value, digest };
}

/** True when `cursor` was cut from exactly this markdown. */
export function cursorMatches(cursor: string | undefined, markdown: string): boolean {
  return cursor !== undefined && decodeCursor(cursor)?.digest === digestOf(markdown);
}

/**
 * Where to cut at or before `limit`: a blank line, else a line end, else a space; first in the last tenth of the
 * window (so a part uses most of its budget), then in its back half (a long paragraph or table row).
 */
function cutAt(markdown: string, start: number, limit: number): number {
  if (limit >= markdown.length) return markdown.length;
  for (const share of [0.9, 0.5]) {
    const floor = start + Math.floor((limit - start) * share);
    for (const separator of ['\n\n', '\n', ' ']) {
      const at = markdown.lastIndexOf(separator, limit - separator.length);
      if (at >= floor) return at + separator.length;
    }
  }
  return limit;
}

/** The part of `markdown` to return for `cursor` within `maxTokens`, and the cursor of the part after it. */
export function windowMarkdown(markdown: string, maxTokens: number, cursor?: string): MarkdownWindow {
  const digest = digestOf(markdown);
  let start = 0;
  let note: string | undefined;
  if (cursor !== undefined) {
    const state = decodeCursor(cursor);
    if (state === undefined) throw new BsmError('E_BAD_CURSOR', `The cursor is not one ${TOOL.scrape} returned.`, `Call ${TOOL.scrape} again without cursor to start from the top.`);
    start = Math.min(state.offset, markdown.length);
    if (state.digest !== digest) note = 'The page changed since this cursor was issued; continuing at the same position.';
  }
  const end = cutAt(markdown, start, tokenBudgetEnd(markdown, start, maxTokens * MARKDOWN_MARGIN));
  const window: MarkdownWindow = { text: markdown.slice(start, end), start, end, total: markdown.length };
  if (end < markdown.length) window.nextCursor = encodeCursor({ offset: end, digest });
  if (note !== undefined) window.note = note;
  return window;
}
