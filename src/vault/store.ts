import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BsmError, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import { loadVaultKey } from './key.js';
import type { KeySource } from './key.js';
import { seal, unseal } from './seal.js';
import type { VaultContents } from './types.js';

/** Vault ids are UUIDs we minted; anything else never reaches the file system (no path tricks). */
const VAULT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FILE_SUFFIX = '.vault.json';

/**
 * The embedded vault store: one AES-256-GCM file per vault under `<data-dir>/vaults/`. The key is loaded when a
 * vault is first opened, so a server that never uses a vault needs no key.
 */
export class VaultStore {
  readonly dir: string;
  readonly #keySource: KeySource;
  #key: Buffer | undefined;

  constructor(dataDir: string, keySource: KeySource) {
    this.dir = join(dataDir, 'vaults');
    this.#keySource = keySource;
  }

  #keyNow(): Buffer {
    this.#key ??= loadVaultKey(this.#keySource);
    return this.#key;
  }

  #path(vaultId: string): string {
    if (!VAULT_ID.test(vaultId)) throw notFound(vaultId);
    return join(this.dir, `${vaultId}${FILE_SUFFIX}`);
  }

  create(name: string): string {
    const id = randomUUID();
    this.save(id, { name, credentials: [], card: null });
    return id;
  }

  load(vaultId: string): VaultContents {
    const path = this.#path(vaultId);
    const key = this.#keyNow();
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw notFound(vaultId);
    }
    return unseal(key, vaultId, text);
  }

  /** Written to a temporary file and renamed, so a crash mid-write never leaves half a vault. */
  save(vaultId: string, contents: VaultContents): void {
    const path = this.#path(vaultId);
    const sealed = seal(this.#keyNow(), vaultId, contents);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(sealed)}\n`, { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  }

  remove(vaultId: string): void {
    const path = this.#path(vaultId);
    this.load(vaultId);
    rmSync(path);
  }

  ids(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.filter((name) => name.endsWith(FILE_SUFFIX)).map((name) => name.slice(0, -FILE_SUFFIX.length)).filter((id) => VAULT_ID.test(id)).sort();
  }
}

function notFound(vaultId: string): BsmError {
  return new BsmError('E_VAULT_NOT_FOUND', `No vault ${JSON.stringify(excerpt(vaultId, 40))} on this server.`, `Check the vault_id (\`browser-session-mcp vault list\` shows them), or call ${TOOL.start} without vault_id.`);
}
