import type { SpaceCategory } from '../notte/observation.js';

export interface CategoryHints {
  modal: boolean;
  elements: readonly { role: string; tag: string; name: string; inputType?: string; placeholder?: string; value?: string }[];
  /** The page's URL: a search query in it makes a list of items search results. */
  url?: string;
  /** Item containers (rows, list items, cards) that hold an element, and how many of them show a price. */
  items?: number;
  pricedItems?: number;
}

// A listing: this many priced rows or cards. A few prices (a cart, a plan picker) are not a feed.
const MIN_PRICED_ITEMS = 5;
const MIN_RESULT_ITEMS = 5;
// Query parameters that carry a search.
const SEARCH_PARAM = /[?&#](?:q|query|search|search_query|s|k|keywords?|term|text)=[^&#]/i;
const TEXT_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton']);
const FORM_ROLES = new Set(['textbox', 'searchbox', 'combobox', 'listbox', 'spinbutton', 'slider', 'checkbox', 'radio', 'switch']);

/**
 * Notte's space.category from cheap signals; undefined when none is clear (Notte sets it only with deep
 * perception, so leaving it out is the honest default). Conservative: a listing with a filter sidebar has
 * plenty of fields, yet is no form.
 */
export function guessCategory(hints: CategoryHints): SpaceCategory | undefined {
  const fields = hints.elements.filter((el) => el.tag === 'input' || el.tag === 'textarea' || el.tag === 'select');
  const text = (el: { name: string; placeholder?: string }): string => `${el.name} ${el.placeholder ?? ''}`.toLowerCase();
  const isSearch = (el: { role: string; name: string; placeholder?: string }): boolean => el.role === 'searchbox' || /search/.test(text(el));
  if (fields.some((el) => /card ?number|cc-number|cvc|cvv/.test(text(el)))) return 'payment';
  if (fields.some((el) => el.inputType === 'password')) return 'auth';
  if (hints.modal) return 'overlay';

  const items = hints.items ?? 0;
  const priced = hints.pricedItems ?? 0;
  const searched = SEARCH_PARAM.test(hints.url ?? '') || hints.elements.some((el) => isSearch(el) && el.value !== undefined && el.value !== '');
  if (searched && (items >= MIN_RESULT_ITEMS || priced >= MIN_PRICED_ITEMS)) return 'search-results';
  if (priced >= MIN_PRICED_ITEMS) return 'data-feed';

  // A form: at least two fields to type in, and form controls outnumber the links around them.
  const controls = hints.elements.filter((el) => FORM_ROLES.has(el.role) && !isSearch(el));
  const textFields = controls.filter((el) => TEXT_ROLES.has(el.role) || el.tag === 'textarea');
  const links = hints.elements.filter((el) => el.role === 'link').length;
  if (textFields.length >= 2 && controls.length >= links) return 'form';
  return undefined;
}
