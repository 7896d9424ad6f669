/**
 * Runs inside the page (serialized with toString): no imports, no closures over module scope.
 *
 * Clones `root` without what a person cannot see. Hidden-ness needs the live layout, so it is decided on the
 * live DOM; the clone is then pruned by position, since `getElementsByTagName('*')` lists a node and its clone's
 * elements in the same order.
 */
export function cloneVisible(root: Element): Element {
  // Never content, and their text would leak into the markdown; no need to ask the layout about them.
  const nonContent = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'LINK', 'META', 'IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'CANVAS', 'SVG', 'svg', 'AUDIO', 'VIDEO', 'SOURCE', 'TRACK', 'MAP', 'HEAD', 'TITLE', 'BASE']);
  const live = root.getElementsByTagName('*');
  const count = live.length;
  // 1 = drop the subtree; 2 = visibility:hidden with element children: drop its own text, let children decide.
  const marks = new Uint8Array(count);
  let dropped: Element | null = null;
  for (let i = 0; i < count; i++) {
    const el = live[i];
    if (el === undefined) break;
    if (dropped !== null) {
      if (dropped.contains(el)) continue;
      dropped = null;
    }
    let mark = 0;
    if (nonContent.has(el.tagName) || el.hasAttribute('hidden') || el.getAttribute('aria-hidden') === 'true') {
      mark = 1;
    } else if (!el.checkVisibility({ visibilityProperty: true })) {
      // checkVisibility is the fast path; it also says false for display:contents and closed <details>, which show content.
      const style = getComputedStyle(el);
      if (style.display === 'none') mark = 1;
      else if (style.visibility === 'hidden' || style.visibility === 'collapse') mark = el.childElementCount === 0 ? 1 : 2;
    }
    marks[i] = mark;
    if (mark === 1) dropped = el;
  }

  const clone = root.cloneNode(true);
  if (!(clone instanceof Element)) return document.createElement('div');
  const copies = clone.getElementsByTagName('*');
  const drop: Element[] = [];
  const hollow: Element[] = [];
  for (let i = 0; i < count; i++) {
    const copy = copies[i];
    if (copy === undefined) break;
    if (marks[i] === 1) drop.push(copy);
    else if (marks[i] === 2) hollow.push(copy);
    else {
      // What a form control shows is live state a clone may not carry (a select's chosen option, typed text);
      // the markdown writer reads it from here. Passwords are never copied.
      const el = live[i];
      if (el instanceof HTMLSelectElement) copy.setAttribute('data-bsm-value', Array.from(el.selectedOptions, (option) => option.label.trim()).join(', '));
      else if (el instanceof HTMLTextAreaElement || (el instanceof HTMLInputElement && el.type !== 'password')) copy.setAttribute('data-bsm-value', el.value);
    }
  }
  for (const el of hollow) {
    for (const child of Array.from(el.childNodes)) if (child.nodeType === Node.TEXT_NODE) child.remove();
  }
  for (const el of drop) el.remove();
  return clone;
}
