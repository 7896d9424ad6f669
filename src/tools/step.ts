import { z } from 'zod';
import { ActionSchema, BROWSER_ACTION_TYPES, DEFAULT_ACTION_TIMEOUT_MS, INTERACTION_ACTION_TYPES, parseAction } from '../notte/actions.js';
import type { Action } from '../notte/actions.js';
import { MAX_ITEMS, MAX_NAME, MAX_PAYLOAD, MAX_TEXT, MAX_URL, UNADVERTISED } from '../notte/limits.js';
import { sessionIdArg } from '../notte/session.js';
import { StepAnswerSchema, stepAnswer } from '../notte/stepAnswer.js';
import { TOOL } from '../notte/toolNames.js';
import { defineTool } from './defineTool.js';
import type { ToolDefinition } from './defineTool.js';
import { invalidInput } from './invalidInput.js';

const str = (max: number): z.ZodString => z.string().max(max);
const ignored = 'Ignored.';
// eslint-disable-next-line no-restricted-syntax -- the scrape action's own fields, not the tool
const scrapeTool = `scrape: unused (see the ${TOOL.scrape} tool).`;
const unavailable = 'email_read/sms_read: unavailable.';

/**
 * The action's fields sit beside session_id, flat, as the Notte execute body is the action itself. A flat object
 * lists each field once for the model (a 27-way union would cost far more tokens in every tool listing); which
 * fields an action takes is checked after parsing, against that action's own schema in the Notte union.
 * Defaults that only some actions have are advertised (meta) but not applied here: the action's schema applies them.
 */
export const StepInput = z.strictObject({
  session_id: sessionIdArg,
  type: z.enum([...INTERACTION_ACTION_TYPES, ...BROWSER_ACTION_TYPES]).describe('The action; each field says which actions use it.'),
  id: str(MAX_NAME).optional().describe(`From the latest ${TOOL.observe}, e.g. "B3".`),
  selector: z.union([str(MAX_TEXT), z.record(z.string(), z.unknown())]).optional().describe('Instead of id: css=…, xpath=…, text=….'),
  value: z
    .union([str(MAX_PAYLOAD), z.boolean(), z.record(z.string(), str(MAX_TEXT).nullable())])
    .optional()
    .describe('fill*: text; select_dropdown_option: option; check: true/false; form_fill: {"email": …}.'),
  url: str(MAX_URL).optional().describe('goto, goto_new_tab: http(s) URL.'),
  tab_index: z.int().min(-1).optional().describe('switch_tab: index, -1 = last.'),
  time_ms: z.int().min(0).max(30_000).optional().describe('wait: milliseconds.'),
  key: str(MAX_NAME).optional().describe('press_key: e.g. Enter, Control+A.'),
  amount: z.int().nullable().optional().describe('scroll_*: pixels (default 70% of viewport).'),
  clear_before_fill: z.boolean().optional().meta({ default: true }).describe('fill*: clear the field first.'),
  press_enter: z.boolean().optional().describe('Press Enter after.'),
  timeout: z.int().min(0).max(120_000).optional().meta({ default: DEFAULT_ACTION_TIMEOUT_MS }).describe('Element actions: ms to find and act.'),
  file_path: str(MAX_TEXT).optional().describe('upload_file: server path in an upload root.'),
  code: str(MAX_PAYLOAD).optional().describe('evaluate_js: expression or function body.'),
  success: z.boolean().optional().describe('completion: whether the task succeeded.'),
  answer: str(MAX_PAYLOAD).optional().describe('completion: the final answer.'),
  reason: str(MAX_TEXT).optional().describe('help: why.'),
  captcha_type: str(MAX_NAME).optional().meta(UNADVERTISED).describe('captcha_solve: unavailable.'),
  instructions: str(MAX_TEXT).optional().meta(UNADVERTISED).describe(scrapeTool),
  // The scrape action's options: accepted (Notte's execute takes them), not advertised; the scrape tool has its own.
  only_main_content: z.boolean().optional().meta({ ...UNADVERTISED, default: true }).describe(scrapeTool),
  only_images: z.boolean().optional().meta({ ...UNADVERTISED, default: false }).describe(scrapeTool),
  scrape_links: z.boolean().optional().meta({ ...UNADVERTISED, default: true }).describe(scrapeTool),
  scrape_images: z.boolean().optional().meta({ ...UNADVERTISED, default: false }).describe(scrapeTool),
  ignored_tags: z.array(str(MAX_NAME)).max(MAX_ITEMS).optional().meta(UNADVERTISED).describe(scrapeTool),
  response_format: z.record(z.string(), z.unknown()).optional().meta(UNADVERTISED).describe(scrapeTool),
  limit: z.int().min(1).optional().meta(UNADVERTISED).describe(unavailable),
  timedelta: str(MAX_NAME).optional().meta(UNADVERTISED).describe(unavailable),
  only_unread: z.boolean().optional().meta(UNADVERTISED).describe(unavailable),
  text_label: str(MAX_TEXT).optional().meta(UNADVERTISED).describe(ignored),
  category: str(MAX_NAME).optional().meta(UNADVERTISED).describe(ignored),
  description: str(MAX_TEXT).optional().meta(UNADVERTISED).describe(ignored),
});

