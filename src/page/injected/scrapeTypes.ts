import type { Readability } from '@mozilla/readability';
import type TurndownService from 'turndown';

/** Shapes that cross the page boundary (JSON only) and the vendor libraries as the page sees them. */

export type ImageCategory = 'favicon' | 'icon' | 'content_image' | 'decorative' | 'svg_icon' | 'svg_content';

export interface InPageImage {
  url?: string;
  category: ImageCategory;
  description?: string;
}

export interface TableCell {
  text: string;
  href?: string;
}

export interface PageTable {
  /** Header texts, one per column (after colspan/rowspan expansion). */
  headers: string[];
  rows: TableCell[][];
  /** Caption, or the nearest heading before the table. */
  label?: string;
}

export interface PageList {
  items: string[];
  ordered: boolean;
  label?: string;
}

export interface PageDefinitions {
  /** Term → description pairs from `<dl>`, and from two-column tables whose first column holds row headers. */
  entries: [string, string][];
  label?: string;
}

export interface PageStructure {
  tables: PageTable[];
  lists: PageList[];
  definitions: PageDefinitions[];
}

export interface InPageArgs {
  scrapeLinks: boolean;
  scrapeImages: boolean;
  ignoredTags: string[];
  onlyMainContent: boolean;
  onlyImages: boolean;
  /** Also return the page's tables, lists and definition lists (for deterministic structured extraction). */
  collectStructure: boolean;
}

export interface InPageResult {
  url: string;
  title: string;
  markdown: string;
  /** Link and image destinations exactly as written into `markdown`, in order of appearance. */
  urls: string[];
  images?: InPageImage[];
  structure?: PageStructure;
  /** False when only_main_content was asked but Readability found no article, so landmarks were used instead. */
  mainContentFound?: boolean;
}

export interface GfmPlugin {
  gfm: TurndownService.Plugin;
}

export interface Vendor {
  Readability: typeof Readability<Node>;
  TurndownService: typeof TurndownService;
  turndownPluginGfm: GfmPlugin;
}

/** Every in-page helper, installed once per document under one non-enumerable global. */
export interface InPageLib {
  vendor: Vendor;
  cloneVisible(root: Element): Element;
  normalizeTables(root: Element): void;
  collectImages(root: Element): InPageImage[];
  collectStructure(root: Element): PageStructure;
  toMarkdown(lib: InPageLib, root: Element, args: InPageArgs): { markdown: string; urls: string[] };
  run(lib: InPageLib, args: InPageArgs, scope: Element | null): InPageResult;
}
