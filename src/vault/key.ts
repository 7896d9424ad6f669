import { readFileSync, statSync } from 'node:fs';
import { BsmError } from '../errors.js';

export const VAULT_KEY_ENV = 'BROWSER_SESSION_MCP_VAULT_KEY';
const KEY_BYTES = 32;
const HOW = `Set ${VAULT_KEY_ENV} to a 32-byte key (base64 or hex; \`browser-session-mcp vault keygen\` makes one) or pass --vault-key-file with a file of mode 0600.`;

/** Where the vault key comes from: the env var wins, then the key file. */
export interface KeySource {
  env: string | undefined;
  keyFile: string | undefined;
}

/** 32 bytes from base64 or hex text; anything else is refused, so a typo never becomes a weak key. */
export function decodeKey(text: string, from: string): Buffer {
  const trimmed = text.trim();
  const bytes = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (bytes.length !== KEY_BYTES || (!/^[0-9a-f]{64}$/i.test(trimmed) && bytes.toString('base64').replace(/=+$/, '') !== trimmed.replace(/=+$/, ''))) {
    throw new BsmError('E_VAULT_KEY', `The vault key in ${from} is not 32 bytes of base64 or hex.`, HOW);
  }
  return bytes;
}

/** The AES-256 key, or E_VAULT_KEY saying how to provide one. The key file must be private to its owner. */
export function loadVaultKey(source: KeySource): Buffer {
  if (source.env !== undefined && source.env !== '') return decodeKey(source.env, VAULT_KEY_ENV);
  if (source.keyFile === undefined) throw new BsmError('E_VAULT_KEY', 'No vault key is configured, so vaults cannot be opened.', HOW);
  let mode: number;
  try {
    mode = statSync(source.keyFile).mode;
  } catch {
    throw new BsmError('E_VAULT_KEY', `The vault key file ${source.keyFile} cannot be read.`, HOW);
  }
  // Group or world access would let other local users decrypt every vault.
  if ((mode & 0o077) !== 0) {
    throw new BsmError('E_VAULT_KEY', `The vault key file ${source.keyFile} has mode ${(mode & 0o777).toString(8)}; it must be 0600.`, `Run chmod 600 ${source.keyFile}.`);
  }
  return decodeKey(readFileSync(source.keyFile, 'utf8'), source.keyFile);
}
