import { describe, expect, test } from 'vitest';
import { rankActions, scoreCandidate, selectForInstructions, tokenize } from '../../src/page/rank.js';
import type { RankCandidate } from '../../src/page/rank.js';

const page: RankCandidate[] = [
  { id: 'L1', role: 'link', label: 'Home' },
  { id: 'L2', role: 'link', label: 'Basket (2)' },
  { id: 'I1', role: 'searchbox', label: '', placeholder: 'Search the store' },
  { id: 'B1', role: 'button', label: 'Sign in' },
  { id: 'B2', role: 'button', label: 'Sign up' },
  { id: 'I2', role: 'textbox', label: 'E-mail address', context: 'Newsletter' },
  { id: 'B3', role: 'checkbox', label: 'Remember me' },
  { id: 'I3', role: 'combobox', label: 'Country' },
  { id: 'B4', role: 'button', label: 'Subscribe', context: 'Newsletter' },
];

const first = (instructions: string): string | undefined => rankActions(page, instructions)[0]?.item.id;

describe('rank', () => {
  test('tokenize lowercases, drops accents and joins "sign in" / "log-in" into one word', () => {
    expect(tokenize('Log-in to Café')).toEqual(['login', 'to', 'cafe']);
    expect(tokenize('Sign up now')).toEqual(['signup', 'now']);
  });

  test('the relevant action comes first', () => {
    expect(first('search for red shoes')).toBe('I1');
    expect(first('log in to my account')).toBe('B1');
    expect(first('register a new account')).toBe('B2');
    expect(first('go to the shopping cart')).toBe('L2');
    expect(first('type my email')).toBe('I2');
    expect(first('choose the country')).toBe('I3');
    expect(first('tick remember me')).toBe('B3');
    expect(first('subscribe to the newsletter')).toBe('B4');
  });

  test('unrelated actions score 0 and keep document order among themselves', () => {
    expect(scoreCandidate({ id: 'L1', role: 'link', label: 'Home' }, 'search for shoes')).toBe(0);
    const ranked = rankActions(page, 'search');
    expect(ranked.slice(1).map((entry) => entry.item.id)).toEqual(['L1', 'L2', 'B1', 'B2', 'I2', 'B3', 'I3', 'B4']);
  });

  test('disabled actions rank below enabled ones with the same words', () => {
    const ranked = rankActions([{ id: 'B1', role: 'button', label: 'Pay', disabled: true }, { id: 'B2', role: 'button', label: 'Pay' }], 'pay');
    expect(ranked.map((entry) => entry.item.id)).toEqual(['B2', 'B1']);
  });

  test('a repeated label is told apart by its item: label and item together beat either alone', () => {
    // A product grid: each card's heading is the item of its buttons; the product link's own label is the name.
    const grid: RankCandidate[] = [
      { id: 'B31', role: 'button', label: 'Add to cart', itemText: 'Aero Flex 10', context: 'Aero Flex 10' },
      { id: 'B35', role: 'button', label: 'Save Aero Flex 10 to wishlist', itemText: 'Aero Flex 10' },
      { id: 'L117', role: 'link', label: 'Nimbus Pro 42', itemText: 'Nimbus Pro 42 running shoe' },
      { id: 'B323', role: 'button', label: 'Add to cart', itemText: 'Nimbus Pro 42', context: 'Nimbus Pro 42' },
      { id: 'B327', role: 'button', label: 'Save Nimbus Pro 42 to wishlist', itemText: 'Nimbus Pro 42' },
    ];
    const ranked = rankActions(grid, "Click Add to cart on product 'Nimbus Pro 42'").map((entry) => entry.item.id);
    expect(ranked.slice(0, 2)).toEqual(['B323', 'L117']);
    expect(ranked.indexOf('B323')).toBeLessThan(ranked.indexOf('B31'));

    // A table: the row key is the item; the row's own checkbox names the key in its label.
    const table: RankCandidate[] = [
      { id: 'B4', role: 'checkbox', label: 'Select INV-1000', itemText: 'INV-1000', context: 'Invoices' },
      { id: 'B5', role: 'button', label: 'Approve', itemText: 'INV-1000', context: 'Invoices' },
      { id: 'L40', role: 'link', label: 'View', itemText: 'INV-1000', context: 'Invoices' },
      { id: 'B115', role: 'checkbox', label: 'Select INV-1037', itemText: 'INV-1037', context: 'Invoices' },
      { id: 'B116', role: 'button', label: 'Approve', itemText: 'INV-1037', context: 'Invoices' },
    ];
    const rows = rankActions(table, 'Approve invoice INV-1037').map((entry) => entry.item.id);
    expect(rows[0]).toBe('B116');
    expect(rows.indexOf('B116')).toBeLessThan(rows.indexOf('B5'));
    expect(rows.indexOf('B116')).toBeLessThan(rows.indexOf('B115'));
  });

  test('an item alone is a weak hint: it does not pull unrelated buttons above a matching label', () => {
    const cards: RankCandidate[] = [
      { id: 'I1', role: 'searchbox', label: '', placeholder: 'Search the store' },
      { id: 'B1', role: 'button', label: 'Add to cart', itemText: 'Red running shoes' },
    ];
    expect(rankActions(cards, 'search for red shoes')[0]?.item.id).toBe('I1');
  });

  test('selectForInstructions keeps the matches, pads to min, caps at max, and falls back to document order', () => {
    expect(selectForInstructions(page, 'sign in', 0, 10).map((entry) => entry.item.id)).toEqual(['B1']);
    expect(selectForInstructions(page, 'sign in', 3, 10).map((entry) => entry.item.id)).toEqual(['B1', 'L1', 'L2']);
    expect(selectForInstructions(page, 'newsletter', 0, 1).map((entry) => entry.item.id)).toHaveLength(1);
    expect(selectForInstructions(page, 'zzz qqq', 0, 2).map((entry) => entry.item.id)).toEqual(['L1', 'L2']);
  });
});
