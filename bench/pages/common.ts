/** Shared bits of the bench pages: a document shell and a deterministic pseudo-random source. */

export function documentShell(title: string, css: string, body: string, script: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>
body{font-family:system-ui,sans-serif;margin:0;color:#222}a{color:#0645ad}header,footer{background:#f4f4f4;padding:8px 16px}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:12px}.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
#status{padding:4px 16px;min-height:1.2em}${css}</style></head><body>${body}
<div id="status" role="status" aria-live="polite"></div>
<script>
function report(text){ document.getElementById('status').textContent = text; document.body.dataset.done = '1'; }
${script}
</script></body></html>`;
}

/** A small linear congruential generator: the same page on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export const LOREM = [
  'Teams that ship weekly rely on small, reviewable changes and a clear owner for every service.',
  'The council approved the new budget after a long debate over transport and housing priorities.',
  'Analysts expect demand to recover slowly as supply chains adapt to higher shipping costs.',
  'Residents described the storm as the worst in a decade, with power out for two days in some districts.',
  'The study followed 4,000 participants for twelve years and found a modest but consistent effect.',
  'Critics argue the proposal shifts costs onto small businesses without a clear plan for enforcement.',
  'Engineers traced the outage to a configuration change that was rolled out to every region at once.',
  'The museum will reopen its east wing in spring, with a new gallery dedicated to maritime history.',
];

/** Footer with the link farm most real sites carry. */
export function bigFooter(columns: readonly string[], perColumn: number): string {
  const cols = columns
    .map((title) => `<div class="col"><h4>${title}</h4><ul>${Array.from({ length: perColumn }, (_, i) => `<li><a href="/${slug(title)}/${i + 1}">${title} link ${i + 1}</a></li>`).join('')}</ul></div>`)
    .join('');
  return `<footer><div class="cols" style="display:flex;gap:24px">${cols}</div><p>© 2026 Example Corp. All rights reserved. <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a> · <a href="/cookies">Cookie settings</a></p></footer>`;
}

/** A URL path segment from a label: "New arrivals" → "new-arrivals". */
export function slug(text: string): string {
  return text.toLowerCase().replace(/\W+/g, '-');
}
