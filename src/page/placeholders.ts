import { estimateTokens } from './tokens.js';

/**
 * Placeholders must earn their keep: below this share of the inline version's tokens the reference table is
 * not worth the indirection (a reader has to look links up at the end), so the markdown stays as it was.
 */
const MIN_SAVING = 0.02;

interface Candidate {
  url: string;
  /** How the table writes it: a path when the URL is on the page's origin (stated once above the table). */
  written: string;
  /** Offsets of `](url)` in the markdown. */
  hits: number[];
}

function originOf(pageUrl: string | undefined): string | undefined {
  if (pageUrl === undefined) return undefined;
  try {
    const origin = new URL(pageUrl).origin;
    // Opaque origins (data:, file:, about:) serialise as "null": nothing to shorten against.
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Rewrites `[text](url)` and `![alt](url)` into reference links `[text][1]`, with the `[1]: url` table at the end,
 * for every URL the swap makes cheaper: one repeated on the page (the table holds it once), or one on the page's
 * own origin (the table writes its path, the origin is stated once at the table's head). A URL used once on
 * another site costs more as a reference than inline and stays inline. When the whole rewrite does not save at
 * least MIN_SAVING of the tokens, the markdown comes back unchanged: placeholders never make a page bigger.
 *
 * `urls` are the destinations exactly as the markdown writer emitted them, so matching is literal, never a
 * markdown parse. A destination preceded by an escaped `\]` is page text, not a link.
 */
export function applyLinkPlaceholders(markdown: string, urls: readonly string[], pageUrl?: string): string {
  const origin = originOf(pageUrl);
  const candidates: Candidate[] = [];
  for (const url of new Set(urls)) {
    const needle = `](${url})`;
    const hits: number[] = [];
    for (let at = markdown.indexOf(needle); at >= 0; at = markdown.indexOf(needle, at + needle.length)) {
      if (markdown[at - 1] !== '\\') hits.push(at);
    }
    if (hits.length === 0) continue;
    const written = origin !== undefined && url.startsWith(`${origin}/`) ? url.slice(origin.length) : url;
    // Per URL: every inline `](url)` against a `][n]` each plus one table line.
    const inline = hits.length * estimateTokens(`](${url})`);
    const referenced = hits.length * estimateTokens('][10]') + estimateTokens(`\n[10]: ${written}`);
    if (referenced < inline) candidates.push({ url, written, hits });
  }
  if (candidates.length === 0) return markdown;

  const hits = candidates.flatMap((candidate) => candidate.hits.map((at) => ({ at, candidate })));
  hits.sort((a, b) => a.at - b.at);
  const numbers = new Map<Candidate, number>();
  for (const hit of hits) if (!numbers.has(hit.candidate)) numbers.set(hit.candidate, numbers.size + 1);
  let out = '';
  let from = 0;
  for (const hit of hits) {
    out += `${markdown.slice(from, hit.at)}][${numbers.get(hit.candidate) ?? 0}]`;
    from = hit.at + hit.candidate.url.length + 3;
  }
  out += markdown.slice(from);
  const lines = [...numbers].map(([candidate, n]) => `[${n}]: ${candidate.written}`);
  const shortened = candidates.some((candidate) => candidate.written !== candidate.url);
  if (shortened && origin !== undefined) lines.unshift(`Links (a /path is on ${origin}):`, '');
  const rewritten = `${out}\n\n${lines.join('\n')}`;
  return estimateTokens(rewritten) <= estimateTokens(markdown) * (1 - MIN_SAVING) ? rewritten : markdown;
}
