import type { ElementDescriptor, PageHost } from '../../src/page/host.js';

/**
 * Test-only stand-in for observe: stamps the given elements into the page's `globalThis.__bsm.ids` registry and
 * sets `host.snapshot`, per the contract in src/page/host.ts. `ids` maps an id (e.g. "B1") to a CSS selector.
 */
export async function stampSnapshot(host: PageHost, ids: Record<string, string>, epoch = Date.now()): Promise<void> {
  const page = host.page();
  const frame = page.mainFrame();
  const facts = await frame.evaluate(
    ({ entries, epoch: e }) => {
      const registry = new Map<string, Element>();
      const out: { id: string; tag: string; role: string; name: string; disabled: boolean }[] = [];
      for (const [id, selector] of entries) {
        const el = document.querySelector(selector);
        if (el === null) throw new Error(`stampSnapshot: nothing matches ${selector}`);
        registry.set(id, el);
        const input = el as HTMLInputElement;
        const tag = el.tagName.toLowerCase();
        const role = el.getAttribute('role') ?? (tag === 'a' ? 'link' : tag === 'button' ? 'button' : tag === 'select' ? 'combobox'
          : tag === 'input' && (input.type === 'checkbox' || input.type === 'radio') ? input.type : tag === 'input' || tag === 'textarea' ? 'textbox' : 'generic');
        const name = (el.getAttribute('aria-label') ?? el.getAttribute('name') ?? (el as HTMLElement).innerText ?? '').trim();
        out.push({ id, tag, role, name, disabled: input.disabled === true });
      }
      (globalThis as unknown as { __bsm: { ids: Map<string, Element>; epoch: number } }).__bsm = { ids: registry, epoch: e };
      return out;
    },
    { entries: Object.entries(ids), epoch },
  );
  const elements = new Map<string, ElementDescriptor>();
  for (const f of facts) {
    const selector = ids[f.id] ?? '';
    elements.set(f.id, { ...f, frame, framePath: [], selector, nth: 0, bbox: null });
  }
  host.snapshot = { epoch, url: page.url(), takenAt: new Date(), elements };
}
