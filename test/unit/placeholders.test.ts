import { encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { applyLinkPlaceholders } from '../../src/page/placeholders.js';

const PAGE = 'https://shop.example.com/catalog';
const ORIGIN = 'https://shop.example.com';
const LONG_A = 'https://shop.example.com/catalog/products/item?id=1234567890';
const LONG_B = 'https://cdn.example.com/images/products/1234567890/large.jpg';
const OTHER = 'https://docs.other-site.example.org/guides/getting-started/installation';

/** A catalogue: every product linked twice (title and image), plus site navigation. */
function catalogue(count: number): { markdown: string; urls: string[] } {
  const urls: string[] = [];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const url = `${ORIGIN}/catalog/products/kettle-${i}`;
    urls.push(url, url);
    lines.push(`### [Kettle ${i}](${url})`, '', `A steel kettle, model ${i}. [Details](${url})`, '');
  }
  return { markdown: lines.join('\n').trim(), urls };
}

describe('applyLinkPlaceholders', () => {
  it('numbers URLs in order of appearance, lists each once, and writes same-origin ones as paths under the origin', () => {
    const md = `See [the kettle](${LONG_A}) and ![photo](${LONG_B}), or [again](${LONG_A}), and [the kettle once more](${LONG_A}).`;
    expect(applyLinkPlaceholders(md, [LONG_A, LONG_B, LONG_A, LONG_A], PAGE)).toBe(
      `See [the kettle][1] and ![photo](${LONG_B}), or [again][1], and [the kettle once more][1].\n\n` +
        `Links (a /path is on ${ORIGIN}):\n\n[1]: /catalog/products/item?id=1234567890`,
    );
  });

  it('keeps a URL of another site inline when it appears once: a reference would cost more', () => {
    const md = `Read [the guide](${OTHER}).`;
    expect(applyLinkPlaceholders(md, [OTHER], PAGE)).toBe(md);
  });

  it('references a repeated URL of another site once, at full length', () => {
    const md = `[Install](${OTHER}), [setup](${OTHER}), [first steps](${OTHER}) and [again](${OTHER}).`;
    expect(applyLinkPlaceholders(md, [OTHER, OTHER, OTHER, OTHER], PAGE)).toBe(`[Install][1], [setup][1], [first steps][1] and [again][1].\n\n[1]: ${OTHER}`);
  });

  it('numbers by position in the text, not by the order urls were given', () => {
    const { markdown, urls } = catalogue(3);
    const out = applyLinkPlaceholders(markdown, [...urls].reverse(), PAGE);
    expect(out.startsWith('### [Kettle 0][1]\n\nA steel kettle, model 0. [Details][1]\n\n### [Kettle 1][2]')).toBe(true);
    expect(out.endsWith(`Links (a /path is on ${ORIGIN}):\n\n[1]: /catalog/products/kettle-0\n[2]: /catalog/products/kettle-1\n[3]: /catalog/products/kettle-2`)).toBe(true);
  });

  it('does not touch page text that only looks like a link destination', () => {
    const md = `Literal \\](${OTHER}) text and [real](${OTHER}), [twice](${OTHER}) and [thrice](${OTHER}).`;
    expect(applyLinkPlaceholders(md, [OTHER], PAGE)).toBe(`Literal \\](${OTHER}) text and [real][1], [twice][1] and [thrice][1].\n\n[1]: ${OTHER}`);
  });

  it('ignores URLs that are not in this markdown (another window of the page)', () => {
    expect(applyLinkPlaceholders('no links here', [LONG_A], PAGE)).toBe('no links here');
  });

  it('returns the markdown unchanged when the references would not make it smaller', () => {
    // One short same-origin link: the table head stating the origin costs more than the path saves.
    const md = `Go [home](${ORIGIN}/) now.`;
    expect(applyLinkPlaceholders(md, [`${ORIGIN}/`], PAGE)).toBe(md);
  });

  it('never makes a page bigger, and saves on a link-heavy one (real o200k tokens)', () => {
    const { markdown, urls } = catalogue(40);
    const out = applyLinkPlaceholders(markdown, urls, PAGE);
    expect(encode(out).length).toBeLessThan(encode(markdown).length * 0.8);
    for (const md of [`[a](${OTHER})`, `Plain text only.`, `[x](${LONG_B}) and [y](${OTHER})`]) {
      expect(encode(applyLinkPlaceholders(md, [LONG_B, OTHER], PAGE)).length).toBeLessThanOrEqual(encode(md).length);
    }
  });

  it('does not shorten without the page URL, or against an opaque origin', () => {
    const md = `[a](${LONG_A}) [b](${LONG_A}) [c](${LONG_A})`;
    const expected = `[a][1] [b][1] [c][1]\n\n[1]: ${LONG_A}`;
    expect(applyLinkPlaceholders(md, [LONG_A])).toBe(expected);
    expect(applyLinkPlaceholders(md, [LONG_A], 'data:text/html,hi')).toBe(expected);
  });
});
