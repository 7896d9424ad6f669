import { createHash } from 'node:crypto';

/**
 * Token budgets without a tokenizer at runtime: markdown of ordinary pages runs 3.3–4.5 characters per o200k
 * token, the low end for link-heavy text (measured in test/page/scrape.test.ts); 3.2 keeps windows within budget.
 */
export const CHARS_PER_TOKEN = 3.2;

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

/** Where to cut at or before `limit`: a blank line, else a line end, else a space, in the back half of the window. */
function cutAt(markdown: string, start: number, limit: number): number {
  if (limit >= markdown.length) return markdown.length;
  const floor = start + Math.floor((limit - start) / 2);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = markdown.lastIndexOf(separator, limit - separator.length);
    if (at >= floor) return at + separator.length;
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
    if (state === undefined) throw new Error('The cursor is not one scrape returned. Scrape again without cursor to start from the top.');
    start = Math.min(state.offset, markdown.length);
    if (state.digest !== digest) note = 'The page changed since this cursor was issued; continuing at the same position.';
  }
  const end = cutAt(markdown, start, start + Math.floor(maxTokens * CHARS_PER_TOKEN));
  const window: MarkdownWindow = { text: markdown.slice(start, end), start, end, total: markdown.length };
  if (end < markdown.length) window.nextCursor = encodeCursor({ offset: end, digest });
  if (note !== undefined) window.note = note;
  return window;
}
