import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SessionStartInput } from '../../src/notte/session.js';
import { checkStartRequest } from '../../src/sessions/startChecks.js';
import { MAX_STEP_VALUE_CHARS, summarizeAction } from '../../src/sessions/stepSummary.js';
import { frameNote } from '../../src/page/framePolicy.js';
import { GuardedStdioTransport, findId } from '../../src/stdioTransport.js';

const start = (fields: Record<string, unknown>) => SessionStartInput.parse(fields);

describe('session_start checks before the browser', () => {
  it.each([
    [{ user_agent: 'Mozilla/5.0\nX-Injected: 1' }, /^user_agent: holds a control character \(U\+000A at position 11\)/],
    [{ user_agent: 'nul\0byte' }, /^user_agent: holds a control character \(U\+0000/],
    [{ user_agent: '   ' }, /^user_agent: is empty/],
    [{ extra_http_headers: { 'bad name': 'x' } }, /^extra_http_headers\.bad name: is not a valid header name/],
    [{ extra_http_headers: { 'x-a:b': 'x' } }, /^extra_http_headers\.x-a:b: is not a valid header name/],
    [{ extra_http_headers: { '': 'x' } }, /^extra_http_headers\.: is not a valid header name/],
    [{ extra_http_headers: { 'x-ok': 'a\r\nSet-Cookie: x' } }, /^extra_http_headers\.x-ok: value holds a control character/],
    [{ extra_http_headers: { Host: 'evil.example' } }, /^extra_http_headers\.Host: is set by the browser itself/],
    [{ proxies: [{ type: 'external', server: 'not a url' }] }, /^proxies\[0\]\.server: holds spaces/],
    [{ proxies: [{ type: 'external', server: 'ftp://proxy:21' }] }, /^proxies\[0\]\.server: "ftp:\/\/proxy:21" is not an http\(s\) or socks proxy/],
  ])('refuses %j naming the field', (fields, message) => {
    expect(() => checkStartRequest(start(fields))).toThrow(message);
    expect(() => checkStartRequest(start(fields))).toThrow(expect.objectContaining({ code: 'E_INVALID_INPUT' }));
  });

  it('accepts ordinary values, tabs included', () => {
    expect(() => checkStartRequest(start({ user_agent: 'Mozilla/5.0 (X11; Linux) Bot/1.0', extra_http_headers: { 'X-Trace': 'a\tb', Accept_Language: 'fr' }, proxies: [{ type: 'external', server: 'socks5://127.0.0.1:1080' }] }))).not.toThrow();
    expect(() => checkStartRequest(start({ proxies: [{ type: 'external', server: 'proxy.example:3128' }] }))).not.toThrow();
  });
});

describe('step summaries', () => {
  it('clips long values and big nested objects, keeps small ones', () => {
    const code = 'x'.repeat(3 * 1024 * 1024);
    const summary = summarizeAction({ type: 'evaluate_js', code, value: { email: 'a@b.c' }, response_format: { big: 'y'.repeat(10_000) }, timeout: 5 });
    expect(JSON.stringify(summary).length).toBeLessThan(1000);
    expect(summary['code']).toMatch(new RegExp(`^x{${MAX_STEP_VALUE_CHARS}}… \\(${code.length - MAX_STEP_VALUE_CHARS} more characters\\)$`));
    expect(summary['value']).toEqual({ email: 'a@b.c' });
    expect(summary['timeout']).toBe(5);
    expect(typeof summary['response_format']).toBe('string');
  });
});

describe('blocked frames', () => {
  it('names why a frame is not walked', () => {
    expect(frameNote('', 'file:///etc/passwd', 'http://a.test/', [])).toBe('[frame blocked: local URL file:///etc/passwd]');
    expect(frameNote('', 'chrome://version', 'http://a.test/', [])).toBe('[frame blocked: local URL chrome://version]');
    expect(frameNote('chrome-error://chromewebdata/', '/inner', 'http://a.test/page', ['http://a.test/inner'])).toBe('[frame blocked: private address /inner]');
    expect(frameNote('chrome-error://chromewebdata/', 'http://gone.test/', 'http://a.test/', [])).toBe('[frame failed to load: http://gone.test/]');
    expect(frameNote('', '/slow', 'http://a.test/', [])).toBe('[frame not loaded: /slow]');
    expect(frameNote('https://b.test/', 'https://b.test/', 'http://a.test/', [])).toBeUndefined();
    expect(frameNote('about:blank', null, 'http://a.test/', [])).toBeUndefined();
  });
});

describe('stdio line guard', () => {
  it('reads the id at either end of a line', () => {
    expect(findId('{"jsonrpc":"2.0","id":7,"method":"x"', '')).toBe(7);
    expect(findId('{"method":"tools/call","params":{"a":"', '"}},"jsonrpc":"2.0","id":"abc"}')).toBe('abc');
    expect(findId('{"method":"x","params":{"id":5', 'zzz"}}')).toBeUndefined();
  });

  it('answers an over-long line for its id and keeps reading the next ones', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const transport = new GuardedStdioTransport({ maxBytes: 1024, stdin, stdout });
    const received: unknown[] = [];
    transport.onmessage = (message) => received.push(message);
    let closed = false;
    transport.onclose = () => (closed = true);
    await transport.start();
    const big = JSON.stringify({ method: 'tools/call', params: { arguments: { code: 'x'.repeat(50_000) } }, jsonrpc: '2.0', id: 41 });
    for (let i = 0; i < big.length; i += 1000) stdin.write(big.slice(i, i + 1000));
    stdin.write('\n{"jsonrpc":"2.0","id":42,"method":"ping"}\n');
    await new Promise((resolve) => setImmediate(resolve));
    const answer = JSON.parse(String(stdout.read()).split('\n')[0] ?? '') as { id: number; error: { code: number; message: string } };
    expect(answer.id).toBe(41);
    expect(answer.error.message).toMatch(/^Request too large: 50\d+ bytes, over the server's limit of 1024 bytes/);
    expect(received).toEqual([{ jsonrpc: '2.0', id: 42, method: 'ping' }]);
    stdin.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(true);
  });
});
