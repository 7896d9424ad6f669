import { describe, expect, it } from 'vitest';
import { checkChromeArgs, classifyChromeArg } from '../../src/drivers/chromeArgs.js';
import { mergeFeatureArgs } from '../../src/drivers/launchArgs.js';

describe('chrome_args classes', () => {
  it.each([
    '--window-size=1024,768',
    '--lang=fr-FR',
    '--accept-lang=fr-FR,fr;q=0.9,en',
    '--force-device-scale-factor=2',
    '--mute-audio',
    '--hide-scrollbars',
    '--enable-features=BackForwardCache,PaintHolding',
    '--disable-features=Translate',
    '--disable-blink-features=AutomationControlled',
    '--blink-settings=imagesEnabled=false,preferredColorScheme=1',
    '--autoplay-policy=no-user-gesture-required',
  ])('allows the harmless %s', (arg) => {
    expect(classifyChromeArg(arg).class).toBe('allowed');
    expect(() => checkChromeArgs([arg], false)).not.toThrow();
  });

  it.each([
    ['--renderer-cmd-prefix=/bin/sh -c id', 'runs a program'],
    ['--gpu-launcher=/tmp/x', 'runs a program'],
    ['--utility-cmd-prefix=/tmp/x', 'runs a program'],
    ['--browser-subprocess-path=/tmp/x', 'runs a program'],
    ['-renderer-cmd-prefix=/tmp/x', 'runs a program'],
    ['--RENDERER-CMD-PREFIX=/tmp/x', 'runs a program'],
    ['--remote-debugging-port=9222', 'DevTools'],
    ['--remote-debugging-pipe', 'another process'],
    ['--remote-debugging-address=0.0.0.0', 'DevTools'],
    ['--user-data-dir=/root/.config/chromium', 'folder of the server'],
    ['--load-extension=/tmp/ext', 'loads code'],
    ['--disable-extensions-except=/tmp/ext', 'loads code'],
    ['--disable-web-security', 'same-origin'],
    ['--no-sandbox', 'sandbox'],
    ['--single-process', 'sandbox'],
    ['--js-flags=--allow-natives-syntax', 'V8'],
    ['file:///etc/passwd', 'bare word'],
    ['--', 'lone'],
    ['--lang=en\n--renderer-cmd-prefix=x', 'control character'],
  ])('never accepts %s, not even with --allow-chrome-args', (arg, why) => {
    const verdict = classifyChromeArg(arg);
    expect(verdict.class).toBe('never');
    expect(verdict.reason).toContain(why);
    expect(() => checkChromeArgs(['--mute-audio', arg], true)).toThrow(/^chrome_args\[1\]: .* is never accepted from a client/);
  });

  it.each(['--proxy-server=http://10.0.0.1:3128', '--host-resolver-rules=MAP * 127.0.0.1', '--ignore-certificate-errors', '--enable-features=IsolateOrigins', '--window-size=big', '--lang=../../x', '--blink-settings=allowFileAccessFromFileURLs=true', '--force-device-scale-factor=1000'])(
    'refuses %s by default and lets it through when the operator trusts clients',
    (arg) => {
      expect(classifyChromeArg(arg).class).toBe('trusted');
      expect(() => checkChromeArgs([arg], false)).toThrow(/^chrome_args\[0\]: .* is refused: .*/);
      expect(() => checkChromeArgs([arg], false)).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT', hint: expect.stringContaining('--allow-chrome-args') }));
      expect(() => checkChromeArgs([arg], true)).not.toThrow();
    },
  );

  it('quotes a long switch only as a short excerpt', () => {
    const long = `--unknown-switch=${'x'.repeat(100_000)}`;
    let message = '';
    try {
      checkChromeArgs([long], false);
    } catch (error: unknown) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/^chrome_args\[0\]: "--unknown-switch=x+…" is refused/);
    expect(message.length).toBeLessThan(300);
  });
});

describe('feature switches', () => {
  it('joins a client\'s --disable-features with the server\'s and Playwright\'s lists, so it cannot drop them', () => {
    const merged = mergeFeatureArgs(['--no-first-run', '--disable-features=Translate,MediaRouter', '--mute-audio', '--disable-features=Translate,PaintHolding', '--enable-features=BackForwardCache']);
    expect(merged.filter((arg) => arg.startsWith('--disable-features='))).toHaveLength(1);
    const disabled = merged.find((arg) => arg.startsWith('--disable-features='))?.split('=')[1]?.split(',') ?? [];
    expect(disabled).toEqual(expect.arrayContaining(['Translate', 'MediaRouter', 'PaintHolding', 'NetworkTimeServiceQuerying']));
    expect(new Set(disabled).size).toBe(disabled.length);
    expect(merged.slice(0, 1)).toEqual(['--no-first-run']);
    expect(mergeFeatureArgs(['--lang=fr'])).toEqual(['--lang=fr']);
  });
});
