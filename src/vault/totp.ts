import { createHmac } from 'node:crypto';

/** RFC 4648 base32, the encoding authenticator apps and otpauth:// URLs use for the shared secret. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The secret's bytes, or undefined when it is not base32 (spaces, dashes and padding are ignored, any case). */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
  if (clean === '') return undefined;
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) return undefined;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** HOTP (RFC 4226): HMAC of the 8-byte big-endian counter, dynamically truncated to `digits` decimal digits. */
export function hotp(key: Buffer, counter: bigint, digits = 6, algorithm: TotpAlgorithm = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(counter);
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** TOTP (RFC 6238): HOTP over the number of `stepSeconds` periods since the Unix epoch. */
export function totp(key: Buffer, atMs: number, options: { digits?: number; stepSeconds?: number; algorithm?: TotpAlgorithm } = {}): string {
  const counter = BigInt(Math.floor(atMs / 1000 / (options.stepSeconds ?? 30)));
  return hotp(key, counter, options.digits ?? 6, options.algorithm ?? 'sha1');
}
