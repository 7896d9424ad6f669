import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { PLAYWRIGHT_DISABLED_FEATURES, PLAYWRIGHT_ENABLED_FEATURES, mergeFeatureArgs } from '../../src/drivers/launchArgs.js';

/** The feature lists the installed playwright-core puts on Chromium's command line. */
function playwrightList(name: 'disabledFeatures' | 'enabledFeatures'): string[] {
  const source = readFileSync(createRequire(import.meta.url).resolve('playwright-core/lib/coreBundle'), 'utf8');
  const body = new RegExp(`${name} = (?:\\(\\) => )?\\[([\\s\\S]*?)\\]\\.filter`).exec(source)?.[1];
  if (body === undefined) throw new Error(`playwright-core no longer defines ${name} as this test expects: re-read its chromiumSwitches`);
  return [...body.replace(/\/\/.*$/gm, '').matchAll(/"([A-Za-z0-9]+)"/g)].map((match) => match[1] ?? '');
}

describe('launch feature flags', () => {
  it('keeps every feature Playwright disables or enables, so merging loses none of them', () => {
    expect(playwrightList('disabledFeatures').length).toBeGreaterThan(5);
    expect([...PLAYWRIGHT_DISABLED_FEATURES]).toEqual(expect.arrayContaining(playwrightList('disabledFeatures')));
    expect([...PLAYWRIGHT_ENABLED_FEATURES]).toEqual(expect.arrayContaining(playwrightList('enabledFeatures')));
  });

  it('folds every --disable-features into one that holds Playwright’s list and ours', () => {
    const merged = mergeFeatureArgs(['--a', '--disable-features=Translate,MediaRouter', '--b', '--disable-features=Foo', '--enable-features=Bar']);
    const disable = merged.filter((arg) => arg.startsWith('--disable-features='));
    expect(disable).toHaveLength(1);
    const names = (disable[0] ?? '').slice('--disable-features='.length).split(',');
    expect(names).toEqual(expect.arrayContaining(['NetworkTimeServiceQuerying', 'OptimizationHints', 'Translate', 'MediaRouter', 'Foo']));
    expect(new Set(names).size).toBe(names.length);
    expect(merged.filter((arg) => arg.startsWith('--enable-features='))).toEqual([`--enable-features=${[...PLAYWRIGHT_ENABLED_FEATURES, 'Bar'].join(',')}`]);
    expect(merged.slice(0, 3)).toEqual(['--a', disable[0], '--b']);
  });

  it('leaves arguments without feature lists alone', () => {
    expect(mergeFeatureArgs(['--x', '--y=1'])).toEqual(['--x', '--y=1']);
  });
});
