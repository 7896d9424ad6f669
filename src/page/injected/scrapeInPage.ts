import type { InPageArgs, InPageLib, InPageResult } from './scrapeTypes.js';

/**
 * Runs inside the page (serialized with toString): no imports at runtime, no closures over module scope.
 *
 * The whole scrape in one evaluate: clone without hidden content → absolute URLs → drop ignored tags →
 * normalize tables → (page structures) → Readability when only the main content is wanted → turndown.
 */
export function scrapeInPage(lib: InPageLib, args: InPageArgs, scope: Element | null): InPageResult {
  const root = scope ?? document.body ?? document.documentElement;
  const base = { url: location.href, title: document.title };
  if (args.onlyImages) return { ...base, markdown: '', urls: [], images: lib.collectImages(root) };

  const clone = lib.cloneVisible(root);
  const absolute = (raw: string): string | null => {
    try {
      return new URL(raw, document.baseURI).href;
    } catch {
      return null;
    }
  };
  for (const a of Array.from(clone.querySelectorAll('a[href]'))) {
    const href = absolute(a.getAttribute('href') ?? '');
    if (href === null) a.removeAttribute('href');
    else a.setAttribute('href', href);
  }
  for (const img of Array.from(clone.querySelectorAll('img'))) {
    const src = img.getAttribute('src');
    // Lazy loaders keep the real image in data-src and a placeholder (or nothing) in src.
    const lazy = img.getAttribute('data-src') ?? img.getAttribute('data-lazy-src');
    const chosen = lazy !== null && (src === null || src === '' || src.startsWith('data:')) ? lazy : src;
    const url = chosen === null ? null : absolute(chosen);
    if (url === null) img.removeAttribute('src');
    else img.setAttribute('src', url);
    img.removeAttribute('srcset');
  }
  for (const selector of args.ignoredTags) {
    try {
      for (const el of Array.from(clone.querySelectorAll(selector))) el.remove();
    } catch {
      // Not a valid selector: nothing on the page can match it.
    }
  }
  lib.normalizeTables(clone);
  const structure = args.collectStructure ? lib.collectStructure(clone) : undefined;

  let content: Element = clone;
  let heading = '';
  let mainContentFound: boolean | undefined;
  if (args.onlyMainContent) {
    // Readability takes the document apart; the fallback needs the pruned page as it was.
    const backup = clone.cloneNode(true);
    const doc = document.implementation.createHTMLDocument(document.title);
    const baseElement = doc.createElement('base');
    baseElement.href = document.baseURI;
    doc.head.append(baseElement);
    const adopted = doc.adoptNode(clone);
    if (adopted.tagName === 'BODY') doc.body.replaceWith(adopted);
    else doc.body.append(adopted);
    let article: ReturnType<InstanceType<InPageLib['vendor']['Readability']>['parse']>;
    try {
      // Readability's time grows faster than the page (about a second at 20k elements); past this many it throws
      // and the landmark fallback below answers in milliseconds.
      article = new lib.vendor.Readability(doc, { keepClasses: true, charThreshold: 200, maxElemsToParse: 12_000, serializer: (node: Node) => node }).parse();
    } catch {
      // Too many elements, or a degenerate document: the landmark fallback below covers both.
      article = null;
    }
    const found = article?.content;
    const squash = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
    const chrome = 'nav, header, footer, aside, [role="navigation"], [role="banner"], [role="contentinfo"], [role="complementary"], [role="search"]';
    const landmarkOf = (page: Element): Element | undefined => {
      const articles = page.querySelectorAll('article');
      return page.querySelector('main, [role="main"]') ?? (articles.length === 1 ? articles[0] : undefined);
    };
    const withoutChrome = (el: Element): Element => {
      for (const part of Array.from(el.querySelectorAll(chrome))) part.remove();
      return el;
    };
    /** The first paragraph of the document proper: in its <main>, after its first heading, outside page chrome. */
    const openingOf = (page: Element): Element | undefined => {
      const scope = landmarkOf(page) ?? page;
      const h1 = scope.querySelector('h1');
      return Array.from(scope.querySelectorAll('p, li, dd, blockquote')).find((el) => {
        if (el.closest(chrome) !== null || squash(el.textContent).length < 20) return false;
        return h1 === null || (h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
      });
    };
    if (found instanceof Element && (found.textContent ?? '').trim() !== '') {
      content = found;
      mainContentFound = true;
      // Readability now and then drops how a document begins (an intro it scores low): when the page's own opening
      // paragraph is missing, its landmark is read instead, or, with none, the opening is put back on top.
      const opening = backup instanceof Element ? openingOf(backup) : undefined;
      if (backup instanceof Element && opening !== undefined && !squash(content.textContent).includes(squash(opening.textContent).slice(0, 60))) {
        const landmark = landmarkOf(backup);
        if (landmark !== undefined) content = withoutChrome(landmark);
        else {
          const top = content.querySelector('h1, h2');
          if (top === null) content.prepend(opening);
          else top.after(opening);
        }
      }
      // Readability demotes every h1 to h2 and reports the <title>; the page's own h1 is the better title.
      const pageH1 = backup instanceof Element ? squash(backup.querySelector('h1')?.textContent) : '';
      const first = content.querySelector('h1, h2');
      let anchor: Element | null = null;
      if (first !== null && pageH1 !== '' && squash(first.textContent) === pageH1) {
        const h1 = doc.createElement('h1');
        h1.append(...Array.from(first.childNodes));
        first.replaceWith(h1);
        anchor = h1;
      } else {
        heading = squash(article?.title);
      }
      const byline = squash(article?.byline);
      if (byline !== '' && !squash(content.textContent).includes(byline)) {
        const line = doc.createElement('p');
        line.textContent = byline;
        if (anchor !== null) anchor.after(line);
        else content.prepend(line);
      }
    } else if (backup instanceof Element) {
      mainContentFound = false;
      content = withoutChrome(landmarkOf(backup) ?? backup);
    }
  }

  const { markdown, urls } = lib.toMarkdown(lib, content, args);
  const titled = heading !== '' && !markdown.startsWith('# ') ? `# ${heading}\n\n${markdown}` : markdown;
  const result: InPageResult = { ...base, markdown: titled, urls };
  if (structure !== undefined) result.structure = structure;
  if (mainContentFound !== undefined) result.mainContentFound = mainContentFound;
  return result;
}
