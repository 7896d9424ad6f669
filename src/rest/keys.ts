import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';

/**
 * REST API keys: each key is an owner of its own, isolated like an MCP conversation. Keys are kept only as
 * SHA-256 digests, so neither a log line nor an owner id can give one away.
 */
export class RestKeys {
  readonly #owners = new Map<string, string>();

  constructor(keys: readonly string[]) {
    for (const key of keys) {
      const digest = digestOf(key);
      this.#owners.set(digest.toString('hex'), `rest:${digest.toString('hex').slice(0, 16)}`);
    }
  }

  get size(): number {
    return this.#owners.size;
  }

  /** The owner a request's bearer key stands for; undefined when the key is missing or unknown. */
  ownerOf(req: IncomingMessage): string | undefined {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (match?.[1] === undefined) return undefined;
    const given = digestOf(match[1]);
    // Digests have one length, so the comparison below runs in constant time whatever the key.
    for (const [hex, owner] of this.#owners) {
      if (timingSafeEqual(given, Buffer.from(hex, 'hex'))) return owner;
    }
    return undefined;
  }
}

function digestOf(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Keys from the flag/env list plus a file of one key per line (blank lines and # comments skipped). */
export function loadRestKeys(listed: readonly string[], file: string | undefined): string[] {
  const keys = [...listed];
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error: unknown) {
      throw new Error(`--rest-api-keys-file ${file} cannot be read (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    for (const line of text.split('\n')) {
      const key = line.trim();
      if (key !== '' && !key.startsWith('#')) keys.push(key);
    }
  }
  return keys.filter((key) => key.trim() !== '');
}
