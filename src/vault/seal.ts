import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BsmError } from '../errors.js';
import { VaultContents, VaultFile } from './types.js';

const FORMAT = 'browser-session-mcp-vault/1';
const UNREADABLE_HINT = 'Check BROWSER_SESSION_MCP_VAULT_KEY / --vault-key-file is the key the vault was made with; a file changed by hand cannot be opened again.';

/**
 * AES-256-GCM with a fresh 12-byte IV per write. The vault id is the additional authenticated data, so a file
 * copied over another vault's name fails to open rather than handing out the other vault's credentials.
 */
export function seal(key: Buffer, vaultId: string, contents: VaultContents): VaultFile {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(vaultId, 'utf8'));
  const data = Buffer.concat([cipher.update(JSON.stringify(contents), 'utf8'), cipher.final()]);
  return { format: FORMAT, vault_id: vaultId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The decrypted contents, or E_VAULT_UNREADABLE: a wrong key and a tampered file look the same to GCM. */
export function unseal(key: Buffer, vaultId: string, text: string): VaultContents {
  const unreadable = (why: string): BsmError => new BsmError('E_VAULT_UNREADABLE', `Vault ${vaultId} cannot be opened: ${why}.`, UNREADABLE_HINT);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw unreadable('the file is not a vault file (not JSON)');
  }
  const file = VaultFile.safeParse(json);
  if (!file.success) throw unreadable('the file is not a vault file');
  if (file.data.vault_id !== vaultId) throw unreadable('the file belongs to another vault');
  let plain: string;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(file.data.iv, 'base64'));
    decipher.setAAD(Buffer.from(vaultId, 'utf8'));
    decipher.setAuthTag(Buffer.from(file.data.tag, 'base64'));
    plain = Buffer.concat([decipher.update(Buffer.from(file.data.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw unreadable('wrong key, or the file was modified');
  }
  const contents = VaultContents.safeParse(JSON.parse(plain));
  if (!contents.success) throw unreadable('its contents are not in the expected shape');
  return contents.data;
}
