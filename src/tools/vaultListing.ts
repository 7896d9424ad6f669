import { z } from 'zod';
import type { CredentialListing } from '../vault/sessionVault.js';

/** One credential of the session's vault as observe shows it: where it applies, who, and what can be filled. */
export const VaultCredential = z.object({ url: z.string(), username: z.string().optional(), email: z.string().optional(), placeholders: z.array(z.string()) });

/** The line observe adds for a session with a vault: the model learns what to write, never a value. */
export function vaultLine(listing: CredentialListing[]): string {
  if (listing.length === 0) return 'Vault: no credential applies on this page.';
  const items = listing.map((item) => {
    const who = item.username ?? item.email;
    return `${item.url}${who === undefined ? '' : ` (${who})`}: ${item.placeholders.join(' ')}`;
  });
  return `Vault (fill these placeholders; values stay hidden): ${items.join('; ')}`;
}
