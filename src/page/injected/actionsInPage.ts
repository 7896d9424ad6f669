/**
 * Runs inside the page (serialized by Playwright's evaluate): no imports at runtime, no closures over module scope.
 * What the step actions (src/page/actions) ask of an element or the page.
 */

/** A link or a form submit whose target names another browsing context opens a tab when clicked. */
export function opensTab(node: Node): boolean {
  if (!(node instanceof Element)) return false;
  const link = node.closest('a[href], area[href]');
  const form = link === null && node.matches('button, input[type=submit], input[type=image]') ? node.closest('form') : null;
  const name = (link?.getAttribute('target') ?? form?.getAttribute('target') ?? '').trim().toLowerCase();
  return name !== '' && !['_self', '_parent', '_top'].includes(name);
}

/** The click a person's would be, dispatched from script when Playwright's checks never pass. */
export function clickThroughScript(node: Node): void {
  node.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true, view: window }));
}

export function isDisabledInPage(node: Node): boolean {
  if (!(node instanceof Element)) return false;
  if (node.getAttribute('aria-disabled') === 'true') return true;
  const control = node as HTMLButtonElement; // `disabled` is read only when the element has it
  if (typeof control.disabled === 'boolean' && control.disabled) return true;
  return node.matches('fieldset[disabled] :is(button, input, select, textarea)');
}

/** `gone`: the element's document died under the check (the page navigated), so nothing can be said of it. */
export type Hit = { state: 'clear' } | { state: 'hidden' } | { state: 'gone' } | { state: 'covered'; by: string };

/** Whether a click at the element's centre would reach it, and if not what would get it. */
export function hitTestInPage(node: Node): Hit {
  if (!(node instanceof Element)) return { state: 'clear' };
  node.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
  const rect = node.getBoundingClientRect();
  const style = getComputedStyle(node);
  if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || style.display === 'none') return { state: 'hidden' };
  const x = rect.left + rect.width / 2;
  const y = rect.top + rect.height / 2;
  let hit = document.elementFromPoint(x, y);
  // Descend into shadow roots: the document only reports their host.
  while (hit?.shadowRoot !== null && hit?.shadowRoot !== undefined) {
    const inner = hit.shadowRoot.elementFromPoint(x, y);
    if (inner === null || inner === hit) break;
    hit = inner;
  }
  if (hit === null || hit === node || node.contains(hit) || hit.contains(node)) return { state: 'clear' };
  const cover = hit.closest('dialog, [role=dialog], [aria-modal], [id], [class]') ?? hit;
  const id = cover.id === '' ? '' : ` id="${cover.id}"`;
  const cls = typeof cover.className === 'string' && cover.className.trim() !== '' ? ` class="${cover.className.trim().slice(0, 40)}"` : '';
  const text = ((cover as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').trim().slice(0, 50); // undefined on SVG: `??` covers it
  return { state: 'covered', by: `<${cover.tagName.toLowerCase()}${id}${cls}>${text === '' ? '' : ` "${text}"`}` };
}

/** The focused element as `<tag name>` (its aria-label, name, id or a short text), '' for the page itself. */
export function focusedInPage(): string {
  const el = document.activeElement;
  if (el === null || el === document.body || el === document.documentElement) return '';
  const text = el instanceof HTMLElement && !(el instanceof HTMLInputElement) && !(el instanceof HTMLTextAreaElement) ? el.innerText.replace(/\s+/g, ' ').trim().slice(0, 40) : '';
  const name = el.getAttribute('aria-label') ?? el.getAttribute('name') ?? (el.id !== '' ? el.id : text);
  return `<${el.tagName.toLowerCase()}${name === '' ? '' : ` ${name}`}>`;
}

/** What kind of control an element is, as far as entering values goes. */
export interface ControlInfo {
  kind: 'text' | 'select' | 'checkbox' | 'radio' | 'file' | 'other';
  disabled: boolean;
  readonly: boolean;
  secret: boolean;
}

export function controlInfoInPage(node: Node): ControlInfo {
  const none: ControlInfo = { kind: 'other', disabled: false, readonly: false, secret: false };
  if (!(node instanceof HTMLElement)) return none;
  const disabled = node.matches(':disabled') || node.getAttribute('aria-disabled') === 'true';
  const readonly = node.matches(':read-only') && !node.isContentEditable && node.getAttribute('role') === null && /^(INPUT|TEXTAREA)$/.test(node.tagName);
  const role = node.getAttribute('role');
  if (node instanceof HTMLSelectElement || node instanceof HTMLOptionElement) return { ...none, kind: 'select', disabled };
  if (node instanceof HTMLInputElement) {
    const type = node.type;
    if (type === 'checkbox') return { ...none, kind: 'checkbox', disabled };
    if (type === 'radio') return { ...none, kind: 'radio', disabled };
    if (type === 'file') return { ...none, kind: 'file', disabled };
    if (/^(button|submit|reset|image|hidden)$/.test(type)) return { ...none, disabled };
    return { kind: 'text', disabled, readonly, secret: type === 'password' };
  }
  if (node instanceof HTMLTextAreaElement || node.isContentEditable || role === 'textbox' || role === 'searchbox') {
    return { kind: 'text', disabled, readonly, secret: false };
  }
  if (role === 'checkbox' || role === 'switch') return { ...none, kind: 'checkbox', disabled };
  if (role === 'radio') return { ...none, kind: 'radio', disabled };
  if (role === 'combobox' || role === 'listbox') return { ...none, kind: 'select', disabled };
  return { ...none, disabled };
}

/** What a control shows: its value, or its text. */
export function shownValue(node: Node): string {
  if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement || node instanceof HTMLSelectElement) return node.value;
  return node instanceof HTMLElement ? node.innerText : (node.textContent ?? '');
}

