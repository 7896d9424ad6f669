import { describe, expect, it } from 'vitest';
import { applyLinkPlaceholders } from '../../src/page/placeholders.js';

const LONG_A = 'https://shop.example.com/catalog/products/item?id=1234567890';
const LONG_B = 'https://cdn.example.com/images/products/1234567890/large.jpg';

describe('applyLinkPlaceholders', () => {
  it('numbers long URLs in order of appearance and lists them at the end', () => {
    const md = `See [the kettle](${LONG_A}) and ![photo](${LONG_B}), or [again](${LONG_A}).`;
    expect(applyLinkPlaceholders(md, [LONG_A, LONG_B, LONG_A])).toBe(
      `See [the kettle][1] and ![photo][2], or [again][1].\n\n[1]: ${LONG_A}\n[2]: ${LONG_B}`,
    );
  });

  it('leaves short URLs inline', () => {
    const md = '[Home](https://a.io/) and [more](https://a.io/b)';
    expect(applyLinkPlaceholders(md, ['https://a.io/', 'https://a.io/b'])).toBe(md);
  });

  it('numbers by position in the text, not by the order urls were given', () => {
    const md = `[b](${LONG_B}) [a](${LONG_A})`;
    expect(applyLinkPlaceholders(md, [LONG_A, LONG_B])).toBe(`[b][1] [a][2]\n\n[1]: ${LONG_B}\n[2]: ${LONG_A}`);
  });

  it('does not touch page text that only looks like a link destination', () => {
    const md = `Literal \\](${LONG_A}) text and [real](${LONG_A})`;
    expect(applyLinkPlaceholders(md, [LONG_A])).toBe(`Literal \\](${LONG_A}) text and [real][1]\n\n[1]: ${LONG_A}`);
  });

  it('ignores URLs that are not in this markdown (another window of the page)', () => {
    expect(applyLinkPlaceholders('no links here', [LONG_A])).toBe('no links here');
  });

  it('honours a custom minimum length', () => {
    expect(applyLinkPlaceholders('[x](https://a.io/b)', ['https://a.io/b'], 5)).toBe('[x][1]\n\n[1]: https://a.io/b');
  });
});
