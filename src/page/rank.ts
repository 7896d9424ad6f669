/**
 * Orders actions by how well they match an instruction, without an LLM: token overlap on the label, the
 * placeholder, the role, the enclosing item (row, card) and the nearest heading, with a few synonyms. Pure.
 */

export interface RankCandidate {
  id: string;
  role: string;
  label: string;
  placeholder?: string;
  value?: string;
  /** Nearest heading before the element. */
  context?: string;
  /** Leading text of the enclosing item (row, list item, card), not the element's own label. */
  itemText?: string;
  inputType?: string;
  disabled?: boolean;
}

export interface Ranked<T> {
  item: T;
  score: number;
}

const STOP = new Set(
  'a an the to of on in at for and or with into from by my me i you your it its this that these those then please want need would like can could should will just now page site button link field box the be is are was go'
    .split(' '),
);

// Each group is one meaning; a query word matches any word of its group.
const SYNONYMS: readonly string[][] = [
  ['login', 'signin', 'logon', 'authenticate'],
  ['logout', 'signout', 'logoff'],
  ['signup', 'register', 'registration', 'join', 'create', 'enroll'],
  ['search', 'find', 'query', 'look', 'lookup'],
  ['cart', 'basket', 'bag', 'trolley'],
  ['buy', 'purchase', 'checkout', 'order', 'pay'],
  ['email', 'mail', 'e-mail'],
  ['password', 'passphrase', 'pass', 'pwd'],
  ['username', 'user', 'login', 'account'],
  ['submit', 'send', 'confirm', 'save', 'apply', 'ok'],
  ['next', 'continue', 'proceed', 'forward'],
  ['previous', 'back', 'prev'],
  ['close', 'dismiss', 'cancel', 'x'],
  ['accept', 'agree', 'allow', 'consent', 'ok'],
  ['reject', 'decline', 'deny', 'refuse'],
  ['menu', 'navigation', 'nav', 'hamburger'],
  ['delete', 'remove', 'trash', 'discard'],
  ['add', 'plus', 'new', 'create'],
  ['edit', 'modify', 'change', 'update'],
  ['phone', 'telephone', 'mobile', 'tel'],
  ['address', 'street'],
  ['zip', 'postal', 'postcode'],
  ['country', 'nation', 'region'],
  ['name', 'fullname'],
  ['message', 'comment', 'note', 'feedback'],
  ['download', 'export', 'save'],
  ['upload', 'attach', 'file'],
  ['home', 'homepage', 'start'],
  ['settings', 'preferences', 'options', 'config'],
  ['help', 'support', 'faq'],
  ['price', 'cost', 'amount'],
  ['quantity', 'qty', 'count'],
  ['filter', 'refine'],
  ['sort', 'order'],
];

const SYNONYM_INDEX: ReadonlyMap<string, readonly string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const group of SYNONYMS) {
    for (const word of group) index.set(word, [...(index.get(word) ?? []), ...group]);
  }
  return index;
})();

// Words in an instruction that say which kind of element is wanted.
const KIND_WORDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['type', ['textbox', 'searchbox', 'combobox', 'spinbutton']],
  ['fill', ['textbox', 'searchbox', 'combobox', 'spinbutton']],
  ['enter', ['textbox', 'searchbox', 'combobox', 'spinbutton']],
  ['write', ['textbox', 'searchbox']],
  ['input', ['textbox', 'searchbox', 'combobox', 'spinbutton']],
  ['select', ['combobox', 'listbox', 'option', 'radio']],
  ['choose', ['combobox', 'listbox', 'option', 'radio']],
  ['pick', ['combobox', 'listbox', 'option', 'radio']],
  ['check', ['checkbox', 'switch', 'radio']],
  ['tick', ['checkbox', 'switch']],
  ['toggle', ['checkbox', 'switch', 'button']],
  ['click', ['button', 'link', 'generic', 'tab', 'menuitem']],
  ['press', ['button']],
  ['open', ['link', 'button', 'tab', 'menuitem']],
  ['follow', ['link']],
  ['visit', ['link']],
  ['navigate', ['link']],
  ['upload', ['textbox']],
]);

