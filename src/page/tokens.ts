/**
 * Token budgets without a tokenizer at runtime, one estimator for observe and scrape. A flat characters-per-token
 * ratio misjudges dense text (numbers, URLs, table pipes run near 3 characters per o200k token, prose near 4.5),
 * so the text is split the way o200k pre-tokenizes it (its pieces never merge across, so a text's tokens are the
 * sum of its pieces') and each piece is priced from its kind and length.
 */
// Pieces are what /(\p{Script=Latin}+)|(\d+)|([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])|(\p{L}+)|(\s+)|([^\s\p{L}\d]+)/gu
// matches (PIECES); test/unit/render.test.ts holds that regex as the reference the scanner below must equal.
// Fitted on the bench pages' renderings (text lines, JSON description lines, JSON actions) against o200k: each
// group's sum lands within 4% below and 6% above the real count; SAFETY covers the 4% so a chunk stays within
// max_tokens. Characters per token alone ranges from 2.4 (a table of dates and amounts) to 4.2 (prose).
const WORD = 0.96;
const LONG_WORD_PART = 0.37;
const DIGITS_3 = 1.4;
const PUNCT_RUN = 0.64;
const PUNCT_CHAR = 0.14;
const CJK_CHAR = 1;
const OTHER_LETTER = 0.5;
const SAFETY = 1.05;

/** o200k tokens of `text`, estimated from its words, numbers and punctuation; on the large side. */
export function estimateTokens(text: string): number {
  return Math.ceil(tokenWeight(text));
}

/** estimateTokens before rounding up: a chunk sums its lines' weights, so rounding each would add up. */
export function tokenWeight(text: string): number {
  return scan(text, 0, Infinity).weight;
}

/** Where the estimated tokens of `text` from `start` on first exceed `budget` (text.length when they never do). */
export function tokenBudgetEnd(text: string, start: number, budget: number): number {
  return scan(text, start, budget).end;
}

/**
 * A hand scanner that splits exactly as PIECES would (first matching alternative, greedy run) and adds the same
 * terms in the same order: matchAll allocates a match array per piece, several ms per large page. Stops before
 * the piece that would take the weight past `budget`; a first piece over the whole budget still goes, so a window
 * always moves on.
 */
function scan(text: string, from: number, budget: number): { weight: number; end: number } {
  let sum = 0;
  const n = text.length;
  let i = from;
  while (i < n) {
    const start = i;
    const c = codeAt(text, i);
    const cls = classOf(c);
    i += c > 0xffff ? 2 : 1;
    let cost = 0;
    if (cls === LATIN) {
      i = runEnd(text, i, isLatin);
      cost = WORD + LONG_WORD_PART * Math.max(0, Math.ceil((i - start) / 6) - 1);
    } else if (cls === DIGIT) {
      i = runEnd(text, i, isDigit);
      cost = DIGITS_3 * Math.ceil((i - start) / 3);
    } else if (cls === CJK) {
      cost = CJK_CHAR;
    } else if (cls === LETTER) {
      i = runEnd(text, i, isLetter);
      cost = OTHER_LETTER * (i - start);
    } else if (cls === SPACE) {
      i = runEnd(text, i, isSpace);
    } else {
      i = runEnd(text, i, isPunct);
      cost = PUNCT_RUN + PUNCT_CHAR * (i - start);
    }
    if ((sum + cost) * SAFETY > budget) return { weight: sum * SAFETY, end: start > from ? start : i };
    sum += cost;
  }
  return { weight: sum * SAFETY, end: n };
}

// The alternatives of PIECES, in its order. ASCII is decided by table; other code points by the same Unicode
// property classes PIECES uses.
const LATIN = 0;
const DIGIT = 1;
const CJK = 2;
const LETTER = 3;
const SPACE = 4;
const PUNCT = 5;
const LATIN_CP = /^\p{Script=Latin}$/u;
const CJK_CP = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;
const LETTER_CP = /^\p{L}$/u;
const SPACE_CP = /^\s$/u;

function codeAt(text: string, i: number): number {
  return text.codePointAt(i) ?? 0;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isLatin(c: number): boolean {
  return c < 0x80 ? isAsciiLetter(c) : LATIN_CP.test(String.fromCodePoint(c));
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetter(c: number): boolean {
  return c < 0x80 ? isAsciiLetter(c) : LETTER_CP.test(String.fromCodePoint(c));
}

function isSpace(c: number): boolean {
  return c < 0x80 ? isAsciiSpace(c) : SPACE_CP.test(String.fromCodePoint(c));
}

function isPunct(c: number): boolean {
  return !isDigit(c) && !isSpace(c) && !isLetter(c);
}

function classOf(c: number): number {
  if (c < 0x80) {
    if (isAsciiLetter(c)) return LATIN;
    if (isDigit(c)) return DIGIT;
    return isAsciiSpace(c) ? SPACE : PUNCT;
  }
  const s = String.fromCodePoint(c);
  if (LATIN_CP.test(s)) return LATIN;
  if (CJK_CP.test(s)) return CJK;
  if (LETTER_CP.test(s)) return LETTER;
  return SPACE_CP.test(s) ? SPACE : PUNCT;
}

/** Index after the run of code points from `i` that `inRun` accepts. */
function runEnd(text: string, i: number, inRun: (c: number) => boolean): number {
  const n = text.length;
  let j = i;
  while (j < n) {
    const c = codeAt(text, j);
    if (!inRun(c)) break;
    j += c > 0xffff ? 2 : 1;
  }
  return j;
}

