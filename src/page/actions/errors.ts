export { errorText } from '../../errors.js';

/** By name, not instanceof: a value import of playwright-core here would load it at server start-up. */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** Navigation tore down the document an evaluate ran in. */
export function isContextGone(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /Execution context was destroyed|Target (page, context or browser )?(has been )?closed|frame was detached|navigat/i.test(text);
}
