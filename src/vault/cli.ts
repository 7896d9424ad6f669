import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../config.js';
import type { Config } from '../config.js';
import { BsmError, errorMessage } from '../errors.js';
import { VAULT_KEY_ENV } from './key.js';
import { isValidPattern } from './origin.js';
import { maskEmail } from './sessionVault.js';
import { VaultStore } from './store.js';
import { base32Decode } from './totp.js';
import type { Credential, VaultContents } from './types.js';

/**
 * `browser-session-mcp vault …`: the person manages vaults here, the model never does. Secrets come from stdin
 * only, one per line, so they never sit in argv (visible in `ps`) or in shell history.
 */
export const VAULT_USAGE = `Usage: browser-session-mcp vault <command> [--data-dir DIR] [--vault-key-file FILE]
  keygen                                   print a new random key (base64) for ${VAULT_KEY_ENV}
  create [--name NAME]                     make a vault, print its vault_id
  add <vault_id> --url PATTERN [--username U] [--email E] [--mfa]
                                           save a login; stdin: the password, then (--mfa) the base32 MFA secret
  add-card <vault_id> --holder NAME --expiration MM/YY [--url PATTERN]
                                           save the card; stdin: the card number, then the CVV
  list [<vault_id>]                        the vaults, or one vault's credentials (never the secrets)
  remove <vault_id> [--url PATTERN | --card]
                                           delete a login, the card, or (with neither) the whole vault
PATTERN is an origin or host: https://accounts.example.com, http://127.0.0.1:8080, example.com, *.example.com.`;

class UsageError extends Error {}

export function vaultStore(config: Config): VaultStore {
  return new VaultStore(config.dataDir, { env: process.env[VAULT_KEY_ENV], keyFile: config.vaultKeyFile });
}

async function readStdinLines(count: number, what: string): Promise<string[]> {
  if (process.stdin.isTTY) process.stderr.write(`Type ${what}, one per line, then Ctrl-D.\n`);
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  // Lines are kept as typed (a password may start or end with a space); only the line break goes.
  const lines = text.split(/\r?\n/);
  const wanted = lines.slice(0, count);
  if (wanted.length < count || wanted.some((line) => line === '')) throw new UsageError(`stdin must hold ${what}, one per line.`);
  return wanted;
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value === '') throw new UsageError(`${what} is required.`);
  return value;
}

function describeVault(id: string, contents: VaultContents): string[] {
  const lines = [`${id}  ${JSON.stringify(contents.name)}  ${contents.credentials.length} login(s)${contents.card === null ? '' : ', 1 card'}`];
  for (const c of contents.credentials) {
    const who = [c.username === null ? '' : `username ${c.username}`, c.email === null ? '' : `email ${maskEmail(c.email)}`].filter((part) => part !== '').join(', ');
    lines.push(`  ${c.url}  ${who}${who === '' ? '' : ', '}password${c.mfa_secret === null ? '' : ', mfa'}`);
  }
  if (contents.card !== null) lines.push(`  card ${contents.card.card_holder_name} •••• ${contents.card.card_number.replace(/\s/g, '').slice(-4)}  ${contents.card.url ?? 'any https page'}`);
  return lines;
}

async function run(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      'data-dir': { type: 'string' }, 'vault-key-file': { type: 'string' }, name: { type: 'string' }, url: { type: 'string' },
      username: { type: 'string' }, email: { type: 'string' }, mfa: { type: 'boolean' }, holder: { type: 'string' },
      expiration: { type: 'string' }, card: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, vaultId] = positionals;
  if (values.help === true || command === undefined || command === 'help') return VAULT_USAGE;
  if (command === 'keygen') return randomBytes(32).toString('base64');
  const raw: Record<string, string> = {};
  if (values['data-dir'] !== undefined) raw['data-dir'] = values['data-dir'];
  if (values['vault-key-file'] !== undefined) raw['vault-key-file'] = values['vault-key-file'];
  const store = vaultStore(resolveConfig(raw));
  switch (command) {
    case 'create':
      return store.create(values.name ?? 'default');
    case 'list':
      if (vaultId === undefined) return store.ids().flatMap((id) => describeVault(id, store.load(id)).slice(0, 1)).join('\n') || `No vaults in ${store.dir}.`;
      return describeVault(vaultId, store.load(vaultId)).join('\n');
    case 'add': {
      const id = need(vaultId, 'the vault_id');
      const url = need(values.url, '--url');
      if (!isValidPattern(url)) throw new UsageError(`--url ${JSON.stringify(url)} is not an origin or host pattern.`);
      const contents = store.load(id);
      const [password = '', mfa] = await readStdinLines(values.mfa === true ? 2 : 1, values.mfa === true ? 'the password and the MFA secret' : 'the password');
      if (mfa !== undefined && base32Decode(mfa) === undefined) throw new UsageError('the MFA secret is not base32 (the letters and digits an authenticator app shows).');
      const credential: Credential = { url, username: values.username ?? null, email: values.email ?? null, password, mfa_secret: mfa ?? null };
      if (credential.username === null && credential.email === null) throw new UsageError('give --username or --email (or both).');
      store.save(id, { ...contents, credentials: [...contents.credentials.filter((c) => c.url !== url), credential] });
      return `Saved the login for ${url} in vault ${id}.`;
    }
    case 'add-card': {
      const id = need(vaultId, 'the vault_id');
      const contents = store.load(id);
      const [number = '', cvv = ''] = await readStdinLines(2, 'the card number and the CVV');
      const card = { url: values.url ?? null, card_holder_name: need(values.holder, '--holder'), card_number: number, card_cvv: cvv, card_full_expiration: need(values.expiration, '--expiration') };
      store.save(id, { ...contents, card });
      return `Saved the card in vault ${id}.`;
    }
    case 'remove': {
      const id = need(vaultId, 'the vault_id');
      if (values.url === undefined && values.card !== true) {
        store.remove(id);
        return `Removed vault ${id}.`;
      }
      const contents = store.load(id);
      const credentials = contents.credentials.filter((c) => c.url !== values.url);
      if (values.url !== undefined && credentials.length === contents.credentials.length) throw new UsageError(`vault ${id} has no login for ${values.url}.`);
      store.save(id, { ...contents, credentials, card: values.card === true ? null : contents.card });
      return `Removed ${values.card === true ? 'the card' : `the login for ${values.url}`} from vault ${id}.`;
    }
    default:
      throw new UsageError(`unknown vault command ${JSON.stringify(command)}.`);
  }
}

/** Runs one vault command: its answer on stdout, a failure as one line on stderr and a non-zero exit. */
export async function runVaultCli(argv: string[]): Promise<void> {
  try {
    process.stdout.write(`${await run(argv)}\n`);
  } catch (error: unknown) {
    if (error instanceof BsmError) {
      process.stderr.write(`browser-session-mcp vault: ${error.code}: ${error.message} ${error.hint}\n`);
      process.exitCode = 1;
      return;
    }
    const secretFlag = /'--(password|mfa-secret|card-number|cvv|card_number|card_cvv|mfa_secret)'/.test(errorMessage(error));
    const why = secretFlag ? 'secrets are read from stdin, never from the command line' : errorMessage(error);
    process.stderr.write(`browser-session-mcp vault: ${why}\n\n${VAULT_USAGE}\n`);
    process.exitCode = 2;
  }
}
