import { createHash } from 'node:crypto';
import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';

/**
 * Token budgets without a tokenizer at runtime. A flat characters-per-token ratio misjudges dense text (numbers,
 * URLs, table pipes run near 3 characters per o200k token, prose near 4.5), so windows either overflowed or wasted
 * a quarter of the budget. Instead the text is split the way o200k pre-tokenizes it (its pieces never merge across,
 * so a text's tokens are the sum of its pieces') and each piece is priced from its kind and length, with prices
 * fitted to o200k on the bench pages and package READMEs (the fit is checked against gpt-tokenizer in
 * test/page/scrape.test.ts).
 */
// Alternatives of o200k's pre-tokenizer, grouped: 1 letters (with one leading non-letter), 2 digits, 3 punctuation, else whitespace.
const PIECE = /([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*)|(\p{N}{1,3})|( ?[^\s\p{L}\p{N}]+[\r\n/]*)|\s*[\r\n]+|\s+(?!\S)|\s+/gu;
// Any UTF-16 unit past ASCII (surrogate halves included, so astral characters count too).
const NON_ASCII = /[\u0080-\uffff]/;
// Han, kana, Hangul and their punctuation and compatibility blocks.
const CJK = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/;
// The fitted prices undershoot some pages by a few percent; this keeps every measured window within budget.
const SAFETY = 1.05;

function letterCost(piece: string): number {
  // Chinese, Japanese and Korean run about a token per character in o200k; other alphabets (Cyrillic, Greek,
  // accented Latin) come in word pieces, a little shorter than English ones.
  if (CJK.test(piece)) return Math.max(1, 0.9 * piece.length);
  if (NON_ASCII.test(piece)) return 1 + 0.15 * Math.max(0, piece.length - 4);
  const first = piece.charCodeAt(0);
  const isLetter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122);
  const letters = isLetter ? piece.length : piece.length - 1;
  const head = piece.charCodeAt(isLetter ? 0 : 1);
  let cost: number;
  // Common words come whole; "/path", "[Label" and capitalised names split more often, and more as they grow.
  if (!isLetter && first !== 32) cost = 1.1 + 0.13 * Math.max(0, letters - 2);
  else if (head >= 65 && head <= 90) cost = 1 + 0.07 * Math.max(0, letters - 3);
  else if (first === 32) cost = 1 + 0.06 * Math.max(0, letters - 5);
  else cost = 1 + 0.06 * Math.max(0, letters - 4);
  // Long runs (identifiers, base64, hashes) are mostly not words at all.
  return letters > 12 ? Math.max(cost, letters / 3) : cost;
}

function pieceCost(match: RegExpExecArray): number {
  const piece = match[0];
  if (match[1] !== undefined) return letterCost(piece);
  if (match[2] !== undefined) return 1;
  if (match[3] !== undefined) return piece.length <= 2 ? 1 : 0.35 * piece.length + (NON_ASCII.test(piece) ? 1 : 0);
  return piece.length < 16 ? 1 : piece.length / 8;
}

/** Where the estimated tokens of `text` from `start` on first exceed `budget` (text.length when they never do). */
function budgetEnd(text: string, start: number, budget: number): number {
  const pieces = new RegExp(PIECE.source, PIECE.flags);
  pieces.lastIndex = start;
  let spent = 0;
  for (let match = pieces.exec(text); match !== null; match = pieces.exec(text)) {
    spent += pieceCost(match) * SAFETY;
    // A first piece over the whole budget still goes out alone, so every part moves the cursor on.
    if (spent > budget) return match.index > start ? match.index : match.index + match[0].length;
  }
  return text.length;
}

/** Estimated o200k tokens of `text`: at or a little above the real count for page markdown. */
export function estimateTokens(text: string): number {
  const pieces = new RegExp(PIECE.source, PIECE.flags);
  let spent = 0;
  for (let match = pieces.exec(text); match !== null; match = pieces.exec(text)) spent += pieceCost(match) * SAFETY;
  return Math.ceil(spent);
}

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
  const end = cutAt(markdown, start, budgetEnd(markdown, start, maxTokens));
  const window: MarkdownWindow = { text: markdown.slice(start, end), start, end, total: markdown.length };
  if (end < markdown.length) window.nextCursor = encodeCursor({ offset: end, digest });
  if (note !== undefined) window.note = note;
  return window;
}
