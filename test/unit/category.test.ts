import { describe, expect, test } from 'vitest';
import { guessCategory } from '../../src/page/category.js';
import type { CategoryHints } from '../../src/page/category.js';

type Hint = CategoryHints['elements'][number];
const link = (name: string): Hint => ({ role: 'link', tag: 'a', name });
const field = (name: string, extra: Partial<Hint> = {}): Hint => ({ role: 'textbox', tag: 'input', name, ...extra });
const checkbox = (name: string): Hint => ({ role: 'checkbox', tag: 'input', name });
const button = (name: string): Hint => ({ role: 'button', tag: 'button', name });
const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe('guessCategory', () => {
  test('payment, auth and overlay from the fields and the modal', () => {
    expect(guessCategory({ modal: false, elements: [field('Card number'), field('CVC')] })).toBe('payment');
    expect(guessCategory({ modal: false, elements: [field('Email'), field('Password', { inputType: 'password' })] })).toBe('auth');
    expect(guessCategory({ modal: true, elements: [button('Accept')] })).toBe('overlay');
  });

  test('a settings form: text fields and controls outnumber the links', () => {
    const elements = [...many(4, (i) => link(`Nav ${i}`)), field('Display name'), field('Username'), { role: 'combobox', tag: 'select', name: 'Timezone' }, checkbox('Digest'), checkbox('Mentions'), button('Save')];
    expect(guessCategory({ modal: false, elements, items: 6, pricedItems: 0 })).toBe('form');
  });

  test('a product listing with a filter sidebar is a data feed, not a form', () => {
    const elements = [
      field('Search products', { role: 'searchbox', inputType: 'search' }),
      ...many(24, (i) => checkbox(`Brand ${i}`)),
      field('Min', { role: 'spinbutton', inputType: 'number' }),
      field('Max', { role: 'spinbutton', inputType: 'number' }),
      ...many(144, (i) => link(`Product ${i}`)),
      ...many(72, () => button('Add to cart')),
    ];
    expect(guessCategory({ modal: false, elements, url: 'http://shop.test/running', items: 90, pricedItems: 72 })).toBe('data-feed');
    // The same listing for a query is search results, whether the query is in the URL or in the search box.
    expect(guessCategory({ modal: false, elements, url: 'http://shop.test/search?q=nimbus', items: 90, pricedItems: 72 })).toBe('search-results');
    const typed = elements.map((el, i) => (i === 0 ? { ...el, value: 'nimbus' } : el));
    expect(guessCategory({ modal: false, elements: typed, url: 'http://shop.test/running', items: 90, pricedItems: 72 })).toBe('search-results');
  });

  test('a data table of priced rows is a data feed', () => {
    const elements = [field('Search invoices', { role: 'searchbox' }), { role: 'combobox', tag: 'select', name: 'Status' }, ...many(50, (i) => checkbox(`Select INV-${i}`)), ...many(50, () => button('Approve')), ...many(50, () => link('View'))];
    expect(guessCategory({ modal: false, elements, url: 'http://app.test/invoices', items: 52, pricedItems: 50 })).toBe('data-feed');
  });

  test('unsure stays undefined: an article, a docs page, a cart with two prices, a lone newsletter field', () => {
    expect(guessCategory({ modal: false, elements: [...many(80, (i) => link(`Story ${i}`)), button('Like')], items: 40, pricedItems: 0 })).toBeUndefined();
    expect(guessCategory({ modal: false, elements: [...many(3, (i) => link(`Item ${i}`)), button('Checkout')], items: 2, pricedItems: 2 })).toBeUndefined();
    expect(guessCategory({ modal: false, elements: [...many(30, (i) => link(`Footer ${i}`)), field('Email'), button('Subscribe')] })).toBeUndefined();
    // Many fields lost among many more links: no form.
    expect(guessCategory({ modal: false, elements: [...many(60, (i) => link(`Doc ${i}`)), field('Name'), field('Email'), field('Message')] })).toBeUndefined();
  });
});
