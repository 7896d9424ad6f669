import { describe, expect, it } from 'vitest';
import { BsmError } from '../../src/errors.js';
import { decodeKey } from '../../src/vault/key.js';
import { originMatches } from '../../src/vault/origin.js';
import { redactDeep, redactText, registerSecret } from '../../src/vault/redact.js';
import { seal, unseal } from '../../src/vault/seal.js';
import { base32Decode, totp } from '../../src/vault/totp.js';
import type { TotpAlgorithm } from '../../src/vault/totp.js';

// RFC 6238 appendix B: the seeds are the ASCII digits repeated to the hash's length.
const SEEDS: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: [number, string, TotpAlgorithm][] = [
  [59, '94287082', 'sha1'], [59, '46119246', 'sha256'], [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'], [1111111109, '68084774', 'sha256'], [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'], [1111111111, '67062674', 'sha256'], [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'], [1234567890, '91819424', 'sha256'], [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'], [2000000000, '90698825', 'sha256'], [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'], [20000000000, '77737706', 'sha256'], [20000000000, '47863826', 'sha512'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('T=%i gives %s with %s', (seconds, code, algorithm) => {
    expect(totp(SEEDS[algorithm], seconds * 1000, { digits: 8, algorithm })).toBe(code);
  });

  it('reads base32 secrets as authenticator apps write them', () => {
    // "12345678901234567890" in base32, lower case, spaced and padded.
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')?.toString()).toBe('12345678901234567890');
    expect(totp(base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ') ?? Buffer.alloc(0), 59_000)).toBe('287082');
    expect(base32Decode('not base32!')).toBeUndefined();
  });
});

describe('origin patterns', () => {
  it.each([
    ['https://accounts.example.com', 'https://accounts.example.com/login?x=1', true],
    ['https://accounts.example.com', 'http://accounts.example.com/login', false],
    ['https://accounts.example.com', 'https://accounts.example.com.evil.test/', false],
    ['https://accounts.example.com', 'https://accounts.example.com:8443/', false],
    ['example.com', 'https://example.com/', true],
    ['example.com', 'http://example.com/', false],
    ['*.example.com', 'https://a.b.example.com/', true],
    ['*.example.com', 'https://example.com/', false],
    ['*.example.com', 'https://badexample.com/', false],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/login', true],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8081/login', false],
    ['http://127.0.0.1:8080', 'http://localhost:8080/login', false],
    ['https://example.com', 'about:blank', false],
    ['https://example.com', 'data:text/html,hi', false],
  ])('%s on %s → %s', (pattern, url, expected) => {
    expect(originMatches(pattern, url)).toBe(expected);
  });
});

describe('vault file sealing', () => {
  const key = Buffer.alloc(32, 7);
  const contents = { name: 'work', credentials: [{ url: 'example.com', username: 'ada', email: null, password: 'pw-123456', mfa_secret: null }], card: null };

  it('opens what it sealed, and only with the same key and vault id', () => {
    const file = JSON.stringify(seal(key, 'vault-a', contents));
    expect(unseal(key, 'vault-a', file)).toEqual(contents);
    expect(() => unseal(Buffer.alloc(32, 8), 'vault-a', file)).toThrow(/wrong key, or the file was modified/);
    expect(() => unseal(key, 'vault-b', file)).toThrow(/belongs to another vault/);
  });

  it('refuses a file with one changed byte as E_VAULT_UNREADABLE', () => {
    const sealed = seal(key, 'vault-a', contents);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    const tampered = JSON.stringify({ ...sealed, data: data.toString('base64') });
    const error = (() => {
      try {
        unseal(key, 'vault-a', tampered);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BsmError);
    expect(error instanceof BsmError ? error.code : '').toBe('E_VAULT_UNREADABLE');
  });

  it('takes 32-byte keys in base64 or hex and nothing else', () => {
    expect(decodeKey(Buffer.alloc(32, 1).toString('base64'), 'env').equals(Buffer.alloc(32, 1))).toBe(true);
    expect(decodeKey('ab'.repeat(32), 'env').equals(Buffer.alloc(32, 0xab))).toBe(true);
    expect(() => decodeKey('short', 'env')).toThrow(/not 32 bytes/);
    expect(() => decodeKey(Buffer.alloc(16).toString('base64'), 'env')).toThrow(/not 32 bytes/);
  });
});

describe('redactor', () => {
  it('replaces a secret in every spelling a page, a URL or a log line uses', () => {
    const secret = 'p@ss word<&>"q\'';
    registerSecret(secret, '{{vault.password}}');
    const spelled = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), JSON.stringify(secret), 'p@ss word&lt;&amp;&gt;&quot;q&#39;', Buffer.from(secret).toString('base64')];
    for (const text of spelled) expect(redactText(`before ${text} after`)).not.toContain(text.replace(/^"|"$/g, ''));
    expect(redactText(`x ${secret} y`)).toBe('x {{vault.password}} y');
    expect(redactDeep({ a: [{ b: `${secret}!` }], n: 3 })).toEqual({ a: [{ b: '{{vault.password}}!' }], n: 3 });
  });
});

describe('log lines', () => {
  it('are redacted before they reach stderr', async () => {
    const { log } = await import('../../src/log.js');
    registerSecret('log-secret-9876', '{{vault.password}}');
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stderr.write; // captures the one line log() writes, then is put back
    try {
      log('warn', 'a page said log-secret-9876', { echoed: 'x"log-secret-9876"', url: `https://x.test/?p=${encodeURIComponent('log-secret-9876')}` });
    } finally {
      process.stderr.write = original;
    }
    expect(written.join('')).not.toContain('log-secret-9876');
    expect(written.join('')).toContain('a page said {{vault.password}}');
  });
});
