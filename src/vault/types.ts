import { z } from 'zod';

/** One saved login, as Notte's vault holds it: per URL, a username or an email, a password, an optional MFA secret. */
export const Credential = z.strictObject({
  url: z.string().min(1),
  username: z.string().nullable(),
  email: z.string().nullable(),
  password: z.string().min(1),
  /** Base32 TOTP secret (RFC 6238), as authenticator apps take it. */
  mfa_secret: z.string().nullable(),
});
export type Credential = z.infer<typeof Credential>;

/** Notte's card fields, named as the API names them, plus the origin pattern it may go to (null: any https page). */
export const Card = z.strictObject({
  url: z.string().nullable(),
  card_holder_name: z.string().min(1),
  card_number: z.string().min(1),
  card_cvv: z.string().min(1),
  card_full_expiration: z.string().min(1),
});
export type Card = z.infer<typeof Card>;

/** What the encrypted part of a vault file holds. */
export const VaultContents = z.strictObject({
  name: z.string(),
  credentials: z.array(Credential),
  card: Card.nullable(),
});
export type VaultContents = z.infer<typeof VaultContents>;

/** A vault file on disk: only the id and the cipher parameters are in the clear. */
export const VaultFile = z.strictObject({
  format: z.literal('browser-session-mcp-vault/1'),
  vault_id: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
export type VaultFile = z.infer<typeof VaultFile>;
