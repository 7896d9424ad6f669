import type { InPageArgs, InPageLib, InPageResult } from './scrapeTypes.js';

/**
 * Runs inside the page (serialized by Playwright's evaluate): no imports at runtime, no closures over module scope.
 * Runs the scrape library inPageScrape.ts installed in this document under `name`; null when it is not there yet.
 */
export function runInstalledScrape({ args, name }: { args: InPageArgs; name: string }): InPageResult | null {
  // The global is ours (installStatements) or absent; nothing else writes that name.
  const lib = (globalThis as unknown as Record<string, InPageLib | undefined>)[name];
  return lib === undefined ? null : lib.run(lib, args, null);
}

/** The same, limited to `el` (a selector's match). */
export function runInstalledScrapeOn(el: Element, { args, name }: { args: InPageArgs; name: string }): InPageResult | null {
  const lib = (globalThis as unknown as Record<string, InPageLib | undefined>)[name];
  return lib === undefined ? null : lib.run(lib, args, el);
}