export function moveCaretToEnd(node: Node): void {
  if (node instanceof HTMLInputElement || node instanceof HTMLTextAreaElement) {
    const end = node.value.length;
    try {
      node.setSelectionRange(end, end);
    } catch {
      // email/number inputs have no selection API; the caret is already at the end after focus there.
    }
    return;
  }
  const selection = window.getSelection();
  if (selection === null) return;
  const range = document.createRange();
  range.selectNodeContents(node);
  range.collapse(false);
  selection.removeAllRanges();
  selection.addRange(range);
}

/** A checkbox's or radio's first label, which styled forms show in place of the hidden input. */
export function firstLabel(node: Node): HTMLLabelElement | null {
  return node instanceof HTMLInputElement ? (node.labels?.[0] ?? null) : null;
}

/** The <select> an element is or belongs to (an option's), or null. */
export function selectOf(node: Node): HTMLSelectElement | null {
  return node instanceof HTMLOptionElement ? node.closest('select') : node instanceof HTMLSelectElement ? node : null;
}

export interface OptionMatch {
  index: number;
  text: string;
  options: string[];
}

/** The option of a <select> that `wanted` names: by value, exact text, loose text, then part of the text. */
export function matchOption(node: Node, wanted: string): OptionMatch {
  const options = [...(node as HTMLSelectElement).options]; // the handle came from closest('select') / instanceof above
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const tests = [
    (o: HTMLOptionElement) => o.value === wanted,
    (o: HTMLOptionElement) => o.text.trim() === wanted.trim(),
    (o: HTMLOptionElement) => norm(o.text) === norm(wanted) || norm(o.value) === norm(wanted),
    (o: HTMLOptionElement) => norm(o.text).includes(norm(wanted)),
  ];
  for (const test of tests) {
    const index = options.findIndex(test);
    const option = options[index];
    if (option !== undefined) return { index, text: option.text.trim(), options: [] };
  }
  return { index: -1, text: '', options: options.slice(0, 15).map((o) => o.text.trim()) };
}

export interface FieldMatch {
  key: string;
  index: number;
}

/** In-page: for each wanted key, the index (among `selector`'s matches: formFill's FIELD_SELECTOR) of the best visible, enabled field. */
export function matchFields({ wanted, selector }: { wanted: { key: string; tokens: string[]; pattern: string }[]; selector: string }): FieldMatch[] {
  const fields = [...document.querySelectorAll<HTMLInputElement>(selector)]; // reading attributes common to input/select/textarea
  const used = new Set<number>();
  const describe = (el: HTMLInputElement): string[] =>
    [el.name, el.id, el.getAttribute('placeholder') ?? '', el.getAttribute('aria-label') ?? '', ...[...(el.labels ?? [])].map((l) => l.innerText)]
      .map((part) => part.trim().toLowerCase())
      .filter((part) => part !== '');
  const usable = (el: HTMLInputElement): boolean => !el.disabled && !el.readOnly && el.getClientRects().length > 0;
  const out: FieldMatch[] = [];
  for (const w of wanted) {
    let index = fields.findIndex((el, i) => !used.has(i) && usable(el) && w.tokens.includes((el.getAttribute('autocomplete') ?? '').toLowerCase().split(/\s+/).pop() ?? ''));
    if (index < 0) {
      const re = new RegExp(w.pattern, 'i');
      const passwordKey = /password/.test(w.key);
      index = fields.findIndex((el, i) => !used.has(i) && usable(el) && (passwordKey ? el.type === 'password' : el.type !== 'password') && describe(el).some((part) => re.test(part)));
      if (index < 0 && w.key === 'email') index = fields.findIndex((el, i) => !used.has(i) && usable(el) && el.type === 'email');
      if (index < 0 && passwordKey) index = fields.findIndex((el, i) => !used.has(i) && usable(el) && el.type === 'password');
    }
    if (index >= 0) {
      used.add(index);
      out.push({ key: w.key, index });
    }
  }
  return out;
}

export function tagNameOf(el: Element): string {
  return el.tagName;
}

export interface ScrollOutcome {
  moved: number;
  what: string;
  atEnd: boolean;
}

/** In-page: scroll the document, or when it cannot move, the scrollable container in the middle of the view. */
export function scrollInPage(args: { down: boolean; amount: number | null }): ScrollOutcome {
  const delta = (args.amount ?? Math.round(window.innerHeight * 0.7)) * (args.down ? 1 : -1);
  const page = document.scrollingElement ?? document.documentElement;
  const before = page.scrollTop;
  page.scrollBy({ top: delta, behavior: 'instant' });
  const pageMoved = page.scrollTop - before;
  if (pageMoved !== 0) {
    const atEnd = args.down ? page.scrollTop + window.innerHeight >= page.scrollHeight - 1 : page.scrollTop <= 0;
    return { moved: pageMoved, what: 'the page', atEnd };
  }
  let el = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2);
  while (el !== null) {
    const style = getComputedStyle(el);
    if (/(auto|scroll|overlay)/.test(style.overflowY) && el.scrollHeight > el.clientHeight) {
      const start = el.scrollTop;
      el.scrollBy({ top: delta, behavior: 'instant' });
      const moved = el.scrollTop - start;
      if (moved !== 0) {
        const atEnd = args.down ? el.scrollTop + el.clientHeight >= el.scrollHeight - 1 : el.scrollTop <= 0;
        const name = el.id !== '' ? `#${el.id}` : el.tagName.toLowerCase();
        return { moved, what: `the scrollable ${name}`, atEnd };
      }
    }
    el = el.parentElement;
  }
  return { moved: 0, what: 'the page', atEnd: true };
}
