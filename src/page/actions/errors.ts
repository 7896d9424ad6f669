import { errors } from 'playwright-core';

/** The first line of an error: Playwright appends a multi-line call log that only adds noise for the agent. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() ?? text;
}

export function isTimeout(error: unknown): boolean {
  return error instanceof errors.TimeoutError;
}

/** Navigation tore down the document an evaluate ran in. */
export function isContextGone(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /Execution context was destroyed|Target (page, context or browser )?(has been )?closed|frame was detached|navigat/i.test(text);
}
