/** Stable codes an agent (or a test) can rely on; the message says what happened, the hint what to do next. */
export type ErrorCode =
  | 'E_SESSION_NOT_FOUND'
  | 'E_SESSION_NOT_ACTIVE'
  | 'E_SESSION_LIMIT'
  | 'E_NOT_SUPPORTED'
  | 'E_INVALID_INPUT'
  | 'E_BROWSER_LAUNCH'
  | 'E_URL_REFUSED'
  | 'E_SHUTTING_DOWN'
  | 'E_START_TIMEOUT'
  | 'E_PAGE_UNRESPONSIVE'
  | 'E_BACKEND_AUTH'
  | 'E_BACKEND_UNAVAILABLE'
  | 'E_CDP_UNREACHABLE'
  | 'E_CDP_NOT_CDP'
  | 'E_SELECTOR_NOT_FOUND'
  | 'E_NAVIGATION_FAILED'
  | 'E_BAD_CURSOR'
  | 'E_PAGE_CHANGED'
  | 'E_NO_TAB'
  | 'E_TIMEOUT'
  | 'E_ACTION_DISABLED'
  | 'E_VAULT_KEY'
  | 'E_VAULT_NOT_FOUND'
  | 'E_VAULT_UNREADABLE'
  | 'E_VAULT_REFUSED'
  | 'E_PROFILE_LOCKED'
  | 'E_PROFILE_CORRUPT'
  | 'E_PROFILE_NOT_FOUND'
  | 'E_NO_STORAGE'
  | 'E_FILE_NOT_FOUND'
  | 'E_FILE_TOO_LARGE'
  | 'E_REPLAY_NOT_READY'
  | 'E_TAKEN_OVER'
  | 'E_INTERNAL';

export class BsmError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, hint = '', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BsmError';
    this.code = code;
    this.hint = hint;
  }

  /** The one line an agent reads. */
  toText(): string {
    return this.hint === '' ? `${this.code}: ${this.message}` : `${this.code}: ${this.message} ${this.hint}`;
  }
}

/** The first line of an error: Playwright appends a multi-line call log that only adds noise for the agent. */
export function errorText(error: unknown): string {
  const text = errorMessage(error);
  return text.split('\n')[0]?.trim() ?? text;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Longest excerpt of a caller's value an error may quote: a 5 MB bad value must not come back whole. */
export const EXCERPT_CHARS = 80;

/** A short, single-line excerpt of a value for an error message: at most EXCERPT_CHARS characters and "…". */
export function excerpt(value: unknown, max = EXCERPT_CHARS): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  // Only the head is looked at, so a huge value costs no more than a small one.
  const head = text.slice(0, max * 4).replace(/\s+/g, ' ');
  return head.length > max || text.length > max * 4 ? `${head.slice(0, max)}…` : head;
}
