import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Browser builds the scrape pipeline runs inside the page. Each is read from node_modules (never copied into src)
 * and wrapped so it defines nothing on the page's globals: the UMD/CommonJS guards see a local `module`.
 */
const VENDOR_FILES = {
  // A plain script ending in `if (typeof module === "object") module.exports = Readability`.
  Readability: '@mozilla/readability/Readability.js',
  // UMD; the browser build parses strings with DOMParser instead of a Node DOM.
  TurndownService: 'turndown/lib/turndown.browser.umd.js',
  // An IIFE assigning `var turndownPluginGfm`; inside our wrapper that var stays local.
  turndownPluginGfm: 'turndown-plugin-gfm/dist/turndown-plugin-gfm.js',
} as const;

let cached: string | undefined;

function wrapCommonJs(source: string): string {
  return `(function () { var module = { exports: {} }; var exports = module.exports; var define; ${source}\n; return module.exports; })()`;
}

/**
 * One JavaScript expression that evaluates to `{ Readability, TurndownService, turndownPluginGfm }`.
 * Read once per process; the files are ~120 KB together.
 */
export function vendorBundleExpression(): string {
  if (cached !== undefined) return cached;
  const read = (specifier: string): string => readFileSync(require.resolve(specifier), 'utf8');
  const readability = wrapCommonJs(read(VENDOR_FILES.Readability));
  const turndown = wrapCommonJs(read(VENDOR_FILES.TurndownService));
  const gfm = `(function () { ${read(VENDOR_FILES.turndownPluginGfm)}\n; return turndownPluginGfm; })()`;
  cached = `({ Readability: ${readability}, TurndownService: ${turndown}, turndownPluginGfm: ${gfm} })`;
  return cached;
}
