import type { Page } from 'playwright-core';
import type { PageHost } from './host.js';
import { drawOverlay, removeOverlay } from './injected/overlay.js';
import type { OverlayBox } from './injected/overlay.js';

const LAYER_ID = '__bsm_overlay__';
const JPEG_QUALITY = 85;

/**
 * A JPEG of the viewport as screenshot_type asks: plain (`raw`), every id boxed (`full`), or only the element
 * of the last step (`last_action`). Boxes are drawn by a temporary click-through layer, removed afterwards.
 */
export async function takeScreenshot(host: PageHost, page: Page = host.page()): Promise<Buffer> {
  const boxes = boxesFor(host, page);
  if (boxes.length === 0) return page.screenshot({ type: 'jpeg', quality: JPEG_QUALITY });
  await page.evaluate(drawOverlay, { boxes, layerId: LAYER_ID });
  try {
    return await page.screenshot({ type: 'jpeg', quality: JPEG_QUALITY });
  } finally {
    await page.evaluate(removeOverlay, LAYER_ID).catch(() => undefined);
  }
}

function boxesFor(host: PageHost, page: Page): OverlayBox[] {
  const snapshot = host.snapshot;
  if (snapshot === undefined || host.screenshotType === 'raw' || snapshot.url !== page.url()) return [];
  const viewport = page.viewportSize();
  const wanted =
    host.screenshotType === 'full'
      ? [...snapshot.elements.values()]
      : [...snapshot.elements.values()].filter((el) => el.id === host.lastActionId);
  const boxes: OverlayBox[] = [];
  for (const el of wanted) {
    const bbox = el.bbox;
    if (bbox === null) continue;
    const onScreen = viewport === null || (bbox.x < viewport.width && bbox.y < viewport.height && bbox.x + bbox.width > 0 && bbox.y + bbox.height > 0);
    if (onScreen) boxes.push({ id: el.id, x: bbox.x, y: bbox.y, w: bbox.width, h: bbox.height });
  }
  return boxes;
}
