import { z } from 'zod';
import { BROWSER_ACTION_TYPES, CAPTCHA_TYPES, ExecutionResultSchema, INTERACTION_ACTION_TYPES, StepChangesSchema, parseAction } from '../notte/actions.js';
import { sessionIdArg } from '../notte/session.js';
import { defineTool } from './defineTool.js';

/**
 * The action's fields sit beside session_id, flat, as the Notte execute body is the action itself. A flat object
 * lists each field once for the model (a 27-way union would cost far more tokens in every tool listing); the
 * transform then validates the action against its own schema in the Notte union.
 */
const StepInput = z
  .strictObject({
    session_id: sessionIdArg,
    type: z.enum([...INTERACTION_ACTION_TYPES, ...BROWSER_ACTION_TYPES]).describe(
      'The action. On an element (needs id or selector): click, fill, multi_factor_fill, fallback_fill, check, select_dropdown_option, upload_file, download_file. ' +
        'Browser: goto, goto_new_tab, switch_tab, close_tab, go_back, go_forward, reload, wait, press_key, scroll_up, scroll_down, form_fill, evaluate_js, scrape, completion, help.',
    ),
    id: z.string().optional().describe('Element id from the latest observe, e.g. "B3".'),
    selector: z.union([z.string(), z.record(z.string(), z.unknown())]).optional().describe('Instead of id: css=…, xpath=…, text=…, ~text or any Playwright selector.'),
    value: z
      .union([z.string(), z.boolean(), z.record(z.string(), z.string().nullable())])
      .optional()
      .describe('fill*: the text. select_dropdown_option: option text or value. check: true or false. form_fill: {"email": …, "first_name": …}.'),
    url: z.string().optional().describe('goto, goto_new_tab: absolute http(s) URL.'),
    tab_index: z.number().int().optional().describe('switch_tab: 0-based tab index (metadata.tabs), -1 for the last.'),
    time_ms: z.number().int().optional().describe('wait: milliseconds, 0-30000.'),
    key: z.string().optional().describe('press_key: e.g. Enter, Escape, ArrowDown, Control+A.'),
    amount: z.number().int().nullable().optional().describe('scroll_up/scroll_down: pixels; omit for 70% of the viewport.'),
    clear_before_fill: z.boolean().optional().describe('fill*: clear the field first (default true).'),
    press_enter: z.boolean().optional().describe('Press Enter after the action.'),
    timeout: z.number().int().optional().describe('Element actions: ms to find and act (default 15000).'),
    file_path: z.string().optional().describe('upload_file: path of a file on the server, inside an upload root.'),
    code: z.string().optional().describe('evaluate_js: an expression or IIFE; the result comes back as text.'),
    success: z.boolean().optional().describe('completion: whether the task succeeded.'),
    answer: z.string().optional().describe('completion: the final answer.'),
    reason: z.string().optional().describe('help: why help is needed.'),
    captcha_type: z.enum(CAPTCHA_TYPES).optional().describe('captcha_solve: the kind of captcha.'),
    instructions: z.string().optional().describe('scrape: what to extract.'),
    only_main_content: z.boolean().optional().describe('scrape: main content only (default true here).'),
    only_images: z.boolean().optional().describe('scrape: list images instead.'),
    scrape_links: z.boolean().optional().describe('scrape: keep links (default true).'),
    scrape_images: z.boolean().optional().describe('scrape: keep images (default false).'),
    ignored_tags: z.array(z.string()).optional().describe('scrape: tags to drop.'),
    response_format: z.record(z.string(), z.unknown()).optional().describe('scrape: JSON schema (structured output: use the scrape tool).'),
    limit: z.number().int().optional().describe('email_read/sms_read: not available locally.'),
    timedelta: z.string().optional().describe('email_read/sms_read: not available locally.'),
    only_unread: z.boolean().optional().describe('email_read/sms_read: not available locally.'),
    text_label: z.string().optional().describe('Informational label of the element; ignored.'),
    category: z.string().optional().describe('Accepted from observe output; ignored.'),
    description: z.string().optional().describe('Accepted from observe output; ignored.'),
  })
  .transform((input, ctx) => {
    const { session_id, ...action } = input;
    const parsed = parseAction(action);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${input.type}: ${issue.message}`, path: issue.path });
      return z.NEVER;
    }
    return { session_id, action: parsed.data };
  });

export const step = defineTool({
  name: 'step',
  title: 'Act on the page',
  description:
    'Execute one action in a session (POST /sessions/{id}/page/execute): the Notte action fields sit beside session_id, ' +
    'e.g. {"type":"click","id":"B3"}, {"type":"fill","id":"I1","value":"ada@example.com"}, {"type":"goto","url":"https://…"}, ' +
    '{"type":"select_dropdown_option","id":"I2","value":"France"}, {"type":"check","id":"B4","value":true}, {"type":"press_key","key":"Enter"}. ' +
    'Ids come from the latest observe. A failed action answers success=false with what to do next. ' +
    'The result says what changed (URL, title, new tab, dialog, download); observe again to see the new page.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  input: StepInput,
  output: ExecutionResultSchema.extend({ changes: StepChangesSchema }),
  async handle({ session_id, action }, ctx) {
    const result = await ctx.sessions.step(session_id, action);
    return { text: result.text, structured: { ...result.result, changes: result.changes } };
  },
});
