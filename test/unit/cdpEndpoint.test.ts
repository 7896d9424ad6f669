import { describe, expect, it } from 'vitest';
import { maskUrl, parseCdpEndpoint, withBasicAuth } from '../../src/drivers/cdpEndpoint.js';
import { BsmError } from '../../src/errors.js';

function refusal(raw: string): string {
  try {
    parseCdpEndpoint(raw, 'cdp_url');
  } catch (error: unknown) {
    if (error instanceof BsmError) return error.toText();
    throw error;
  }
  throw new Error(`${raw} was accepted`);
}

describe('parseCdpEndpoint', () => {
  it('takes ws/wss as a socket and http/https as an address to resolve', () => {
    expect(parseCdpEndpoint('ws://127.0.0.1:9222/devtools/browser/abc', 'cdp_url').kind).toBe('ws');
    expect(parseCdpEndpoint('wss://cdp.example/session?token=x', 'cdp_url').kind).toBe('ws');
    expect(parseCdpEndpoint('http://127.0.0.1:9222', 'cdp_url').kind).toBe('http');
    expect(parseCdpEndpoint('https://chrome.example:443/', 'cdp_url').kind).toBe('http');
  });

  it('refuses other schemes and non-URLs, naming the field and the fix', () => {
    expect(refusal('ftp://127.0.0.1:9222')).toMatch(/^E_INVALID_INPUT: cdp_url: scheme "ftp:" is not a CDP endpoint; only ws, wss, http and https are\. Give cdp_url as ws:\/\//);
    expect(refusal('file:///etc/passwd')).toMatch(/scheme "file:"/);
    expect(refusal('127.0.0.1:9222')).toMatch(/scheme "127\.0\.0\.1:"|is not an absolute URL/);
    expect(refusal('not a url')).toMatch(/^E_INVALID_INPUT: cdp_url: "not a url" is not an absolute URL/);
  });

  it('never quotes credentials back, even from a value that does not parse', () => {
    expect(refusal('http://user:hunter2@ bad host')).not.toContain('hunter2');
    expect(refusal('gopher://user:hunter2@host')).not.toContain('hunter2');
  });
});

describe('maskUrl', () => {
  it('masks user, password and token-like query values, and keeps the rest', () => {
    const masked = maskUrl(new URL('wss://me:pw@cdp.example:9222/devtools/browser/1?token=t0k&apiKey=k3y&region=eu'));
    expect(masked).toBe('wss://***:***@cdp.example:9222/devtools/browser/1?token=***&apiKey=***&region=eu');
  });
});

describe('withBasicAuth', () => {
  it('turns user:password into a Basic header unless one is given', () => {
    expect(withBasicAuth(new URL('http://ada:p%40ss@host:1'), {})).toEqual({ authorization: `Basic ${Buffer.from('ada:p@ss').toString('base64')}` });
    expect(withBasicAuth(new URL('http://ada:x@host:1'), { Authorization: 'Bearer t' })).toEqual({ Authorization: 'Bearer t' });
    expect(withBasicAuth(new URL('http://host:1'), { 'x-a': 'b' })).toEqual({ 'x-a': 'b' });
  });
});
