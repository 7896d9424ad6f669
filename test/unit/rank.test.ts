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

  test('selectForInstructions keeps the matches, pads to min, caps at max, and falls back to document order', () => {
    expect(selectForInstructions(page, 'sign in', 0, 10).map((entry) => entry.item.id)).toEqual(['B1']);
    expect(selectForInstructions(page, 'sign in', 3, 10).map((entry) => entry.item.id)).toEqual(['B1', 'L1', 'L2']);
    expect(selectForInstructions(page, 'newsletter', 0, 1).map((entry) => entry.item.id)).toHaveLength(1);
    expect(selectForInstructions(page, 'zzz qqq', 0, 2).map((entry) => entry.item.id)).toEqual(['L1', 'L2']);
  });
});
