/** A box to draw over the page, in top-viewport CSS pixels. */
export interface OverlayBox {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Runs inside the top frame (serialized with toString): no imports, no closures over module scope.
 * Draws labelled boxes in a fixed, click-through layer above everything; `removeOverlay` takes it away.
 */
export function drawOverlay(args: { boxes: OverlayBox[]; layerId: string }): void {
  document.getElementById(args.layerId)?.remove();
  const layer = document.createElement('div');
  layer.id = args.layerId;
  layer.setAttribute('aria-hidden', 'true');
  layer.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:2147483647;contain:strict;';
  const colors = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#008080', '#9a6324', '#800000'];
  args.boxes.forEach((box, i) => {
    const color = colors[i % colors.length] ?? '#e6194b';
    const frame = document.createElement('div');
    frame.style.cssText = `position:absolute;left:${box.x}px;top:${box.y}px;width:${box.w}px;height:${box.h}px;outline:2px solid ${color};box-sizing:border-box;`;
    const tag = document.createElement('span');
    tag.textContent = box.id;
    const above = box.y >= 14;
    tag.style.cssText = `position:absolute;left:-2px;${above ? 'top:-14px' : 'top:0'};font:bold 11px/13px monospace;color:#fff;background:${color};padding:0 2px;white-space:nowrap;`;
    frame.appendChild(tag);
    layer.appendChild(frame);
  });
  (document.body ?? document.documentElement).appendChild(layer);
}

export function removeOverlay(layerId: string): void {
  document.getElementById(layerId)?.remove();
}
