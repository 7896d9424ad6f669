import type { PageDefinitions, PageList, PageStructure, PageTable, TableCell } from './scrapeTypes.js';

/**
 * Runs inside the page (serialized with toString): no imports at runtime, no closures over module scope.
 *
 * The page's own data structures, read from a pruned clone whose tables are already normalized (one header
 * row, equal widths): tables, lists and definition lists, each labelled with its caption or nearest heading,
 * for deterministic structured extraction.
 */
export function collectStructure(root: Element): PageStructure {
  const MAX_TABLES = 100;
  const MAX_ROWS = 5000;
  const MAX_LISTS = 300;
  const text = (node: Node | null | undefined): string => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
  const cellOf = (cell: Element): TableCell => {
    const out: TableCell = { text: text(cell) };
    const link = cell.querySelector('a[href]');
    if (link instanceof HTMLAnchorElement && link.href !== '') out.href = link.href;
    return out;
  };
  const tables: PageTable[] = [];
  const lists: PageList[] = [];
  const definitions: PageDefinitions[] = [];
  let heading = '';
  let pendingCaption = '';

  for (const el of Array.from(root.getElementsByTagName('*'))) {
    const tag = el.tagName;
    if (/^H[1-6]$/.test(tag)) {
      heading = text(el);
    } else if (tag === 'P' && el.nextElementSibling?.tagName === 'TABLE') {
      // normalizeTables moves a caption into the paragraph right before its table.
      pendingCaption = text(el);
    } else if (tag === 'TABLE' && el instanceof HTMLTableElement && tables.length < MAX_TABLES) {
      const rows = Array.from(el.rows);
      const first = rows[0];
      if (first === undefined) continue;
      const headers = Array.from(first.cells).map((cell) => text(cell));
      const body = rows.slice(1, MAX_ROWS + 1).map((row) => Array.from(row.cells).map(cellOf));
      const label = pendingCaption || heading;
      pendingCaption = '';
      const table: PageTable = { headers, rows: body };
      if (label !== '') table.label = label;
      tables.push(table);
      if (headers.every((h) => h === '') && body.every((row) => row.length === 2 && row[0]?.text !== '')) {
        const entries = body.map((row): [string, string] => [row[0]?.text ?? '', row[1]?.text ?? '']);
        definitions.push(label === '' ? { entries } : { entries, label });
      }
    } else if ((tag === 'UL' || tag === 'OL') && lists.length < MAX_LISTS) {
      const items: string[] = [];
      for (const li of Array.from(el.children)) {
        if (li.tagName !== 'LI') continue;
        // An item's own text, without the items of lists nested in it.
        const own = li.cloneNode(true);
        if (!(own instanceof Element)) continue;
        for (const nested of Array.from(own.querySelectorAll('ul, ol'))) nested.remove();
        const value = text(own);
        if (value !== '') items.push(value);
      }
      if (items.length > 0) lists.push(heading === '' ? { items, ordered: tag === 'OL' } : { items, ordered: tag === 'OL', label: heading });
    } else if (tag === 'DL') {
      const entries: [string, string][] = [];
      let term = '';
      for (const child of Array.from(el.querySelectorAll(':scope > dt, :scope > dd, :scope > div > dt, :scope > div > dd'))) {
        if (child.tagName === 'DT') term = text(child);
        else if (term !== '') entries.push([term, text(child)]);
      }
      if (entries.length > 0) definitions.push(heading === '' ? { entries } : { entries, label: heading });
    }
  }
  return { tables, lists, definitions };
}
