import { describe, expect, it } from 'vitest';
import { isPrivateAddress, isPrivateHostLiteral } from '../../src/page/privateAddress.js';
import { checkUrl } from '../../src/page/urlPolicy.js';

describe('private addresses', () => {
  it.each(['127.0.0.1', '127.0.0.2', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1', '2002:c0a8:101::1', '[::1]'])(
    '%s is private',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', 'example.com'])('%s is public (or not an address)', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('treats localhost names as private', () => {
    expect(isPrivateHostLiteral('localhost')).toBe(true);
    expect(isPrivateHostLiteral('app.localhost.')).toBe(true);
    expect(isPrivateHostLiteral('localhost.example.com')).toBe(false);
  });

  it('makes goto refuse private literals only when asked to', () => {
    for (const url of ['http://127.0.0.2:8080/', 'http://localhost/', 'http://[::1]/', 'http://2130706433/', 'http://0x7f.1/', 'https://192.168.0.1/admin']) {
      const refused = checkUrl(url, false, true);
      expect(refused.ok, url).toBe(false);
      if (!refused.ok) expect(refused.reason).toContain('--block-private-networks');
      expect(checkUrl(url, false, false).ok, url).toBe(true);
    }
    expect(checkUrl('https://example.com/', false, true).ok).toBe(true);
  });
});
