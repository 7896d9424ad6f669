/** URLs up to this length stay inline: a reference costs about as many tokens as a short URL. */
export const PLACEHOLDER_MIN_URL_LENGTH = 40;

/**
 * Rewrites `[text](url)` and `![alt](url)` into reference links `[text][1]` for every URL longer than `minLength`,
 * with the `[1]: url` table at the end. `urls` are the destinations exactly as the markdown writer emitted them,
 * so matching is literal, never a markdown parse. A destination preceded by an escaped `\]` is page text, not a link.
 */
export function applyLinkPlaceholders(markdown: string, urls: readonly string[], minLength = PLACEHOLDER_MIN_URL_LENGTH): string {
  const hits: { at: number; url: string }[] = [];
  for (const url of new Set(urls)) {
    if (url.length <= minLength) continue;
    const needle = `](${url})`;
    for (let at = markdown.indexOf(needle); at >= 0; at = markdown.indexOf(needle, at + needle.length)) {
      if (markdown[at - 1] !== '\\') hits.push({ at, url });
    }
  }
  if (hits.length === 0) return markdown;
  hits.sort((a, b) => a.at - b.at);
  const numbers = new Map<string, number>();
  for (const hit of hits) if (!numbers.has(hit.url)) numbers.set(hit.url, numbers.size + 1);
  let out = '';
  let from = 0;
  for (const hit of hits) {
    out += `${markdown.slice(from, hit.at)}][${numbers.get(hit.url) ?? 0}]`;
    from = hit.at + hit.url.length + 3;
  }
  out += markdown.slice(from);
  const table = [...numbers].map(([url, n]) => `[${n}]: ${url}`).join('\n');
  return `${out}\n\n${table}`;
}
