/**
 * Runs inside the page (serialized by Playwright's evaluate): no imports at runtime, no closures over module scope.
 * How locate.ts finds the element an action names: observe's registry first, then the element's descriptor.
 */

export interface DescriptorKey {
  tag: string;
  role: string;
  name: string;
  nth: number;
}

interface BsmRegistry {
  ids: Map<string, Element>;
  epoch?: number;
}

/** The element observe registered under `wanted` in this document, if it is still connected and of that observe. */
export function registeredElement([wanted, expectedEpoch]: readonly [string, number]): Element | null {
  const bsm = (globalThis as unknown as { __bsm?: BsmRegistry }).__bsm; // observe's registry (contract in host.ts)
  if (bsm === undefined || (bsm.epoch !== undefined && bsm.epoch !== expectedEpoch)) return null;
  const element = bsm.ids.get(wanted);
  return element?.isConnected === true ? element : null;
}

/** In-page: does `el` still look like the observed element (same tag, same name)? */
export function matchesKey(el: Node, k: DescriptorKey): boolean {
  if (!(el instanceof Element) || el.tagName.toLowerCase() !== k.tag.toLowerCase()) return false;
  const normalize = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
  if (k.name === '') return true;
  const names = ['aria-label', 'name', 'title', 'alt', 'placeholder', 'value'].map((a) => el.getAttribute(a));
  names.push(el instanceof HTMLElement ? el.innerText : el.textContent);
  const labels = (el as HTMLInputElement).labels; // only form controls have labels; undefined elsewhere
  if (labels !== undefined && labels !== null) for (const label of labels) names.push(label.innerText);
  return names.some((n) => n !== null && normalize(n) === normalize(k.name));
}

/** In-page: elements equal to the descriptor (same tag, explicit role if any, same name); the nth of them. */
export function findByRoleAndName(k: DescriptorKey): Element | null {
  const normalize = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const wanted = normalize(k.name);
  const namesOf = (el: Element): string[] => {
    const out: string[] = [];
    for (const attr of ['aria-label', 'name', 'title', 'alt', 'placeholder', 'value']) {
      const v = el.getAttribute(attr);
      if (v !== null) out.push(v);
    }
    if (el instanceof HTMLElement) {
      out.push(el.innerText);
      const labels = (el as HTMLInputElement).labels; // only form controls have labels; undefined elsewhere
      if (labels !== undefined && labels !== null) for (const label of labels) out.push(label.innerText);
    } else {
      out.push(el.textContent ?? '');
    }
    return out.map(normalize);
  };
  const all: Element[] = [];
  const walk = (root: Document | ShadowRoot): void => {
    for (const el of root.querySelectorAll('*')) {
      if (el.tagName.toLowerCase() === k.tag.toLowerCase()) all.push(el);
      if (el.shadowRoot !== null) walk(el.shadowRoot);
    }
  };
  walk(document);
  const equals = all.filter((el) => {
    const role = el.getAttribute('role');
    if (role !== null && role !== k.role) return false;
    const names = namesOf(el);
    return wanted === '' ? names.every((n) => n === '') : names.includes(wanted);
  });
  if (equals.length === 1) return equals[0] ?? null;
  return equals[k.nth] ?? null;
}

/** A short human label (what a person would call the element) and its tag. */
export function describeNode(node: Node): { label: string; tag: string } {
  if (!(node instanceof Element)) return { label: (node.textContent ?? '').trim().slice(0, 60), tag: '#text' };
  const el = node as HTMLInputElement; // reading optional properties only; absent ones are undefined
  const text =
    el.getAttribute('aria-label') ?? (el.labels?.[0]?.innerText || null) ?? el.getAttribute('placeholder') ??
    ((el.innerText || el.textContent || '').trim() || null) ?? el.getAttribute('title') ?? el.getAttribute('name') ?? '';
  return { label: text.replace(/\s+/g, ' ').trim().slice(0, 60), tag: el.tagName.toLowerCase() };
}
