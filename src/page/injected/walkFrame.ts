import type { InPageRegistry, RawLine, RawSlot, WalkArgs, WireElement, WireResult } from './observeTypes.js';

/**
 * Runs inside one frame (serialized with toString): no imports, no closures over module scope.
 *
 * One pass over the flat tree (open shadow roots and slotted children in rendering order) that does three
 * things at once: finds what a person could see and use, gives it a provisional id (per-prefix counters in
 * this frame), and lays the visible text out in reading lines with those elements inline. The elements are
 * kept in `globalThis.__bsm` so step can resolve ids without another query.
 *
 * Returns the WalkResult as JSON text: Playwright's structured serialization of a few thousand small objects
 * costs several times the walk itself, a single string almost nothing.
 */
export function walkFrame(args: WalkArgs): string {
  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'meta', 'link', 'title', 'base', 'datalist', 'object', 'embed', 'audio', 'track', 'source', 'map']);
  const PREFIX: Record<string, string> = {
    link: 'L', button: 'B', checkbox: 'B', radio: 'B', tab: 'B', menuitem: 'B', menuitemcheckbox: 'B', menuitemradio: 'B', switch: 'B',
    textbox: 'I', searchbox: 'I', combobox: 'I', listbox: 'I', slider: 'I', spinbutton: 'I', option: 'O', img: 'F', image: 'F', figure: 'F',
  };
  const INTERACTIVE_ROLES = new Set([...Object.keys(PREFIX).filter((r) => r !== 'img' && r !== 'image' && r !== 'figure'), 'treeitem']);
  const NATIVE = new Set(['a', 'button', 'input', 'select', 'textarea', 'summary']);
  // A table cell with more text than this is page layout, not data: its blocks keep their own lines.
  const MAX_CELL_CHARS = 600;
  // Roles named by their label first: their content is the value typed or chosen, or a state ("on" of a switch).
  const FIELD_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'slider', 'spinbutton', 'switch']);
  const PLAIN_INPUTS = new Set(['text', 'search', 'email', 'tel', 'url', '']);
  const BUTTON_INPUTS: Record<string, string> = { submit: 'Submit', reset: 'Reset', button: '', image: '' };

  const win = window;
  const vw = win.innerWidth;
  const vh = win.innerHeight;
  // Read once: the walk never scrolls, and each read of scrollX/scrollY costs a layout check.
  const scrollX = win.scrollX;
  const scrollY = win.scrollY;
  const els: Element[] = [];
  const raw: WireElement[] = [];
  // Full selectors by element index; they cross the boundary front-coded (see WireResult.sels).
  const sels: string[] = [];
  const slots: Element[] = [];
  const rawSlots: RawSlot[] = [];
  const lines: RawLine[] = [];
  const counters: Record<string, number> = {};
  const selectorCache = new Map<Element, string>();
  const rectCache = new Map<Element, DOMRect>();
  let visited = 0;
  let modal = false;
  let lastHeading = '';
  let line: RawLine = { y: Infinity, b: -Infinity, h: 0, parts: [] };

  interface Ctx {
    /** Index of the element whose name is being gathered from its content, or -1. */
    action: number;
    /** An ancestor hides its whole subtree (opacity 0, clipped to nothing); visibility is per element. */
    transparent: boolean;
    /** The parent's own computed visibility, which text nodes inherit. */
    visible: boolean;
    cursor: string;
    /** Text already carried by a control's label. */
    quiet: boolean;
    /** Inside a data table's cell: its paragraphs, lists and code stay on the row's one line. */
    cell: boolean;
  }
  const texts = new Map<number, string[]>();

  const clip = (s: string, max: number): string => {
    const t = s.replace(/\s+/g, ' ').trim();
    return t.length > max ? `${t.slice(0, max - 1).trimEnd()}…` : t;
  };
  const rectOf = (el: Element): DOMRect => {
    let r = rectCache.get(el);
    if (r === undefined) {
      r = el.getBoundingClientRect();
      rectCache.set(el, r);
    }
    return r;
  };
  const flush = (): void => {
    if (line.parts.some((p) => typeof p === 'number' || p.trim() !== '')) {
      // Text whose box has no size still reads in order: place it where the previous line ended.
      if (line.y === Infinity) {
        const previous = lines.at(-1);
        line.y = previous === undefined ? 0 : previous.b;
        line.b = line.y;
      }
      lines.push(line);
    }
    line = { y: Infinity, b: -Infinity, h: 0, parts: [] };
  };
  const extend = (r: DOMRect): void => {
    if (r.height <= 0 && r.width <= 0) return;
    line.y = Math.min(line.y, r.top);
    line.b = Math.max(line.b, r.bottom);
  };
  const addText = (t: string, owner: Element): void => {
    line.parts.push(t);
    extend(rectOf(owner));
  };

  const roleOf = (el: Element): string => {
    const attr = el.getAttribute('role');
    const explicit = attr === null ? '' : (attr.trim().split(/\s+/)[0]?.toLowerCase() ?? '');
    if (explicit !== '' && explicit !== 'presentation' && explicit !== 'none' && explicit !== 'generic') return explicit;
    const tag = el.localName;
    if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : '';
    if (tag === 'button' || tag === 'summary') return 'button';
    if (tag === 'textarea') return 'textbox';
    if (tag === 'option') return 'option';
    if (tag === 'img') return 'img';
    if (tag === 'figure') return 'figure';
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'dialog') return 'dialog';
    if (el instanceof HTMLSelectElement) return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (el instanceof HTMLInputElement) {
      const type = el.type;
      if (type === 'hidden') return '';
      if (type in BUTTON_INPUTS) return 'button';
      if (type === 'checkbox' || type === 'radio') return type;
      if (type === 'range') return 'slider';
      if (type === 'number') return 'spinbutton';
      if (type === 'search') return 'searchbox';
      if (el.hasAttribute('list')) return 'combobox';
      return 'textbox';
    }
    return '';
  };

  const CONTROLS = 'a[href],button,input:not([type=hidden]),select,textarea,[role=button],[role=link],[role=checkbox]';
  const textOutside = (root: Element): string => {
    let out = '';
    const visit = (n: Node): void => {
      if (n.nodeType === Node.TEXT_NODE) out += n.nodeValue ?? '';
      else if (n instanceof Element && !SKIP.has(n.localName) && !n.matches(CONTROLS)) for (let c = n.firstChild; c !== null; c = c.nextSibling) visit(c);
    };
    for (let c = root.firstChild; c !== null; c = c.nextSibling) visit(c);
    return out.trim();
  };

  const textOf = (node: Node, skipControls: boolean): string => {
    let out = '';
    const visit = (n: Node): void => {
      if (n.nodeType === Node.TEXT_NODE) out += ` ${n.nodeValue ?? ''}`;
      else if (n instanceof Element) {
        const tag = n.localName;
        if (SKIP.has(tag)) return;
        if (skipControls && (tag === 'select' || tag === 'textarea' || tag === 'input')) return;
        if (tag === 'img') out += ` ${n.getAttribute('alt') ?? ''}`;
        for (let c = n.firstChild; c !== null; c = c.nextSibling) visit(c);
      }
    };
    visit(node);
    return out.replace(/\s+/g, ' ').trim();
  };

  const labelledBy = (el: Element): string => {
    const ids = el.getAttribute('aria-labelledby');
    if (ids === null) return '';
    const root = el.getRootNode();
    const find = (id: string): Element | null =>
      root instanceof Document || root instanceof ShadowRoot ? root.getElementById(id) : null;
    return ids.split(/\s+/).map((id) => find(id)).map((ref) => (ref === null ? '' : textOf(ref, true))).join(' ').trim();
  };

  const fieldLabel = (el: Element): string => {
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
      const labels = el.labels;
      if (labels !== null) {
        for (const label of Array.from(labels)) {
          const t = textOf(label, true);
          if (t !== '') return t;
        }
      }
    }
    return '';
  };

  /** The name known before the content is read; content-named roles complete it afterwards. */
  const preName = (el: Element): string => {
    const by = labelledBy(el);
    if (by !== '') return by;
    const aria = (el.getAttribute('aria-label') ?? '').trim();
    if (aria !== '') return aria;
    const label = fieldLabel(el);
    if (label !== '') return label;
    if (el instanceof HTMLInputElement && el.type in BUTTON_INPUTS) {
      return el.type === 'image' ? (el.alt || el.value) : el.value || BUTTON_INPUTS[el.type] || '';
    }
    if (el instanceof HTMLImageElement) return el.alt.trim();
    return '';
  };

  const fallbackName = (el: Element): string => {
    const title = (el.getAttribute('title') ?? '').trim();
    if (title !== '') return title;
    if (el instanceof HTMLAnchorElement) {
      const href = el.getAttribute('href') ?? '';
      return href.replace(/^https?:\/\/[^/]+/, '').replace(/[?#].*$/, '').slice(0, 60);
    }
    if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
      const placeholder = el instanceof HTMLSelectElement ? '' : el.placeholder;
      return placeholder === '' ? el.name : '';
    }
    const svgTitle = el.querySelector('title');
    const svgName = svgTitle === null ? '' : (svgTitle.textContent ?? '').trim();
    return svgName !== '' ? svgName : classDerivedName(el);
  };

  // Only icon and button classes say what an element is for ("fa-trash", "btn-close", "search-icon"); layout and
  // utility classes ("flex", "p-2", hashed "css-1x2y") would only add noise, so they never name anything.
  const ICON_CLASS = /^(?:fa[srlbd]?|bi|mdi|glyphicon|icons?|ti|ion|ri|ph|btn|button)[-_]+([a-z][a-z-_]*)$|^([a-z][a-z-_]*?)[-_]+(?:icon|btn|button)$/;
  const CLASS_NOISE = new Set(['solid', 'regular', 'light', 'thin', 'brands', 'duotone', 'sharp', 'primary', 'secondary', 'tertiary', 'success', 'danger', 'warning', 'info', 'dark', 'link', 'outline', 'default', 'sm', 'lg', 'xs', 'md', 'xl', 'fw', 'block', 'group', 'toolbar', 'wrapper', 'container', 'text', 'label', 'round', 'rounded', 'small', 'large', 'ghost', 'plain', 'flat', 'active', 'disabled', 'spin', 'pulse']);
  const iconWords = (classes: string | null): string => {
    for (const token of (classes ?? '').toLowerCase().split(/\s+/)) {
      const match = ICON_CLASS.exec(token);
      const words = (match?.[1] ?? match?.[2] ?? '').replace(/[-_]+/g, ' ').trim();
      if (words !== '' && !CLASS_NOISE.has(words) && !words.startsWith('outline ')) return words;
    }
    return '';
  };
  /** The last name an element can get: its own icon class, or that of an icon inside it (`<button><i class="fa fa-trash">`). */
  const classDerivedName = (el: Element): string => {
    const own = iconWords(el.getAttribute('class'));
    if (own !== '') return own;
    for (const icon of Array.from(el.querySelectorAll('i[class], span[class], svg[class]')).slice(0, 4)) {
      const words = iconWords(icon.getAttribute('class'));
      if (words !== '') return words;
    }
    return '';
  };

  // Ids that occur more than once in the document, counted once per walk instead of one querySelectorAll per element.
  // Quirks mode matches #id case-insensitively, and CSS.escape turns NUL into U+FFFD: there the per-element
  // query stays the reference.
  const quirks = document.compatMode === 'BackCompat';
  let idCounts: Map<string, number> | undefined;
  const uniqueId = (doc: Document, id: string): boolean => {
    if (quirks || id.includes('\u0000')) return doc.querySelectorAll(`#${CSS.escape(id)}`).length === 1;
    if (idCounts === undefined) {
      idCounts = new Map();
      for (const e of Array.from(doc.querySelectorAll('[id]'))) idCounts.set(e.id, (idCounts.get(e.id) ?? 0) + 1);
    }
    return idCounts.get(id) === 1;
  };
  // Each child's nth-of-type index (0 when its tag is alone among its siblings), computed once per parent:
  // counting per child is quadratic in wide lists.
  const nthCache = new Map<Element, number>();
  const indexSiblings = (parent: ParentNode): void => {
    const same = new Map<string, number>();
    for (let s = parent.firstElementChild; s !== null; s = s.nextElementSibling) same.set(s.localName, (same.get(s.localName) ?? 0) + 1);
    const seen = new Map<string, number>();
    for (let s = parent.firstElementChild; s !== null; s = s.nextElementSibling) {
      const name = s.localName;
      const index = (seen.get(name) ?? 0) + 1;
      seen.set(name, index);
      nthCache.set(s, (same.get(name) ?? 0) > 1 ? index : 0);
    }
  };
  const segmentOf = (el: Element, siblings: ParentNode | null): string => {
    const segment = el.localName.includes(':') ? '*' : CSS.escape(el.localName);
    if (siblings === null) return segment;
    let index = nthCache.get(el);
    if (index === undefined) {
      indexSiblings(siblings);
      index = nthCache.get(el) ?? 0;
    }
    return index > 0 ? `${segment}:nth-of-type(${index})` : segment;
  };

  const selectorOf = (el: Element): string => {
    const cached = selectorCache.get(el);
    if (cached !== undefined) return cached;
    const root = el.getRootNode();
    let sel: string;
    if (root instanceof Document && el.id !== '' && uniqueId(root, el.id)) {
      sel = `#${CSS.escape(el.id)}`;
    } else if (el === document.documentElement) {
      sel = 'html';
    } else {
      const parent = el.parentElement ?? (root instanceof ShadowRoot ? root.host : null);
      const siblings = el.parentElement ?? (root instanceof ShadowRoot ? root : null);
      const segment = segmentOf(el, siblings);
      sel = parent === null ? segment : `${selectorOf(parent)} > ${segment}`;
    }
    selectorCache.set(el, sel);
    return sel;
  };

  // Item containers: what a list repeats (a row, a list item, a card). Their leading text tells two "Add to cart"
  // buttons apart. Cached per element: siblings share ancestors.
  const ITEM_TAGS = new Set(['tr', 'li', 'article']);
  const ITEM_ROLES = new Set(['row', 'listitem', 'article']);
  const CELLS = 'th,td,[role=cell],[role=gridcell],[role=rowheader]';
  const HEADINGS = 'h1,h2,h3,h4,h5,h6,[role=heading],legend,caption';
  const MAX_ITEM_DEPTH = 10;
  // Repeated for layout, not as items: the cells of a row are parts of one item.
  const NOT_CARDS = new Set(['body', 'html', 'td', 'th', 'tbody', 'thead', 'tfoot', 'colgroup', 'col', 'option', 'optgroup', 'br']);
  const itemCache = new Map<Element, boolean>();
  const siblingSigs = new Map<Element, Map<string, number>>();
  const leadCache = new Map<Element, { node: Element | null; text: string }[]>();
  // The nearest item of each element: how many there are, and how many show a price, hint at the page's category.
  const itemsSeen = new Set<Element>();
  const PRICE = /[$€£¥₹]\s?\d|\d\s?(?:[$€£¥₹]|USD\b|EUR\b|GBP\b)/;
  const sigOf = (el: Element): string => `${el.localName}.${el.getAttribute('class') ?? ''}`;
  const isItem = (el: Element): boolean => {
    let known = itemCache.get(el);
    if (known !== undefined) return known;
    const role = (el.getAttribute('role') ?? '').trim().toLowerCase();
    known = ITEM_TAGS.has(el.localName) || ITEM_ROLES.has(role);
    const parent = el.parentElement;
    if (!known && parent !== null && !NOT_CARDS.has(el.localName) && !el.matches('[role=cell],[role=gridcell],[role=columnheader],[role=rowheader]')) {
      // A card: its parent holds at least three elements of the same tag and class.
      let sigs = siblingSigs.get(parent);
      if (sigs === undefined) {
        sigs = new Map();
        for (let child = parent.firstElementChild; child !== null; child = child.nextElementSibling) {
          const sig = sigOf(child);
          sigs.set(sig, (sigs.get(sig) ?? 0) + 1);
        }
        siblingSigs.set(parent, sigs);
      }
      known = (sigs.get(sigOf(el)) ?? 0) >= 3;
    }
    itemCache.set(el, known);
    return known;
  };
  /** Texts that lead an item, best first: its headings, its first cells, its links, its first text. */
  const leadsOf = (container: Element): { node: Element | null; text: string }[] => {
    const cached = leadCache.get(container);
    if (cached !== undefined) return cached;
    const leads: { node: Element | null; text: string }[] = [];
    const add = (node: Element | null, text: string): void => {
      const t = clip(text, 80);
      if (t !== '') leads.push({ node, text: t });
    };
    for (const h of Array.from(container.querySelectorAll(HEADINGS)).slice(0, 3)) add(h, textOf(h, true));
    for (const c of Array.from(container.querySelectorAll(CELLS)).slice(0, 4)) add(c, textOf(c, true));
    for (const a of Array.from(container.querySelectorAll('a[href]')).slice(0, 3)) add(a, textOf(a, true));
    if (leads.length === 0) add(null, textOutside(container).slice(0, 200));
    leadCache.set(container, leads);
    return leads;
  };
  /** Leading text of the nearest enclosing item that is not the element's own label (up to two items up). */
  const itemTextOf = (el: Element, name: string): string => {
    const own = name.toLowerCase();
    let seen = 0;
    let node: Element | null = el.parentElement;
    for (let depth = 0; node !== null && depth < MAX_ITEM_DEPTH && seen < 2; depth++, node = node.parentElement) {
      if (node.localName === 'body') break;
      if (!isItem(node)) continue;
      seen++;
      if (seen === 1) itemsSeen.add(node);
      for (const lead of leadsOf(node)) {
        if (lead.node !== null && (lead.node === el || lead.node.contains(el) || el.contains(lead.node))) continue;
        if (lead.text.toLowerCase() === own) continue;
        return lead.text;
      }
    }
    return '';
  };

  /** Whether a click at the element would reach it: elementFromPoint at the centre, then four inner points. */
  const reachable = (el: Element, r: DOMRect): boolean => {
    const root = el.getRootNode();
    if (!(root instanceof Document || root instanceof ShadowRoot)) return true;
    const labels = el instanceof HTMLInputElement ? el.labels : null;
    const points: [number, number][] = [
      [r.left + r.width / 2, r.top + r.height / 2],
      [r.left + r.width * 0.2, r.top + r.height * 0.25],
      [r.left + r.width * 0.8, r.top + r.height * 0.25],
      [r.left + r.width * 0.2, r.top + r.height * 0.75],
      [r.left + r.width * 0.8, r.top + r.height * 0.75],
    ];
    let tested = 0;
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= vw || y >= vh) continue;
      tested++;
      const hit = root.elementFromPoint(x, y);
      if (hit === null) continue;
      if (hit === el || el.contains(hit)) return true;
      if (labels !== null && Array.from(labels).some((l) => l.contains(hit))) return true;
    }
    // Out of the viewport: nothing to test against, so keep it (a click scrolls it into view).
    return tested === 0;
  };

  const register = (el: Element, role: string, r: DOMRect, nameKnown: string): number => {
    const prefix = PREFIX[role] ?? 'M';
    counters[prefix] = (counters[prefix] ?? 0) + 1;
    const index = els.length;
    const item: WireElement = {
      id: `${prefix}${counters[prefix]}`,
      role: role === '' ? 'generic' : role,
      tag: el.localName,
      name: nameKnown,
      x: r.left,
      y: r.top,
      w: r.width,
      h: r.height,
    };
    if (lastHeading !== '') item.context = lastHeading;
    const disabled = el.matches(':disabled') || el.getAttribute('aria-disabled') === 'true';
    if (disabled) item.disabled = true;
    if (el instanceof HTMLInputElement) {
      const type = el.type;
      if (type === 'checkbox' || type === 'radio') item.checked = el.indeterminate ? 'mixed' : el.checked;
      else if (!(type in BUTTON_INPUTS)) {
        if (!PLAIN_INPUTS.has(type)) item.inputType = type;
        if (type === 'password') {
          if (el.value !== '') item.value = '••••';
        } else if (type === 'file') {
          if (el.files !== null && el.files.length > 0) item.value = Array.from(el.files).map((f) => f.name).join(', ');
        } else if (el.value !== '') item.value = clip(el.value, args.maxLabel);
        if (el.placeholder !== '') item.placeholder = clip(el.placeholder, args.maxLabel);
      }
    } else if (el instanceof HTMLTextAreaElement) {
      if (el.value !== '') item.value = clip(el.value, args.maxLabel);
      if (el.placeholder !== '') item.placeholder = clip(el.placeholder, args.maxLabel);
    } else if (el instanceof HTMLSelectElement) {
      const selected = Array.from(el.selectedOptions).map((o) => clip(o.label || o.text, args.maxLabel));
      if (selected.length > 0 && selected.join('') !== '') item.value = selected.join(', ');
      const all = Array.from(el.options).map((o) => clip(o.label || o.text, args.maxLabel)).filter((t) => t !== '');
      item.options = all.slice(0, args.maxOptions);
      if (all.length > args.maxOptions) item.moreOptions = all.length - args.maxOptions;
    } else if (el instanceof HTMLElement && el.isContentEditable) {
      const t = clip(el.innerText, args.maxLabel);
      if (t !== '') item.value = t;
    }
    const ariaChecked = el.getAttribute('aria-checked');
    if (item.checked === undefined && ariaChecked !== null) item.checked = ariaChecked === 'mixed' ? 'mixed' : ariaChecked === 'true';
    const pressed = el.getAttribute('aria-pressed');
    if (item.checked === undefined && pressed !== null) item.checked = pressed === 'true';
    const expanded = el.getAttribute('aria-expanded');
    if (expanded !== null) item.expanded = expanded === 'true';
    else if (el.localName === 'summary' && el.parentElement instanceof HTMLDetailsElement) item.expanded = el.parentElement.open;
    const selectedAttr = el.getAttribute('aria-selected');
    if (selectedAttr === 'true') item.selected = true;
    els.push(el);
    raw.push(item);
    sels.push(selectorOf(el));
    line.parts.push(index);
    extend(r);
    // Every element's visible text is kept: it is the name a person reads, whatever the role (doc-noteref links too).
    texts.set(index, []);
    return index;
  };

  const finishName = (index: number, el: Element): void => {
    const item = raw[index];
    if (item === undefined) return;
    const content = (texts.get(index) ?? []).join(' ').replace(/\s+/g, ' ').trim();
    // The visible text names the element first, as a person reads it ("[1]", "Add to cart"); aria-label and title
    // come next, and only for text with no letter or digit ("×", "›") do they win over it. Fields keep their labels.
    const field = FIELD_ROLES.has(item.role);
    let name = !field && /[\p{L}\p{N}]/u.test(content) ? content : item.name;
    if (name === '' && !field) name = (el.getAttribute('title') ?? '').trim() || content;
    if (name === '') name = fallbackName(el);
    item.name = clip(name, args.maxLabel);
    texts.delete(index);
    const itemText = itemTextOf(el, item.name);
    if (itemText !== '') item.itemText = itemText;
  };

  /** A visible checkbox or radio often hides its input and draws the label instead: then the label is the control. */
  const hiddenControlOf = (label: HTMLLabelElement): HTMLInputElement | null => {
    const control = label.control;
    if (!(control instanceof HTMLInputElement) || (control.type !== 'checkbox' && control.type !== 'radio')) return null;
    const s = getComputedStyle(control);
    const r = control.getBoundingClientRect();
    const invisible = s.display === 'none' || s.visibility !== 'visible' || Number(s.opacity) === 0 || r.width <= 1 || r.height <= 1;
    return invisible ? control : null;
  };

  const visitChildren = (el: Element, ctx: Ctx): void => {
    if (el instanceof HTMLSlotElement) {
      const assigned = el.assignedNodes({ flatten: true });
      const nodes = assigned.length > 0 ? assigned : Array.from(el.childNodes);
      for (const n of nodes) visit(n, ctx);
      return;
    }
    // Sibling links instead of Array.from(childNodes): one array per element was a good part of the walk's garbage.
    // The walk only reads, so the list cannot change under it.
    const parent: ParentNode = el.shadowRoot ?? el;
    for (let n = parent.firstChild; n !== null; n = n.nextSibling) visit(n, ctx);
  };

  const visit = (node: Node, ctx: Ctx): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      const t = node.nodeValue ?? '';
      const owner = node.parentElement;
      if (ctx.transparent || !ctx.visible || ctx.quiet || t === '') return;
      if (ctx.action >= 0) {
        texts.get(ctx.action)?.push(t);
        return;
      }
      if (t.trim() === '') {
        line.parts.push(' ');
        return;
      }
      if (owner !== null) addText(t, owner);
      return;
    }
    if (!(node instanceof Element)) return;
    const el = node;
    const tag = el.localName;
    if (SKIP.has(tag)) return;
    visited++;
    if (el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('inert') || (el.hasAttribute('hidden') && !(el instanceof HTMLSlotElement))) return;
    const style = getComputedStyle(el);
    const display = style.display;
    if (display === 'none') return;
    if ((tag === 'dialog' && el.matches(':modal')) || el.getAttribute('aria-modal') === 'true') modal = true;
    if (tag === 'br') {
      if (ctx.action < 0 && ctx.cell) line.parts.push(' ');
      else if (ctx.action < 0) flush();
      return;
    }

    const blockish = !display.startsWith('inline') && display !== 'contents' && display !== 'table-cell';
    const block = !ctx.cell && blockish;
    // A paragraph or list item inside a cell is still a word apart from the next one.
    if (ctx.cell && blockish && ctx.action < 0) line.parts.push(' ');
    if (display === 'table-cell' && ctx.action < 0 && line.parts.length > 0) line.parts.push(' | ');
    let transparent = ctx.transparent || Number(style.opacity) === 0;
    if (!transparent && style.overflow !== 'visible') {
      const r = rectOf(el);
      transparent = r.width <= 1 || r.height <= 1;
    }
    // Each computed-style read serializes a value, thousands per page: read only what can still change a decision.
    // Under a transparent ancestor nothing is read or registered, so visibility and cursor cannot matter; inside
    // a registered element only distinct controls count, and the cursor never does again down the subtree.
    const visible = !transparent && style.visibility === 'visible';
    const hidden = !visible;
    const cursor = !transparent && ctx.action < 0 ? style.cursor : ctx.cursor;
    // A layout table (a cell holding a table, or a page's worth of text) keeps its lines; a data cell is one line.
    const cell = ctx.cell || (display === 'table-cell' && el.querySelector('table') === null && (el.textContent ?? '').length <= MAX_CELL_CHARS);
    const childCtx: Ctx = { action: ctx.action, transparent, visible, cursor, quiet: ctx.quiet, cell };

    if (tag === 'iframe' || tag === 'frame') {
      const r = rectOf(el);
      if (hidden || r.width < 2 || r.height < 2) return;
      if (ctx.action < 0) flush();
      const x = r.left + (parseFloat(style.borderLeftWidth) || 0) + (parseFloat(style.paddingLeft) || 0);
      const y = r.top + (parseFloat(style.borderTopWidth) || 0) + (parseFloat(style.paddingTop) || 0);
      rawSlots.push({ sel: selectorOf(el), x, y, w: el.clientWidth, h: el.clientHeight });
      slots.push(el);
      lines.push({ y: r.top, b: r.bottom, h: 0, parts: [], f: rawSlots.length - 1 });
      return;
    }

    let role = roleOf(el);
    let explicitRole = el.hasAttribute('role') && INTERACTIVE_ROLES.has(role);
    let target: Element = el;
    if (tag === 'label' && el instanceof HTMLLabelElement) {
      const control = hiddenControlOf(el);
      if (control !== null) {
        role = control.type;
        explicitRole = true;
        target = control;
      } else if (el.control !== null && !(el.control instanceof HTMLInputElement && el.control.type === 'hidden')) {
        childCtx.quiet = true;
      }
    }
    const editable = el instanceof HTMLElement && el.isContentEditable && !(el.parentElement?.isContentEditable ?? false);
    if (editable && role === '') role = 'textbox';
    const native = NATIVE.has(tag) && role !== '';
    const pointer = cursor === 'pointer' && ctx.cursor !== 'pointer' && tag !== 'label';
    const handler = el.hasAttribute('onclick') || (el instanceof HTMLElement && typeof el.onclick === 'function');
    const distinct = native || explicitRole || target !== el || editable;
    const clickable = distinct || pointer || handler;
    const interactive = ctx.action >= 0 ? distinct : clickable;

    let index = -1;
    if (interactive && !hidden && tag !== 'html' && tag !== 'body') {
      const r = rectOf(el);
      const tiny = r.width <= 1 || r.height <= 1;
      const offPage = r.right + scrollX <= 0 || r.bottom + scrollY <= 0;
      let keep = !tiny && !offPage && reachable(el, r);
      // What cannot be seen or reached is not read either: its text would describe a control the agent cannot use.
      if (!keep) childCtx.transparent = true;
      // A pointer-only wrapper whose only content is real controls adds nothing: the controls get the ids.
      if (keep && !distinct && el.querySelector(CONTROLS) !== null && textOutside(el) === '') keep = false;
      if (keep) {
        if (block && ctx.action < 0) flush();
        const nameKnown = target !== el ? fieldLabel(target) || textOf(el, true) : preName(el);
        index = register(el, role, r, nameKnown);
        const registered = raw[index];
        if (target !== el && target instanceof HTMLInputElement && registered !== undefined) {
          registered.checked = target.checked;
          if (target.disabled) registered.disabled = true;
        }
        childCtx.action = index;
      }
    }

    if (tag === 'select' || tag === 'textarea' || tag === 'input') {
      if (index >= 0) finishName(index, el);
      return;
    }
    if (tag === 'img' || tag === 'svg') {
      if (index >= 0) {
        finishName(index, el);
      } else if (!hidden) {
        const alt = (el.getAttribute('aria-label') ?? (tag === 'img' ? el.getAttribute('alt') : el.querySelector('title')?.textContent) ?? '').trim();
        const r = rectOf(el);
        if (ctx.action >= 0) texts.get(ctx.action)?.push(alt);
        else if (tag === 'img' && alt !== '' && r.width > 1 && r.height > 1 && !ctx.quiet) addText(` (image: ${alt}) `, el);
      }
      return;
    }

    const heading = role === 'heading' && ctx.action < 0 && index < 0 && !ctx.cell;
    if (heading) {
      flush();
      const level = Number(el.getAttribute('aria-level') ?? tag.slice(1));
      line.h = level >= 1 && level <= 6 ? level : 2;
    } else if (block && ctx.action < 0 && index < 0) flush();

    if (tag === 'details' && el instanceof HTMLDetailsElement && !el.open) {
      const summary = Array.from(el.children).find((c) => c.localName === 'summary');
      if (summary !== undefined) visit(summary, childCtx);
    } else {
      visitChildren(el, childCtx);
    }
    if (ctx.cell && blockish && ctx.action < 0) line.parts.push(' ');

    if (index >= 0) {
      finishName(index, el);
      // Nested distinct controls sit right after their container on the same line.
      if (block && ctx.action < 0) flush();
    } else if (heading) {
      // A heading that is a link still names its section: its text is the link's name.
      lastHeading = clip(line.parts.map((p) => (typeof p === 'string' ? p : (raw[p]?.name ?? ''))).join(' '), 80);
      flush();
    } else if (block && ctx.action < 0) flush();
  };

  const body = document.body ?? document.documentElement;
  visit(body, { action: -1, transparent: false, visible: true, cursor: 'auto', quiet: false, cell: false });
  flush();

  const ids = new Map<string, Element>();
  raw.forEach((item, i) => {
    const el = els[i];
    if (el !== undefined) ids.set(item.id, el);
  });
  const registry: InPageRegistry = { ids, epoch: args.epoch, els, slots };
  // The registry is the in-page half of the PageHost contract (src/page/host.ts); globalThis has no such key.
  (globalThis as unknown as { __bsm?: InPageRegistry }).__bsm = registry;

  const scroller = document.scrollingElement ?? document.documentElement;
  // Elements come in document order, so each selector mostly repeats the previous one's ancestors: send only
  // what differs. A third of the JSON on list pages, and its transfer costs more than the walk's reads of it.
  let previous = '';
  const wireSels = sels.map((sel): [number, string] => {
    const max = Math.min(sel.length, previous.length);
    let shared = 0;
    while (shared < max && sel.charCodeAt(shared) === previous.charCodeAt(shared)) shared++;
    previous = sel;
    return [shared, sel.slice(shared)];
  });

  const result: WireResult = {
    title: document.title,
    viewport: {
      sx: Math.round(scrollX),
      sy: Math.round(scrollY),
      vw,
      vh,
      tw: Math.max(scroller.scrollWidth, vw),
      th: Math.max(scroller.scrollHeight, vh),
    },
    lines,
    els: raw,
    sels: wireSels,
    slots: rawSlots,
    modal,
    visited,
    items: itemsSeen.size,
    pricedItems: Array.from(itemsSeen).filter((node) => PRICE.test(node.textContent ?? '')).length,
  };
  return JSON.stringify(result);
}