const ACTION_SHAPES = new Map(ActionSchema.options.map((option) => [option.shape.type.value, option.shape] as const));

/** The flat arguments as the one Notte action they name, or E_INVALID_INPUT naming the action, the field and the fix. */
export function toAction(flat: Omit<z.output<typeof StepInput>, 'session_id'>): Action {
  const parsed = parseAction(flat);
  if (parsed.success) return parsed.data;
  const shape = ACTION_SHAPES.get(flat.type);
  const fields = Object.keys(shape ?? {}).filter((key) => key !== 'type' && key !== 'category' && key !== 'description');
  const doc = (path: readonly PropertyKey[]): string | undefined => {
    const [key] = path;
    return typeof key === 'string' && shape !== undefined && key in shape ? (shape as Record<string, z.ZodType>)[key]?.description : undefined; // the shape of a union member, indexed by a field name
  };
  const takes = fields.length === 0 ? `${flat.type} takes no other fields` : `${flat.type} takes ${fields.join(', ')}`;
  return invalidInputThrow(`${TOOL.step} type "${flat.type}"`, parsed.error.issues, flat, doc, `Fix it and call ${TOOL.step} again (${takes}).`);
}

function invalidInputThrow(what: string, issues: z.core.$ZodIssue[], input: unknown, doc: (path: readonly PropertyKey[]) => string | undefined, fix: string): never {
  throw invalidInput(what, issues, { input, doc }, fix);
}

const stepDefinition = {
  name: TOOL.step,
  title: 'Act on the page',
  description:
    'Run one action, e.g. {"type":"click","id":"B3"}, {"type":"fill","id":"I1","value":"ada@example.com"}, {"type":"goto","url":"https://…"}. ' +
    `Ids come from the latest ${TOOL.observe}. The answer says what changed, or why it failed; ${TOOL.observe} again to see the new page. ` +
    'With vault_id, fill* and form_fill take {{vault.username|email|password|mfa}}.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  input: StepInput,
  output: StepAnswerSchema,
  async handle({ session_id, ...flat }, ctx) {
    const action = toAction(flat);
    const result = await ctx.sessions.step(session_id, action);
    const byId = 'id' in action && action.id !== '';
    return { text: result.text, structured: stepAnswer(result.result, result.changes, byId) };
  },
} satisfies ToolDefinition<typeof StepInput, z.ZodObject>;

export const step = defineTool(stepDefinition);

/** step on a server started with --no-evaluate: the model is told up front, in the listing, not by a refusal. */
export const stepWithoutEvaluate = defineTool({
  ...stepDefinition,
  description: `${stepDefinition.description} evaluate_js is off on this server.`,
  input: StepInput.extend({ code: str(MAX_PAYLOAD).optional().describe('evaluate_js: off on this server.') }),
});
