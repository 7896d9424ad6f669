import { z } from 'zod';
import { ExecutionResultSchema, ResolvedActionSchema, StepChangesSchema } from './actions.js';
import type { ExecutionResult, ResolvedAction, StepChanges } from './actions.js';
import { TOOL } from './toolNames.js';

/**
 * What the `step` tool answers with: the Notte ExecutionResult and its changes, minus what a model reads on every
 * action without learning anything (timestamps, null fields, the selector of an element it named by id, the tab
 * counts of a one-tab session). Field names stay Notte's; the REST API still sends the full ExecutionResult.
 */
export const StepAnswerSchema = ExecutionResultSchema.extend({
  action: ResolvedActionSchema.extend({
    selector: ResolvedActionSchema.shape.selector.describe('Selector of the element acted on; present when the action named it by selector, not by id.'),
  }),
  // eslint-disable-next-line no-restricted-syntax -- the scrape and evaluate_js actions, not the tool
  data: ExecutionResultSchema.shape.data.unwrap().optional().describe('Data from scrape or evaluate_js; absent otherwise.'),
  exception: z.string().optional().describe('Underlying error text when the action failed; absent otherwise.'),
  started_at: z.string().optional().describe('ISO timestamp; sent by the REST API only.'),
  ended_at: z.string().optional().describe('ISO timestamp; sent by the REST API only.'),
  changes: StepChangesSchema.extend({
    active_tab: z.int().optional().describe('Index of the active tab after the action; absent when the session has one tab, tab 0.'),
    tab_count: z.int().optional().describe('Number of open tabs after the action; absent when it is 1.'),
  })
    .optional()
    .describe(`What the action did to the page; absent when the backend does not report it (Notte's cloud): ${TOOL.observe} to see the page.`),
});
export type StepAnswer = z.output<typeof StepAnswerSchema>;

export function stepAnswer(result: ExecutionResult, changes: StepChanges | undefined, byId: boolean): StepAnswer {
  const { data, exception, action, success, message } = result;
  const answer: StepAnswer = {
    action: byId ? withoutSelector(action) : action,
    success,
    message,
    ...(data === null ? {} : { data }),
    ...(exception === null ? {} : { exception }),
  };
  if (changes === undefined) return answer;
  const changed: NonNullable<StepAnswer['changes']> = { ...changes };
  if (changes.tab_count === 1 && changes.active_tab === 0) {
    delete changed.active_tab;
    delete changed.tab_count;
  }
  return { ...answer, changes: changed };
}

function withoutSelector(action: ResolvedAction): ResolvedAction {
  // A selector string is kept: it is what was given when the element was never found.
  if (typeof action.selector === 'string' || action.selector === undefined) return action;
  const lean = { ...action };
  delete lean.selector;
  return lean;
}
