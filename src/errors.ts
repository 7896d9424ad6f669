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
  | 'E_BACKEND_AUTH'
  | 'E_BACKEND_UNAVAILABLE'
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
