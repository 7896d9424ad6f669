import { BsmError } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';
import type { SecretResolution, SecretSource } from '../page/secrets.js';
import { originMatches } from './origin.js';
import { PLACEHOLDER_FIELDS, hasPlaceholder, isPlaceholderField, placeholder, placeholdersIn, substitute } from './placeholders.js';
import type { PlaceholderField } from './placeholders.js';
import { registerCode, registerSecret } from './redact.js';
import { base32Decode, totp } from './totp.js';
import type { Card, Credential, VaultContents } from './types.js';

/** What the model may know of a credential: where it applies and which placeholders it fills, never a value. */
export interface CredentialListing {
  url: string;
  username?: string;
  email?: string;
  placeholders: string[];
}

/**
 * Notte's own placeholders (notte_core/credentials/base.py): a fill whose whole value is one of them takes the vault
 * value, as on Notte, so agents written for Notte work unchanged.
 */
const NOTTE_PLACEHOLDERS = new Map<string, PlaceholderField>([
  ['user@example.org', 'email'], ['cooljohnny1567', 'username'], ['mycoolpassword', 'password'], ['999779', 'mfa'],
  ['John Doe', 'card_holder_name'], ['4242 4242 4242 4242', 'card_number'], ['[CardCVVPlaceholder]', 'card_cvv'],
  ['[CardExpirationPlaceholder]', 'card_full_expiration'],
]);

const CARD_FIELDS: PlaceholderField[] = ['card_holder_name', 'card_number', 'card_cvv', 'card_full_expiration'];

/** "ada.lovelace@example.org" → "a***@example.org": enough to tell accounts apart. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email.slice(0, 1)}***${email.slice(at)}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url.slice(0, 80);
  }
}

/**
 * A vault attached to one session. Its secrets are registered with the redactor as soon as it is opened, so
 * they are scrubbed from every output from then on, whether or not they were ever filled.
 */
export class SessionVault {
  readonly id: string;
  readonly #contents: VaultContents;

  constructor(id: string, contents: VaultContents) {
    this.id = id;
    this.#contents = contents;
    for (const credential of contents.credentials) {
      registerSecret(credential.password, placeholder('password'));
      // The model sees the email masked only, so the page's own echo of it is masked too.
      if (credential.email !== null) registerSecret(credential.email, placeholder('email'));
      if (credential.mfa_secret !== null) registerSecret(credential.mfa_secret, '{{vault.mfa_secret}}');
    }
    const card = contents.card;
    if (card !== null) {
      registerSecret(card.card_number, placeholder('card_number'));
      registerSecret(card.card_number.replace(/\s/g, ''), placeholder('card_number'));
      registerSecret(card.card_cvv, placeholder('card_cvv'));
    }
  }

  #credentialFor(pageUrl: string): Credential | undefined {
    return this.#contents.credentials.find((credential) => originMatches(credential.url, pageUrl));
  }

  #cardFor(pageUrl: string): Card | undefined {
    const card = this.#contents.card;
    if (card === null) return undefined;
    if (card.url !== null) return originMatches(card.url, pageUrl) ? card : undefined;
    return pageUrl.startsWith('https://') ? card : undefined;
  }

  /** The credentials (and card) that apply on `pageUrl`, as the model may see them. */
  listing(pageUrl: string): CredentialListing[] {
    const out: CredentialListing[] = [];
    const credential = this.#credentialFor(pageUrl);
    if (credential !== undefined) {
      const fields: PlaceholderField[] = ['password'];
      if (credential.username !== null) fields.unshift('username');
      if (credential.email !== null) fields.unshift('email');
      if (credential.mfa_secret !== null) fields.push('mfa');
      out.push({
        url: credential.url,
        ...(credential.username === null ? {} : { username: credential.username }),
        ...(credential.email === null ? {} : { email: maskEmail(credential.email) }),
        placeholders: fields.map(placeholder),
      });
    }
    if (this.#cardFor(pageUrl) !== undefined) out.push({ url: this.#contents.card?.url ?? 'https://*', placeholders: CARD_FIELDS.map(placeholder) });
    return out;
  }

  /** A resolver for one step; it remembers a refusal so the session can answer it as a tool error. */
  forStep(): StepSecrets {
    return new StepSecrets(this);
  }

  /** The value of one placeholder on a page at `pageUrl`, or why it cannot be filled there. */
  valueFor(field: PlaceholderField, pageUrl: string): { ok: true; value: string } | { ok: false; message: string } {
    const origin = originOf(pageUrl);
    if (CARD_FIELDS.includes(field)) {
      const card = this.#cardFor(pageUrl);
      if (card === undefined) return { ok: false, message: `the card in vault ${this.id} does not apply on ${origin}` };
      const value = card[field as 'card_holder_name' | 'card_number' | 'card_cvv' | 'card_full_expiration']; // CARD_FIELDS holds exactly these names
      return { ok: true, value };
    }
    const credential = this.#credentialFor(pageUrl);
    if (credential === undefined) {
      const known = this.#contents.credentials.map((c) => c.url).join(', ') || 'none';
      return { ok: false, message: `no credential in vault ${this.id} applies on ${origin} (saved for: ${known})` };
    }
    if (field === 'mfa') {
      const key = credential.mfa_secret === null ? undefined : base32Decode(credential.mfa_secret);
      if (key === undefined) return { ok: false, message: `the credential for ${credential.url} has no usable MFA secret` };
      const code = totp(key, Date.now());
      registerCode(code, placeholder('mfa'));
      return { ok: true, value: code };
    }
    const value = field === 'password' ? credential.password : field === 'username' ? credential.username : credential.email;
    if (value === null) return { ok: false, message: `the credential for ${credential.url} has no ${field}` };
    return { ok: true, value };
  }
}

export class StepSecrets implements SecretSource {
  readonly #vault: SessionVault;
  #refusal: BsmError | undefined;

  constructor(vault: SessionVault) {
    this.#vault = vault;
  }

  resolve(value: string, frameUrl: string): SecretResolution {
    const notte = NOTTE_PLACEHOLDERS.get(value);
    if (notte !== undefined) return this.resolve(placeholder(notte), frameUrl);
    if (!hasPlaceholder(value)) return { ok: true, value, secret: false };
    const unknown = placeholdersIn(value).filter((name) => !isPlaceholderField(name));
    if (unknown.length > 0) return this.#refuse(`{{vault.${unknown[0] ?? ''}}} is not a vault placeholder (known: ${PLACEHOLDER_FIELDS.join(', ')})`);
    let problem: string | undefined;
    const filled = substitute(value, (field) => {
      const got = this.#vault.valueFor(field, frameUrl);
      if (!got.ok) {
        problem ??= got.message;
        return '';
      }
      return got.value;
    });
    if (problem !== undefined) return this.#refuse(problem);
    // Even a username is reported by length only: the fill message never spells what the vault typed.
    return { ok: true, value: filled, secret: true };
  }

  #refuse(why: string): SecretResolution {
    this.#refusal ??= new BsmError('E_VAULT_REFUSED', `Refused to fill: ${why}.`, `Nothing was typed. ${TOOL.observe} lists the credentials that apply on the current page; fill only those there.`);
    return { ok: false, message: this.#refusal.toText() };
  }

  /** Throws the first refusal of the step, so it reaches the agent as a tool error with its code. */
  throwIfRefused(): void {
    if (this.#refusal !== undefined) throw this.#refusal;
  }
}
