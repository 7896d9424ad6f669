import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { ElementHandle, Frame, Page } from 'playwright-core';
import { cloneVisible } from './injected/hiddenInPage.js';
import { collectImages } from './injected/imagesInPage.js';
import { toMarkdown } from './injected/markdownInPage.js';
import { scrapeInPage } from './injected/scrapeInPage.js';
import { collectStructure } from './injected/structureInPage.js';
import { normalizeTables } from './injected/tablesInPage.js';
import type { InPageArgs, InPageResult } from './injected/scrapeTypes.js';
import { runInstalledScrape, runInstalledScrapeOn } from './injected/scrapeRunner.js';
import { SCRAPE_GLOBAL } from './pageGlobals.js';
import { vendorBundleExpression } from './vendorScripts.js';


let installer: string | undefined;

/** Statements that define the in-page library (vendor bundles + our helpers) once in the current document. */
function installStatements(): string {
  installer ??= [
    `if (!globalThis.${SCRAPE_GLOBAL}) {`,
    `  const lib = { vendor: ${vendorBundleExpression()},`,
    `    cloneVisible: ${cloneVisible.toString()},`,
    `    normalizeTables: ${normalizeTables.toString()},`,
    `    collectImages: ${collectImages.toString()},`,
    `    collectStructure: ${collectStructure.toString()},`,
    `    toMarkdown: ${toMarkdown.toString()},`,
    `    run: ${scrapeInPage.toString()} };`,
    `  Object.defineProperty(globalThis, '${SCRAPE_GLOBAL}', { value: lib, configurable: true, enumerable: false });`,
    `}`,
  ].join('\n');
  return installer;
}

/**
 * Runs the scrape in the page: one evaluate when this document already has the library, two the first time
 * (install + run in the same string, so the ~120 KB of vendor code crosses CDP once per document).
 * A string expression, not a function, carries the install: Playwright compiles it through CDP, which pages'
 * CSP does not govern, so strict-CSP pages scrape too.
 */
export async function runScrapeInPage(page: Page, element: ElementHandle | null, args: InPageArgs): Promise<InPageResult> {
  if (element === null) {
    const fast = await page.evaluate(runInstalledScrape, { args, name: SCRAPE_GLOBAL });
    if (fast !== null) return fast;
    const expression = `(() => { ${installStatements()}\n return globalThis.${SCRAPE_GLOBAL}.run(globalThis.${SCRAPE_GLOBAL}, ${JSON.stringify(args)}, null); })()`;
    // page.evaluate(string) is typed unknown; the expression returns scrapeInPage's InPageResult.
    return (await page.evaluate(expression)) as InPageResult;
  }
  const run = (): Promise<InPageResult | null> =>
    element.evaluate(runInstalledScrapeOn, { args, name: SCRAPE_GLOBAL });
  const fast = await run();
  if (fast !== null) return fast;
  const frame: Frame | null = await element.ownerFrame();
  if (frame === null) throw new BsmError('E_PAGE_CHANGED', 'The element matched by the selector left the page while it was read.', `Call ${TOOL.scrape} again.`);
  await frame.evaluate(`(() => { ${installStatements()} })()`);
  const result = await run();
  if (result === null) throw new BsmError('E_PAGE_CHANGED', 'The page replaced its document while it was read.', `Call ${TOOL.scrape} again.`);
  return result;
}
