import type { z } from 'zod';
import { BsmError, excerpt } from '../errors.js';

/** A Notte-shaped error answer: FastAPI's `{detail}` for validation, `{message, code, hint}` otherwise. */
export interface RestError {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * HTTP status per error code, as Notte's API answers: 404 unknown resource, 422 validation, 529 cluster full
 * (the SDK waits and retries a start on it), 429 for a key at its own limit.
 */
const STATUS: Record<string, number> = {
  E_SESSION_NOT_FOUND: 404,
  E_SESSION_NOT_ACTIVE: 409,
  E_INVALID_INPUT: 422,
  E_NOT_SUPPORTED: 422,
  E_URL_REFUSED: 422,
  E_ACTION_DISABLED: 403,
  E_BAD_CURSOR: 422,
  E_SELECTOR_NOT_FOUND: 422,
  E_BROWSER_LAUNCH: 503,
  E_SHUTTING_DOWN: 503,
  E_VAULT_NOT_FOUND: 404,
  E_VAULT_REFUSED: 403,
  E_VAULT_KEY: 503,
  E_VAULT_UNREADABLE: 503,
};

export function restErrorOf(error: unknown): RestError {
  if (error instanceof BsmError) {
    let status = STATUS[error.code] ?? (error.code === 'E_INTERNAL' ? 500 : 400);
    if (error.code === 'E_SESSION_LIMIT') status = /server/.test(error.message) ? 529 : 429;
    const message = error.hint === '' ? error.message : `${error.message} ${error.hint}`;
    return { status, body: { message, code: error.code } };
  }
  return { status: 500, body: { message: 'Internal server error.', code: 'E_INTERNAL' } };
}

/** Errors about the session, not the action: the action never ran, so they are no execution errors. */
const NOT_EXECUTION = new Set(['E_SESSION_NOT_FOUND', 'E_SESSION_NOT_ACTIVE', 'E_SHUTTING_DOWN', 'E_SESSION_LIMIT']);

/**
 * An execute's error. Notte marks only an action that failed while executing on the page with x-error-class
 * (the SDK raises NotteAPIExecutionError for it); an unknown or ended session is a plain 404/409.
 */
export function executionErrorOf(error: unknown): RestError {
  const answer = restErrorOf(error);
  if (error instanceof BsmError && NOT_EXECUTION.has(error.code)) return answer;
  return { ...answer, headers: { 'x-error-class': 'NotteApiExecutionError' } };
}

/** FastAPI echoes the bad input; a short excerpt of it here, and plain numbers, booleans and null as they are. */
function inputOf(value: unknown): unknown {
  return typeof value === 'string' || (typeof value === 'object' && value !== null) ? excerpt(value) : value;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key]; // a plain JSON value, walked by the issue's own path
  }
  return current;
}

/** zod issues as FastAPI's 422 body: one `{loc, msg, type, input}` per problem, `extra_forbidden` per unknown key. */
export function validationError(issues: readonly z.core.$ZodIssue[], input: unknown): RestError {
  const detail: Record<string, unknown>[] = [];
  for (const issue of issues) {
    const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) detail.push({ loc: ['body', ...path, key], msg: 'Extra inputs are not permitted', type: 'extra_forbidden', input: inputOf(valueAt(input, [...issue.path, key])) });
      continue;
    }
    detail.push({ loc: ['body', ...path], msg: issue.message, type: issue.code, input: inputOf(valueAt(input, issue.path)) });
  }
  return { status: 422, body: { detail } };
}
