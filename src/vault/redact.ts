/**
 * The redactor: every vault secret this process has loaded (and every one-time code it computed) is replaced by
 * its placeholder wherever text leaves the server, in tool results and log lines, even when a page echoed it back.
 * It is process-wide on purpose: a secret one session filled must not come back through another session's
 * scrape either. Values shorter than MIN_CHARS are not matched in free text (a 3-digit CVV would blank out
 * every "123" on every page); the placeholders themselves never carry a secret.
 */
const MIN_CHARS = 4;
/** One-time codes are secrets only while they are valid; older ones are dropped so the list stays short. */
const MAX_CODES = 64;

const secrets = new Map<string, string>();
const codes: string[] = [];
let pattern: RegExp | undefined;

/** The ways a page, a URL or a log line may spell the same value. */
function spellings(secret: string): string[] {
  const html = secret.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%20/g, '+'),
    html,
    html.replace(/'/g, '&#39;'),
    html.replace(/'/g, '&#x27;'),
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
    Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''),
  ];
}

function rebuild(): void {
  const needles = [...secrets.keys()].sort((a, b) => b.length - a.length);
  pattern = needles.length === 0 ? undefined : new RegExp(needles.map((needle) => needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}

/** Remembers a secret (and its other spellings) so it is never written out again; `placeholder` stands in for it. */
export function registerSecret(secret: string, placeholder: string): void {
  if (secret.length < MIN_CHARS) return;
  let added = false;
  for (const spelling of spellings(secret)) {
    if (spelling.length < MIN_CHARS || secrets.has(spelling)) continue;
    secrets.set(spelling, placeholder);
    added = true;
  }
  if (added) rebuild();
}

/** A computed one-time code: redacted like a secret while it is among the latest MAX_CODES. */
export function registerCode(code: string, placeholder: string): void {
  if (secrets.has(code)) return;
  codes.push(code);
  secrets.set(code, placeholder);
  const old = codes.length > MAX_CODES ? codes.shift() : undefined;
  if (old !== undefined) secrets.delete(old);
  rebuild();
}

export function redactText(text: string): string {
  if (pattern === undefined) return text;
  return text.replace(pattern, (found) => secrets.get(found) ?? '{{vault.secret}}');
}

/** Redacts every string inside a JSON-like value; objects and arrays are copied, never changed in place. */
export function redactDeep(value: unknown): unknown {
  if (pattern === undefined) return value;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item)]));
  return value;
}

interface ResultLike {
  content: { type: string }[];
  structuredContent?: Record<string, unknown> | undefined;
}

/** A tool result with its text parts and structured content redacted; images pass as they are. */
export function redactResult<R extends ResultLike>(result: R): R {
  if (pattern === undefined) return result;
  const content = result.content.map((part) => ('text' in part && typeof part.text === 'string' ? { ...part, text: redactText(part.text) } : part));
  const structured = result.structuredContent === undefined ? {} : { structuredContent: Object.fromEntries(Object.entries(result.structuredContent).map(([key, item]) => [key, redactDeep(item)])) };
  return { ...result, content, ...structured };
}
