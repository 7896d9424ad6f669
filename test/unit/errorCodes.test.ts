import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * Codes no test can provoke honestly, each with the reason. A new code is not one of these: it gets a test that
 * asserts it, or this scan fails.
 */
const WITHOUT_A_TEST: Readonly<Record<string, string>> = {
  E_INTERNAL: 'means a bug in this server and nothing else; tests assert its absence (not.toMatch(/^E_INTERNAL/))',
  E_PAGE_CHANGED: 'thrown only when a document is replaced in the instant between two evaluations of one read; no page makes that happen on cue',
};

function codesOfTheUnion(): string[] {
  const source = readFileSync(join(ROOT, 'src/errors.ts'), 'utf8');
  const union = /export type ErrorCode =([^;]*);/.exec(source)?.[1];
  if (union === undefined) throw new Error('ErrorCode union not found in src/errors.ts');
  return [...union.matchAll(/'(E_[A-Z_]+)'/g)].map((match) => match[1] ?? '');
}

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testSources(path);
    return entry.name.endsWith('.ts') && path !== THIS_FILE ? [path] : [];
  });
}

describe('every error code has a test', () => {
  const codes = codesOfTheUnion();
  const sources = testSources(join(ROOT, 'test')).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

  it('reads the union', () => {
    expect(codes.length).toBeGreaterThan(30);
    expect(codes).toContain('E_INTERNAL');
  });

  // The code followed by the ":" of an answer's text, or quoted as a value: a bare mention in a comment does not count.
  const asserted = (code: string): RegExp => new RegExp(`${code}(:|['"\`])`);

  it.each(codes.filter((code) => WITHOUT_A_TEST[code] === undefined))('%s is asserted in a test under test/', (code) => {
    expect(sources.filter((source) => asserted(code).test(source.text)).map((source) => source.path), `no test under test/ asserts ${code}`).not.toEqual([]);
  });

  it('the codes without a test are still codes, and still untested', () => {
    for (const code of Object.keys(WITHOUT_A_TEST)) {
      expect(codes).toContain(code);
      expect(sources.some((source) => asserted(code).test(source.text)), `${code} has a test now: drop it from WITHOUT_A_TEST`).toBe(false);
    }
  });
});
