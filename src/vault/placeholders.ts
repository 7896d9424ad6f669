/** The placeholders an agent writes instead of a secret; the server swaps in the value at fill time. */
export const PLACEHOLDER_FIELDS = ['username', 'email', 'password', 'mfa', 'card_holder_name', 'card_number', 'card_cvv', 'card_full_expiration'] as const;
export type PlaceholderField = (typeof PLACEHOLDER_FIELDS)[number];

export const placeholder = (field: PlaceholderField): string => `{{vault.${field}}}`;

const ANY = /\{\{\s*vault\.([a-z_]+)\s*\}\}/g;

export function hasPlaceholder(text: string): boolean {
  return /\{\{\s*vault\./.test(text);
}

/** The placeholders `text` names, in order; unknown names come back as they were written, for the error. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(ANY)].map((match) => match[1] ?? '');
}

export function isPlaceholderField(name: string): name is PlaceholderField {
  return (PLACEHOLDER_FIELDS as readonly string[]).includes(name);
}

/** `text` with each placeholder replaced by `lookup(field)`. */
export function substitute(text: string, lookup: (field: PlaceholderField) => string): string {
  return text.replace(ANY, (_whole, name: string) => (isPlaceholderField(name) ? lookup(name) : _whole));
}
