import { describe, expect, it } from 'vitest';
import { checkUrl } from '../../src/page/urlPolicy.js';

describe('checkUrl', () => {
  it('allows http(s) and about:blank', () => {
    expect(checkUrl('https://example.com/a?b=1', false)).toEqual({ ok: true, url: 'https://example.com/a?b=1' });
    expect(checkUrl('http://127.0.0.1:8080/', false)).toEqual({ ok: true, url: 'http://127.0.0.1:8080/' });
    expect(checkUrl('about:blank', false)).toEqual({ ok: true, url: 'about:blank' });
  });

  it('adds https:// to a bare host, including host:port', () => {
    expect(checkUrl('example.com/path', false)).toEqual({ ok: true, url: 'https://example.com/path' });
    expect(checkUrl('localhost:3000', false)).toEqual({ ok: true, url: 'https://localhost:3000/' });
  });

  it.each(['file:///etc/passwd', 'chrome://settings', 'view-source:https://example.com', 'javascript:alert(1)', 'data:text/html,<b>x</b>', 'about:config', 'chrome-extension://abc/x.html'])(
    'refuses %s unless local URLs are allowed',
    (url) => {
      const refused = checkUrl(url, false);
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.reason).toMatch(/not allowed in this session\. Use an http\(s\) URL\./);
      expect(checkUrl(url, true).ok).toBe(true);
    },
  );

  it('refuses empty and nonsense input with a hint', () => {
    const empty = checkUrl('  ', false);
    expect(empty).toEqual({ ok: false, reason: 'The URL is empty. Give an absolute http(s) URL.' });
    expect(checkUrl('not a url', false).ok).toBe(false);
  });
});
