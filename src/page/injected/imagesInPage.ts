import type { ImageCategory, InPageImage } from './scrapeTypes.js';

/**
 * Runs inside the page (serialized with toString): no imports at runtime, no closures over module scope.
 *
 * The images a person sees in `root` (plus the document's icons), each with an absolute url, a description and
 * a category read from the live layout: rendered size, alt="" / role=presentation, rel=icon.
 */
export function collectImages(root: Element): InPageImage[] {
  // Up to this many CSS pixels on the longer side an image reads as an icon, not content.
  const ICON_MAX = 48;
  // data: URLs carry the image itself; past this length they cost tokens and tell the agent nothing.
  const DATA_URL_MAX = 256;
  const out: InPageImage[] = [];
  const seen = new Set<string>();
  const clean = (text: string | null | undefined): string => (text ?? '').replace(/\s+/g, ' ').trim();
  const absolute = (raw: string | null): string | undefined => {
    if (raw === null || raw.trim() === '') return undefined;
    try {
      const url = new URL(raw, document.baseURI).href;
      return url.startsWith('data:') && url.length > DATA_URL_MAX ? undefined : url;
    } catch {
      return undefined;
    }
  };
  const push = (url: string | undefined, category: ImageCategory, description: string): void => {
    if (url !== undefined) {
      if (seen.has(url)) return;
      seen.add(url);
    }
    const image: InPageImage = { category };
    if (url !== undefined) image.url = url;
    if (description !== '') image.description = description;
    out.push(image);
  };

  for (const link of Array.from(document.querySelectorAll('link[rel][href]'))) {
    const rel = (link.getAttribute('rel') ?? '').toLowerCase().split(/\s+/);
    if (!rel.some((token) => token === 'icon' || token === 'apple-touch-icon' || token === 'mask-icon')) continue;
    const sizes = link.getAttribute('sizes');
    push(absolute(link.getAttribute('href')), 'favicon', clean(`${rel.join(' ')}${sizes === null ? '' : ` ${sizes}`}`));
  }

  const candidates = root.matches('img, svg') ? [root] : [];
  candidates.push(...Array.from(root.querySelectorAll('img, svg')));
  for (const el of candidates) {
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    const box = el.getBoundingClientRect();
    const longer = Math.max(box.width, box.height);
    const presentational = el.closest('[aria-hidden="true"]') !== null || ['presentation', 'none'].includes(el.getAttribute('role') ?? '');
    if (el instanceof HTMLImageElement) {
      const lazy = el.getAttribute('data-src') ?? el.getAttribute('data-lazy-src');
      const src = el.currentSrc !== '' ? el.currentSrc : el.getAttribute('src') ?? lazy;
      const url = absolute(src !== null && src.startsWith('data:') && lazy !== null ? lazy : src);
      const alt = el.getAttribute('alt');
      const caption = clean(el.closest('figure')?.querySelector('figcaption')?.textContent);
      const description = clean(alt ?? el.getAttribute('title') ?? el.getAttribute('aria-label')) || caption;
      const pixel = box.width <= 2 && box.height <= 2;
      const category: ImageCategory = presentational || alt === '' || pixel ? 'decorative' : longer <= ICON_MAX ? 'icon' : 'content_image';
      push(url, category, description);
    } else if (el instanceof SVGSVGElement) {
      // An svg inside another svg is part of that drawing.
      if (el.parentElement?.closest('svg') !== null && el.parentElement?.closest('svg') !== undefined) continue;
      const title = Array.from(el.children).find((child) => child.tagName.toLowerCase() === 'title');
      const description = clean(el.getAttribute('aria-label') ?? title?.textContent);
      push(undefined, longer <= ICON_MAX ? 'svg_icon' : 'svg_content', description);
    }
  }
  return out;
}
