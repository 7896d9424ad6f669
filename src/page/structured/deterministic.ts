import type { PageList, PageStructure, PageTable, TableCell } from '../injected/scrapeTypes.js';
import { viewSchema } from './jsonSchema.js';
import type { SchemaView } from './jsonSchema.js';

export type Extraction = { ok: true; data: unknown } | { ok: false; reason: string };
type Coerced = { ok: true; value: unknown } | { ok: false };

const LINK_KEYS = new Set(['url', 'link', 'href', 'uri']);

/** Lower case, letters and digits only: "Unit Price" and "unit_price" meet at "unitprice". */
export function normalizeKey(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '');
}

function isScalar(view: SchemaView): boolean {
  return !view.types.has('object') && !view.types.has('array');
}

/** One number, with currency, unit or thousands separators around it; "10-20" or "n/a" is not a number. */
export function parseNumber(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0]/g, '').replace(/\u2212/g, '-');
  const match = /[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)/.exec(compact);
  if (match === null) return undefined;
  const rest = compact.slice(0, match.index) + compact.slice(match.index + match[0].length);
  if (/\d/.test(rest)) return undefined;
  const value = Number(match[0].replace(/,/g, ''));
  return Number.isFinite(value) ? value : undefined;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'on', '1', '✓', '✔', 'x', 'available', 'instock']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'off', '0', '✗', '✘', '-', 'unavailable', 'outofstock']);

export function coerce(text: string, view: SchemaView): Coerced {
  const value = text.trim();
  if (value === '' && view.types.has('null')) return { ok: true, value: null };
  if (view.enumValues !== undefined) {
    const hit = view.enumValues.find((option) => String(option).toLowerCase() === value.toLowerCase());
    return hit === undefined ? { ok: false } : { ok: true, value: hit };
  }
  if (view.types.size === 0 || view.types.has('string')) return { ok: true, value };
  if (view.types.has('integer') || view.types.has('number')) {
    const number = parseNumber(value);
    if (number === undefined) return { ok: false };
    if (view.types.has('integer') && !view.types.has('number') && !Number.isInteger(number)) return { ok: false };
    return { ok: true, value: number };
  }
  if (view.types.has('boolean')) {
    const word = normalizeKey(value) || value;
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  }
  return { ok: false };
}

/** Column of each property: exact key match first, then a unique header that starts with the key ("Price (USD)"). */
function matchColumns(headers: string[], item: SchemaView): Map<string, number> {
  const keys = headers.map(normalizeKey);
  const out = new Map<string, number>();
  for (const [name, prop] of item.properties) {
    const wanted = [normalizeKey(name), normalizeKey(prop.title)].filter((k) => k !== '');
    let index = keys.findIndex((key) => wanted.includes(key));
    if (index < 0) {
      const loose = keys.flatMap((key, i) => (wanted.some((w) => key.startsWith(w)) ? [i] : []));
      if (loose.length === 1) index = loose[0] ?? -1;
    }
    if (index >= 0 && ![...out.values()].includes(index)) out.set(name, index);
  }
  return out;
}

function labelScore(label: string | undefined, name: string): number {
  if (name === '' || label === undefined) return 0;
  const l = normalizeKey(label);
  const n = normalizeKey(name);
  return l === n ? 2 : l.includes(n) || (l !== '' && n.includes(l)) ? 1 : 0;
}

function rowObjects(table: PageTable, item: SchemaView, columns: Map<string, number>): Extraction {
  const linkKeys = [...item.properties.keys()].filter((k) => !columns.has(k) && LINK_KEYS.has(normalizeKey(k)));
  const out: Record<string, unknown>[] = [];
  for (const [r, row] of table.rows.entries()) {
    const cells = [...columns.values()].map((c) => row[c]).filter((cell): cell is TableCell => cell !== undefined);
    if (cells.every((cell) => cell.text === '')) continue;
    const object: Record<string, unknown> = {};
    for (const [name, col] of columns) {
      const prop = item.properties.get(name);
      const cell = row[col];
      if (prop === undefined || cell === undefined) continue;
      const result = coerce(cell.text, prop);
      if (result.ok) object[name] = result.value;
      else if (item.required.includes(name)) {
        return { ok: false, reason: `row ${r + 1}, column "${table.headers[col] ?? ''}": "${cell.text}" is not a ${[...prop.types].join('|') || 'value'}` };
      }
    }
    // A url/link property with no column of its own takes the row's first link: the page's data, not a guess.
    for (const key of linkKeys) {
      const href = cells.find((cell) => cell.href !== undefined)?.href;
      if (href !== undefined) object[key] = href;
    }
    out.push(object);
  }
  return { ok: true, data: out };
}