export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('es') && !word.endsWith('ses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Lower-cased words without accents; "Sign-in" and "signin" both give "signin"-compatible tokens. */
export function tokenize(text: string): string[] {
  // "sign in", "log-in", "sign up" are one word each, so "sign up" does not match a "Sign in" button.
  const joined = normalize(text).replace(/\b(sign|log)[\s-]*(in|up|on|out)\b/g, '$1$2');
  const words = joined.match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? [];
  const out: string[] = [];
  for (const word of words) {
    const compact = word.replace(/[-']/g, '');
    out.push(compact);
    if (compact !== word) out.push(...word.split(/[-']/));
  }
  return out;
}

function variants(word: string): Set<string> {
  const all = new Set<string>([word, stem(word)]);
  for (const synonym of SYNONYM_INDEX.get(word) ?? SYNONYM_INDEX.get(stem(word)) ?? []) {
    all.add(synonym);
    all.add(stem(synonym));
  }
  return all;
}

function fieldSet(text: string | undefined): Set<string> {
  const set = new Set<string>();
  for (const word of tokenize(text ?? '')) {
    set.add(word);
    set.add(stem(word));
  }
  return set;
}

function hits(wanted: Set<string>, field: Set<string>): boolean {
  for (const word of wanted) if (field.has(word)) return true;
  return false;
}

// An item word (the product, the row key) counts almost like a label word once the label matches the action:
// "Add to cart" under "Nimbus Pro 42" must beat both the product's own link and the first card's "Add to cart".
const ITEM_WITH_LABEL = 2.5;
const CONTEXT = 0.8;
const LABEL_AND_ITEM = 1;

/** Score of one candidate against the instruction's words; 0 means no relation found. */
export function scoreCandidate(candidate: RankCandidate, instructions: string): number {
  const all = tokenize(instructions);
  const words = all.filter((word) => !STOP.has(word) && !KIND_WORDS.has(word));
  const kinds = new Set(all.flatMap((word) => KIND_WORDS.get(word) ?? []));
  const label = fieldSet(candidate.label);
  const placeholder = fieldSet(`${candidate.placeholder ?? ''} ${candidate.inputType ?? ''}`);
  const value = fieldSet(candidate.value);
  const role = fieldSet(candidate.role);
  const item = fieldSet(candidate.itemText);
  const context = fieldSet(candidate.context);
  let score = 0;
  let own = 0;
  let itemHits = 0;
  for (const word of new Set(words)) {
    const wanted = variants(word);
    const exact = label.has(word) || label.has(stem(word));
    const points = hits(wanted, label) ? (exact ? 3 : 2.4) : hits(wanted, placeholder) ? 2 : hits(wanted, role) ? 1.5 : hits(wanted, value) ? 1 : 0;
    if (points > 0) {
      score += points;
      own++;
    } else if (hits(wanted, item)) itemHits++;
    else if (hits(wanted, context)) score += CONTEXT;
  }
  // The item alone (every button of the right card) is a weak hint, like a heading; with the label it decides.
  score += itemHits * (own > 0 ? ITEM_WITH_LABEL : CONTEXT);
  if (score > 0 && words.length > 0) score /= Math.sqrt(words.length);
  if (own > 0 && itemHits > 0) score += LABEL_AND_ITEM;
  const phrase = normalize(candidate.label).trim();
  if (phrase.length >= 3 && normalize(instructions).includes(phrase)) score += 1.5;
  if (score > 0 && kinds.has(candidate.role)) score += 0.5;
  if (candidate.disabled === true) score *= 0.5;
  return Math.round(score * 100) / 100;
}

/** Candidates by descending score; ties keep document order. */
export function rankActions<T extends RankCandidate>(candidates: readonly T[], instructions: string): Ranked<T>[] {
  return candidates
    .map((item, order) => ({ item, score: scoreCandidate(item, instructions), order }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ item, score }) => ({ item, score }));
}

/**
 * The actions to list for an instruction: those that match, best first, padded in document order up to
 * `min`, cut at `max`. When nothing matches, the first `max` in document order.
 */
export function selectForInstructions<T extends RankCandidate>(candidates: readonly T[], instructions: string, min: number, max: number): Ranked<T>[] {
  const ranked = rankActions(candidates, instructions);
  const matching = ranked.filter((entry) => entry.score > 0);
  if (matching.length === 0) return ranked.slice(0, max);
  const padding = ranked.filter((entry) => entry.score === 0).slice(0, Math.max(0, min - matching.length));
  return [...matching, ...padding].slice(0, max);
}
