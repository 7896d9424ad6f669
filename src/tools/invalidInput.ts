import type { z } from 'zod';
import { BsmError, excerpt } from '../errors.js';

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  /** The arguments as sent, to quote (a short excerpt of) the bad value. */
  input: unknown;
  /** The description of a field, to say what a missing field is for. */
  doc?: (path: readonly PropertyKey[]) => string | undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let here: unknown = input;
  for (const key of path) {
    if (typeof here !== 'object' || here === null) return undefined;
    here = (here as Record<PropertyKey, unknown>)[key]; // walking the caller's JSON: any key may be absent
  }
  return here;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function fieldName(path: readonly PropertyKey[]): string {
  return path.length === 0 ? 'the arguments' : path.map((key) => excerpt(String(key), 40)).join('.');
}

function sizeOf(value: unknown): number | undefined {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return undefined;
}

/** zod's own messages open with these; anything else was written by us in the schema (and never quotes the value). */
const ZOD_DEFAULT_MESSAGE = /^(Too (big|small)|Invalid|Unrecognized|Expected)/;

function issueText(issue: Issue, context: IssueContext): string {
  const field = fieldName(issue.path);
  if ((issue.code === 'too_big' || issue.code === 'too_small' || issue.code === 'invalid_format') && !ZOD_DEFAULT_MESSAGE.test(issue.message)) {
    const own = excerpt(issue.message, 200);
    return own.includes(String(issue.path.at(-1) ?? '')) ? own : `${field}: ${own}`;
  }
  const got = valueAt(context.input, issue.path);
  const shown = typeof got === 'string' ? JSON.stringify(excerpt(got)) : excerpt(got);
  const gotText = got === undefined ? '' : `, got ${kindOf(got)}${typeof got === 'object' && got !== null ? '' : ` ${shown}`}`;
  switch (issue.code) {
    case 'invalid_type': {
      if (got === undefined) {
        const doc = context.doc?.(issue.path);
        return `${field} is required${doc === undefined ? '' : ` (${doc.replace(/\.$/, '')})`}`;
      }
      return `${field} must be ${issue.expected === 'array' || issue.expected === 'object' ? 'an' : 'a'} ${issue.expected}${gotText}`;
    }
    case 'too_big': {
      const size = sizeOf(got);
      if (issue.origin === 'string') return `${field} is too long (${size ?? '?'} characters, at most ${issue.maximum})`;
      if (issue.origin === 'array') return `${field} has too many items (${size ?? '?'}, at most ${issue.maximum})`;
      return `${field} must be at most ${issue.maximum}${gotText}`;
    }
    case 'too_small': {
      if (issue.origin === 'string') return issue.minimum === 1 ? `${field} must not be empty` : `${field} is too short (at least ${issue.minimum} characters)`;
      if (issue.origin === 'array') return `${field} needs at least ${issue.minimum} item(s)`;
      return `${field} must be at least ${issue.minimum}${gotText}`;
    }
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}${gotText}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.slice(0, 5).map((key) => JSON.stringify(excerpt(key, 40))).join(', ')}${issue.path.length === 0 ? '' : ` in ${field}`}`;
    case 'invalid_union':
      return `${field} matches none of its accepted forms${gotText}`;
    case 'invalid_format':
      return `${field} must be a valid ${issue.format}${gotText}`;
    default:
      // Custom issues carry our own messages (refinements), which never quote the value.
      return `${field}: ${excerpt(issue.message, 200)}`;
  }
}

const MAX_ISSUES = 3;

/** The issues of a failed parse as one sentence: each names its field and what is wrong, quoting at most an excerpt. */
export function issuesText(issues: readonly Issue[], context: IssueContext): string {
  const parts = issues.slice(0, MAX_ISSUES).map((issue) => issueText(issue, context));
  const more = issues.length > MAX_ISSUES ? ` (and ${issues.length - MAX_ISSUES} more)` : '';
  return `${parts.join('; ')}${more}`;
}

/** A tool's arguments that fail its schema: E_INVALID_INPUT, naming the tool, the fields and the fix. */
export function invalidInput(what: string, issues: readonly Issue[], context: IssueContext, fix: string): BsmError {
  return new BsmError('E_INVALID_INPUT', `${what}: ${issuesText(issues, context)}.`, fix);
}