function fromTables(item: SchemaView, name: string, structure: PageStructure): Extraction {
  if (item.properties.size === 0) return { ok: false, reason: 'the array items declare no properties to match against table columns' };
  let best: { table: PageTable; columns: Map<string, number>; score: number } | undefined;
  for (const table of structure.tables) {
    const columns = matchColumns(table.headers, item);
    const linkable = [...item.properties.keys()].filter((k) => !columns.has(k) && LINK_KEYS.has(normalizeKey(k)) && table.rows.some((row) => row.some((c) => c.href !== undefined)));
    const covered = new Set([...columns.keys(), ...linkable]);
    if (columns.size === 0 || item.required.some((key) => !covered.has(key))) continue;
    if (item.required.length === 0 && columns.size * 2 < item.properties.size) continue;
    const score = columns.size * 10 + labelScore(table.label, name) * 5 + Math.min(table.rows.length, 4);
    if (best === undefined || score > best.score) best = { table, columns, score };
  }
  if (best === undefined) {
    const seen = structure.tables.slice(0, 5).map((t) => `[${t.headers.join(' | ')}]`).join(', ');
    const wanted = [...item.properties.keys()].join(', ');
    return { ok: false, reason: `no table has columns matching ${wanted}${item.required.length > 0 ? ` (required: ${item.required.join(', ')})` : ''}; tables on the page: ${seen || 'none'}` };
  }
  return rowObjects(best.table, item, best.columns);
}

function fromLists(item: SchemaView, name: string, structure: PageStructure): Extraction {
  const pick = (list: PageList): Extraction => {
    const values: unknown[] = [];
    for (const text of list.items) {
      const result = coerce(text, item);
      if (!result.ok) return { ok: false, reason: `list item "${text}" is not a ${[...item.types].join('|')}` };
      values.push(result.value);
    }
    return { ok: true, data: values };
  };
  const labelled = structure.lists.filter((list) => labelScore(list.label, name) > 0).sort((a, b) => labelScore(b.label, name) - labelScore(a.label, name));
  const first = labelled[0];
  if (first !== undefined) return pick(first);
  // A table column named like the property is a list too.
  for (const table of structure.tables) {
    const col = table.headers.findIndex((h) => name !== '' && normalizeKey(h) === normalizeKey(name));
    if (col >= 0) return pick({ items: table.rows.map((row) => row[col]?.text ?? '').filter((t) => t !== ''), ordered: false });
  }
  const only = structure.lists.length === 1 ? structure.lists[0] : undefined;
  if (only !== undefined) return pick(only);
  return { ok: false, reason: `${structure.lists.length} lists on the page and none labelled "${name || '(unnamed)'}"` };
}

function fromDefinitions(view: SchemaView, name: string, structure: PageStructure): Extraction {
  const groups = [...structure.definitions].sort((a, b) => labelScore(b.label, name) - labelScore(a.label, name));
  const out: Record<string, unknown> = {};
  const missing: string[] = [];
  const failures: string[] = [];
  for (const [key, prop] of view.properties) {
    if (!isScalar(prop)) {
      const nested = extract(prop, key, structure);
      if (nested.ok) out[key] = nested.data;
      else if (view.required.includes(key)) failures.push(`${key}: ${nested.reason}`);
      continue;
    }
    const wanted = [normalizeKey(key), normalizeKey(prop.title)].filter((k) => k !== '');
    const entry = groups.flatMap((g) => g.entries).find(([term]) => wanted.includes(normalizeKey(term)));
    if (entry === undefined) {
      if (view.required.includes(key)) missing.push(key);
      continue;
    }
    const result = coerce(entry[1], prop);
    if (result.ok) out[key] = result.value;
    else if (view.required.includes(key)) failures.push(`${key}: "${entry[1]}" is not a ${[...prop.types].join('|')}`);
  }
  if (missing.length > 0) failures.unshift(`no definition list or key/value table has ${missing.map((m) => `"${m}"`).join(', ')}`);
  if (failures.length > 0) return { ok: false, reason: failures.join('; ') };
  if (Object.keys(out).length === 0) return { ok: false, reason: `none of ${[...view.properties.keys()].join(', ')} appears as a table, list or definition term on the page` };
  return { ok: true, data: out };
}

function extract(view: SchemaView, name: string, structure: PageStructure): Extraction {
  if (view.types.has('array')) {
    const item = view.items;
    if (item === undefined) return { ok: false, reason: `"${name || 'root'}" is an array without items` };
    return item.types.has('object') || item.properties.size > 0 ? fromTables(item, name, structure) : fromLists(item, name, structure);
  }
  if (view.types.has('object') || view.properties.size > 0) return fromDefinitions(view, name, structure);
  return { ok: false, reason: 'a lone scalar cannot be read off the page structure' };
}

/**
 * Reads data off the page's own tables, lists and definition lists where the schema maps onto them: arrays of
 * objects onto table columns, arrays of scalars onto (labelled) lists, objects onto definition terms. Values are
 * coerced to the schema's types; what cannot be found is left out, never made up.
 */
export function extractDeterministic(schema: unknown, structure: PageStructure): Extraction {
  const view = viewSchema(schema);
  return extract(view, view.title, structure);
}
