import { z } from 'zod';
import { MAX_ITEMS, MAX_TEXT } from './limits.js';
import { DataSpace as ScrapeDataSpace } from './scrape.js';
import { TOOL } from './toolNames.js';

/**
 * The Notte action union (spec §3) and the ExecutionResult a step answers with (spec §2.3).
 * Field names, defaults and ranges follow the Notte API so a Notte client can send the same JSON.
 */

export const DEFAULT_ACTION_TIMEOUT_MS = 15_000;

const ignoredCategory = z.string().nullish().describe(`Accepted for compatibility with ${TOOL.observe} output; ignored.`);
const ignoredDescription = z.string().nullish().describe(`Accepted for compatibility with ${TOOL.observe} output; ignored.`);

// ---------------------------------------------------------------------------------------------------------------
// Selectors

export const NodeSelectorsSchema = z
  .object({
    css_selector: z.string().max(MAX_TEXT).default('').describe('CSS selector of the element inside its frame.'),
    xpath_selector: z.string().max(MAX_TEXT).default('').describe('XPath of the element inside its frame.'),
    notte_selector: z.string().max(MAX_TEXT).default('').describe('Notte-internal selector; kept for compatibility.'),
    playwright_selector: z.string().max(MAX_TEXT).nullish().describe('Any Playwright selector (css=, xpath=, text=, internal:…).'),
    python_selector: z.string().max(MAX_TEXT).nullish().describe('Python snippet that locates the element; informational only.'),
    in_iframe: z.boolean().default(false).describe('True when the element is inside an iframe.'),
    in_shadow_root: z.boolean().default(false).describe('True when the element is inside an open shadow root.'),
    iframe_parent_css_selectors: z
      .array(z.string().max(MAX_TEXT))
      .max(MAX_ITEMS)
      .default([])
      .describe('CSS selectors of the enclosing iframes, from the top document down.'),
  })
  .refine(
    (s) => [s.css_selector, s.xpath_selector, s.notte_selector, s.playwright_selector ?? ''].some((v) => v !== ''),
    { message: 'A selector object needs at least one of css_selector, xpath_selector, playwright_selector or notte_selector.' },
  )
  .describe('Structured selector, as found in an observed action.');
export type NodeSelectors = z.output<typeof NodeSelectorsSchema>;

const selectorField = z
  .union([z.string().min(1), NodeSelectorsSchema])
  .nullish()
  .describe(
    'Element selector, used when no id is given: css=…, xpath=…, text=…, ~text (text match), internal:…, ' +
      'any Playwright selector, or a NodeSelectors object.',
  );

// ---------------------------------------------------------------------------------------------------------------
// Interaction actions: an element by `id` (from the latest observe) or by `selector`.

const idField = z
  .string()
  .default('')
  // Observe renders ids as `B3[:]`; models copy that suffix.
  .overwrite((id) => id.trim().replace(/\[:\]$/, ''))
  .describe(`Id from the latest ${TOOL.observe}, e.g. "B3". Either id or selector is required.`);

const timeoutField = z
  .int()
  .min(0)
  .max(120_000)
  .default(DEFAULT_ACTION_TIMEOUT_MS)
  .overwrite((ms) => (ms === 0 ? DEFAULT_ACTION_TIMEOUT_MS : ms))
  .describe('Time limit in ms for finding and acting on the element (0 = default 15000).');

const interactionBase = {
  id: idField,
  selector: selectorField,
  press_enter: z.boolean().nullish().describe('Press Enter after the action (e.g. to submit a search box).'),
  text_label: z.string().nullish().describe(`Label of the element as shown in ${TOOL.observe}; informational.`),
  timeout: timeoutField,
  category: ignoredCategory,
  description: ignoredDescription,
};

const NEED_TARGET = 'need to provide either an action id or a selector';

function interaction<const T extends string, S extends z.ZodRawShape>(type: T, what: string, shape: S) {
  return z.strictObject({ type: z.literal(type).describe(what), ...interactionBase, ...shape }).describe(what);
}

/** Notte's model validator: an interaction action names its element one way or the other. */
function hasTarget(action: { type: string; id: string; selector?: unknown }): boolean {
  return action.id !== '' || (action.selector !== undefined && action.selector !== null);
}
const needTarget = { message: `Interaction actions ${NEED_TARGET} (e.g. "id": "B3" or "selector": "css=#email").`, path: ['id'] };

const fillFields = {
  value: z.string().describe('Text to enter.'),
  clear_before_fill: z.boolean().default(true).describe('Clear the field before entering the text.'),
};

export const ClickSchema = interaction('click', 'Click an element.', {}).refine(hasTarget, needTarget);
export const FillSchema = interaction('fill', 'Fill a text input, textarea or contenteditable element.', fillFields).refine(hasTarget, needTarget);
export const MultiFactorFillSchema = interaction(
  'multi_factor_fill',
  'Click the field, then type one character at a time (one-time-code boxes).',
  fillFields,
).refine(hasTarget, needTarget);
export const FallbackFillSchema = interaction(
  'fallback_fill',
  'Click the field, then type slowly (100 ms per key); use when fill is ignored by the page.',
  fillFields,
).refine(hasTarget, needTarget);
export const CheckSchema = interaction('check', 'Check or uncheck a checkbox or radio button.', {
  value: z.boolean().describe('true to check, false to uncheck.'),
}).refine(hasTarget, needTarget);
export const SelectDropdownOptionSchema = interaction(
  'select_dropdown_option',
  'Choose an option of a dropdown (<select>: by option text or value; other elements are clicked).',
  { value: z.string().describe('Option text or option value.') },
).refine(hasTarget, needTarget);
export const UploadFileSchema = interaction('upload_file', 'Set a file input to a file on the server.', {
  file_path: z.string().min(1).describe('Path of the file on the server; must be inside an allowed upload root.'),
}).refine(hasTarget, needTarget);
export const DownloadFileSchema = interaction(
  'download_file',
  'Click an element that starts a download and save the file.',
  {},
).refine(hasTarget, needTarget);

// ---------------------------------------------------------------------------------------------------------------
// Browser actions: no element.

function browser<const T extends string, S extends z.ZodRawShape>(type: T, what: string, shape: S) {
  return z
    .strictObject({ type: z.literal(type).describe(what), category: ignoredCategory, description: ignoredDescription, ...shape })
    .describe(what);
}

const urlField = z.string().min(1).describe('Absolute http(s) URL to open.');

export const GotoSchema = browser('goto', 'Open a URL in the current tab.', { url: urlField });
export const GotoNewTabSchema = browser('goto_new_tab', 'Open a URL in a new tab and make it the active tab.', {
  url: urlField,
});
export const SwitchTabSchema = browser('switch_tab', 'Make another open tab the active one.', {
  tab_index: z.int().min(-1).describe('0-based index into metadata.tabs; -1 means the last tab.'),
});
export const CloseTabSchema = browser('close_tab', 'Close the active tab; the previous tab becomes active.', {});
export const GoBackSchema = browser('go_back', 'Go back in the tab history.', {});
export const GoForwardSchema = browser('go_forward', 'Go forward in the tab history.', {});
export const ReloadSchema = browser('reload', 'Reload the current page.', {});
export const WaitSchema = browser('wait', `Wait a fixed time (prefer ${TOOL.observe} to check the page instead).`, {
  time_ms: z.int().min(0).max(30_000).describe('Milliseconds to wait, 0–30000.'),
});
export const PressKeySchema = browser('press_key', 'Press a key on the focused element.', {
  key: z.string().min(1).describe('Playwright key name, e.g. Enter, Tab, Escape, ArrowDown, Control+A.'),
});
const amountField = z
  .int()
  .nullable()
  .default(null)
  .describe('Pixels to scroll; null scrolls 70% of the viewport height.');
export const ScrollUpSchema = browser('scroll_up', 'Scroll the page up. Fails when the page does not move.', {
  amount: amountField,
});
export const ScrollDownSchema = browser('scroll_down', 'Scroll the page down. Fails when the page does not move.', {
  amount: amountField,
});

export const CAPTCHA_TYPES = [
  'recaptcha', 'hcaptcha', 'image', 'text', 'auth0', 'cloudflare', 'datadome', 'arkose labs', 'geetest', 'press&hold', 'unknown',
] as const;
export const CaptchaSolveSchema = browser('captcha_solve', 'Solve a captcha (not available on the local backend).', {
  captcha_type: z.enum(CAPTCHA_TYPES).nullish().describe('Kind of captcha, when known.'),
});

export const FORM_FILL_KEYS = [
  'title', 'first_name', 'middle_name', 'last_name', 'full_name', 'email', 'company',
  'address1', 'address2', 'address3', 'city', 'state', 'postal_code', 'country', 'phone',
  'cc_name', 'cc_number', 'cc_exp_month', 'cc_exp_year', 'cc_exp', 'cc_cvv',
  'username', 'password', 'current_password', 'new_password', 'totp',
] as const;
export type FormFillKey = (typeof FORM_FILL_KEYS)[number];

export const FormFillSchema = browser('form_fill', 'Fill the fields of a form by their meaning (email, name, address…).', {
  value: z
    .partialRecord(z.enum(FORM_FILL_KEYS), z.string().nullable())
    // Notte strips nulls and stores `password` as `current_password`.
    .overwrite((record) => {
      const out: Partial<Record<FormFillKey, string | null>> = {};
      for (const [key, v] of Object.entries(record) as [FormFillKey, string | null | undefined][]) { // Object.entries widens keys; they were validated by the enum above
        if (v === null || v === undefined) continue;
        out[key === 'password' ? 'current_password' : key] = v;
      }
      return out;
    })
    .refine((record) => Object.keys(record).length >= 1, { message: 'form_fill needs at least one non-null value.' })
    .describe(`Values by field meaning; keys: ${FORM_FILL_KEYS.join(', ')}.`),
});
export const CompletionSchema = browser('completion', 'Declare the task finished (no browser effect).', {
  success: z.boolean().describe('Whether the task succeeded.'),
  answer: z.string().describe('Final answer for the user.'),
});
export const HelpSchema = browser('help', 'Ask for help (always reported as success=false).', {
  reason: z.string().describe('Why help is needed.'),
});
export const ScrapeActionSchema = browser('scrape', 'Turn the page (or part of it) into markdown.', {
  instructions: z.string().nullish().describe(`What to extract (structured extraction: use the ${TOOL.scrape} tool).`),
  only_main_content: z.boolean().default(true).describe('Keep only the main content (drop nav, footer, ads).'),
  // eslint-disable-next-line no-restricted-syntax -- the scrape action, not the tool
  selector: z.string().nullish().describe('Playwright selector limiting the scrape to one element.'),
  only_images: z.boolean().default(false).describe('List images instead of content.'),
  scrape_links: z.boolean().default(true).describe('Keep links.'),
  scrape_images: z.boolean().default(false).describe('Keep images.'),
  ignored_tags: z.array(z.string()).nullish().describe('HTML tags to drop.'),
  response_format: z.record(z.string(), z.unknown()).nullish().describe(`JSON schema; ignored here (structured output: use the ${TOOL.scrape} tool).`),
});
export const EvaluateJsSchema = browser('evaluate_js', 'Run JavaScript in the page; the result is returned as text.', {
  code: z.string().min(1).describe('An expression or IIFE; a body with a bare `return` is wrapped in a function.'),
});
const readFields = {
  limit: z.int().min(1).default(10).describe('Maximum messages to read.'),
  timedelta: z.string().nullish().default('PT5M').describe('ISO-8601 duration: only messages newer than this.'),
  only_unread: z.boolean().default(true).describe('Only unread messages.'),
};
export const EmailReadSchema = browser('email_read', 'Read persona emails (not available on the local backend).', readFields);
export const SmsReadSchema = browser('sms_read', 'Read persona SMS (not available on the local backend).', readFields);

// ---------------------------------------------------------------------------------------------------------------
// The union

export const ActionSchema = z
  .discriminatedUnion('type', [
    GotoSchema, GotoNewTabSchema, SwitchTabSchema, CloseTabSchema, GoBackSchema, GoForwardSchema, ReloadSchema,
    WaitSchema, PressKeySchema, ScrollUpSchema, ScrollDownSchema, CaptchaSolveSchema, FormFillSchema,
    CompletionSchema, HelpSchema, ScrapeActionSchema, EvaluateJsSchema, EmailReadSchema, SmsReadSchema,
    ClickSchema, FillSchema, MultiFactorFillSchema, FallbackFillSchema, CheckSchema, SelectDropdownOptionSchema,
    UploadFileSchema, DownloadFileSchema,
  ])
  .describe('One browser action; `type` selects which, the other fields are its parameters.');

export type Action = z.output<typeof ActionSchema>;
export type ActionInput = z.input<typeof ActionSchema>;
export type ActionType = Action['type'];
export type ActionOf<T extends ActionType> = Extract<Action, { type: T }>;

export const INTERACTION_ACTION_TYPES = [
  'click', 'fill', 'multi_factor_fill', 'fallback_fill', 'check', 'select_dropdown_option', 'upload_file', 'download_file',
] as const satisfies readonly ActionType[];
export const BROWSER_ACTION_TYPES = [
  'goto', 'goto_new_tab', 'switch_tab', 'close_tab', 'go_back', 'go_forward', 'reload', 'wait', 'press_key',
  'scroll_up', 'scroll_down', 'captcha_solve', 'form_fill', 'completion', 'help', 'scrape', 'evaluate_js',
  'email_read', 'sms_read',
] as const satisfies readonly ActionType[];
export const ACTION_TYPES: readonly ActionType[] = [...BROWSER_ACTION_TYPES, ...INTERACTION_ACTION_TYPES];

export type InteractionAction = ActionOf<(typeof INTERACTION_ACTION_TYPES)[number]>;

export function isInteractionAction(action: Action): action is InteractionAction {
  return (INTERACTION_ACTION_TYPES as readonly string[]).includes(action.type);
}

/** The parameter a legacy `value` stands for, per action type (Notte `actions/typedicts.py`). */
const LEGACY_VALUE_FIELD: Partial<Record<ActionType, string>> = {
  goto: 'url', goto_new_tab: 'url', switch_tab: 'tab_index', wait: 'time_ms', press_key: 'key',
  scroll_up: 'amount', scroll_down: 'amount', evaluate_js: 'code', upload_file: 'file_path', help: 'reason',
  completion: 'answer',
};
const NUMERIC_LEGACY = new Set(['tab_index', 'time_ms', 'amount']);

/**
 * Rewrites a legacy `{type, value}` action to its real parameter (`goto` + `value` → `url`).
 * Kept outside ActionSchema so the schema stays a plain JSON-Schema-representable union for MCP tool listings.
 */
export function remapLegacyValue(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const record: Record<string, unknown> = { ...input };
  const type = record['type'];
  if (typeof type !== 'string' || !('value' in record)) return input;
  const field = LEGACY_VALUE_FIELD[type as ActionType]; // an unknown type finds no field and is left for the schema to reject
  if (field === undefined || field in record) return input;
  let value = record['value'];
  if (NUMERIC_LEGACY.has(field) && typeof value === 'string' && /^-?\d+$/.test(value.trim())) value = Number(value);
  delete record['value'];
  record[field] = value;
  return record;
}

/** Parses an action as the Notte API accepts it, legacy `value` included. */
export function parseAction(input: unknown): z.ZodSafeParseResult<Action> {
  return ActionSchema.safeParse(remapLegacyValue(input));
}

// ---------------------------------------------------------------------------------------------------------------
// Output

// One DataSpace shape for scrape and step (defined with the scrape endpoint).
export const DataSpaceSchema = ScrapeDataSpace;
export type DataSpace = z.output<typeof DataSpaceSchema>;

// Step results are read by the model on every action: fields that would only say "nothing happened" (empty lists,
// null, false, 0) are left out, so what is present is what changed.
export const StepChangesSchema = z
  .object({
    url: z.string().describe('URL of the active tab after the action.'),
    previous_url: z.string().optional().describe('URL before the action; present only when it changed.'),
    title: z.string().describe('Title of the active tab after the action.'),
    navigated: z.literal(true).optional().describe('Present (true) only when the active tab loaded a new document.'),
    active_tab: z.int().describe('Index of the active tab after the action.'),
    tab_count: z.int().describe('Number of open tabs after the action.'),
    new_tabs: z
      .array(z.object({ tab_index: z.int(), url: z.string() }))
      .optional()
      .describe('Tabs opened by the action, the last one adopted as the active tab; absent when none opened.'),
    dialogs: z
      .array(
        z.object({
          type: z.string().describe('alert, confirm, prompt or beforeunload.'),
          message: z.string(),
          handled: z.string().describe('How the dialog was answered, e.g. "accepted" or "answered \\"x\\"".'),
        }),
      )
      .optional()
      .describe('JavaScript dialogs shown during the action (all answered so the session never blocks); absent when none.'),
    downloads: z
      .array(
        z.object({
          path: z.string().nullable().describe('Where the file was saved on the server; null when saving failed.'),
          suggested_filename: z.string(),
          url: z.string(),
          error: z.string().nullish(),
        }),
      )
      .optional()
      .describe('Files downloaded during the action; absent when none.'),
    elements: z
      .object({
        added: z.int().optional().describe('Elements added to the page; absent when 0.'),
        removed: z.int().optional().describe('Elements removed from the page; absent when 0.'),
        appeared: z.array(z.string()).optional().describe('A few of the added elements, as short text; absent when none had text.'),
      })
      .optional()
      .describe('DOM changes in the active tab; absent when none, and when it navigated (the counts died with the old document).'),
    waited: z
      .object({
        navigation: z.int().optional(),
        network: z.int().optional(),
        dom: z.int().optional(),
        popup: z.int().optional(),
      })
      .optional()
      .describe('Milliseconds spent waiting for what the action caused, per signal; zero waits and an empty object are left out.'),
  })
  .describe('What the action changed; fields that would be empty, null, false or 0 are left out.');
export type StepChanges = z.output<typeof StepChangesSchema>;

/** A NodeSelectors object as a step reports it: default fields ("", null, false, []) are left out. */
export const ResolvedSelectorsSchema = z
  .object({
    css_selector: z.string().optional().describe('CSS selector of the element inside its frame.'),
    xpath_selector: z.string().optional().describe('XPath of the element inside its frame.'),
    notte_selector: z.string().optional().describe('Notte-internal selector.'),
    playwright_selector: z.string().optional().describe('Playwright selector; present when it differs from css_selector.'),
    python_selector: z.string().optional().describe('Python snippet that locates the element.'),
    in_iframe: z.literal(true).optional().describe('Present (true) when the element is inside an iframe.'),
    in_shadow_root: z.literal(true).optional().describe('Present (true) when the element is inside an open shadow root.'),
    iframe_parent_css_selectors: z.array(z.string()).optional().describe('CSS selectors of the enclosing iframes, top down.'),
  })
  .describe('Selector of the element acted on; absent fields have their NodeSelectors default. Accepted back as a selector.');
export type ResolvedSelectors = z.output<typeof ResolvedSelectorsSchema>;

/** Only the NodeSelectors fields that say something; what is left is still a valid NodeSelectors input. */
export function leanSelectors(s: NodeSelectors): ResolvedSelectors {
  const out: ResolvedSelectors = {};
  if (s.css_selector !== '') out.css_selector = s.css_selector;
  if (s.xpath_selector !== '') out.xpath_selector = s.xpath_selector;
  if (s.notte_selector !== '') out.notte_selector = s.notte_selector;
  const pw = s.playwright_selector ?? '';
  // `#email` and `css=#email` name the same thing: repeating it would only cost tokens.
  if (pw !== '' && pw !== s.css_selector && pw !== `css=${s.css_selector}`) out.playwright_selector = pw;
  if ((s.python_selector ?? '') !== '') out.python_selector = s.python_selector ?? '';
  if (s.in_iframe) out.in_iframe = true;
  if (s.in_shadow_root) out.in_shadow_root = true;
  if (s.iframe_parent_css_selectors.length > 0) out.iframe_parent_css_selectors = [...s.iframe_parent_css_selectors];
  return out;
}

export const ResolvedActionSchema = z
  .looseObject({
    type: z.string().describe('Action type.'),
    id: z.string().optional().describe(`Id of the element acted on, from the latest ${TOOL.observe}.`),
    selector: z
      .union([ResolvedSelectorsSchema, z.string()])
      .optional()
      .describe('Selector of the element acted on; the selector string as given when the element was never found.'),
    text_label: z.string().optional().describe('Label of the element acted on.'),
  })
  .describe('The action as executed, with id, selector and text_label resolved; parameters left at their default are omitted.');
export type ResolvedAction = z.output<typeof ResolvedActionSchema>;

/**
 * Each action type's defaulted parameters and their default values, read from the schemas themselves (a field
 * that parses `undefined` to a value has that value as default), so a new default needs no second list here.
 */
const ACTION_DEFAULTS: ReadonlyMap<string, ReadonlyMap<string, unknown>> = new Map(
  ActionSchema.options.map((option) => {
    const defaults = new Map<string, unknown>();
    for (const [key, field] of Object.entries<z.ZodType>(option.shape)) {
      const parsed = field.safeParse(undefined);
      if (parsed.success && parsed.data !== undefined && parsed.data !== null) defaults.set(key, parsed.data);
    }
    return [option.shape.type.value, defaults];
  }),
);

// Accepted from observe output and ignored: echoing them back says nothing.
const IGNORED_FIELDS = new Set(['category', 'description']);

/** The action's own parameters minus nulls, ignored fields and values equal to their default. */
export function actionParams(action: Action): Record<string, unknown> {
  const defaults = ACTION_DEFAULTS.get(action.type);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(action)) {
    if (value === null || value === undefined || IGNORED_FIELDS.has(key)) continue;
    // Defaults are scalars (numbers, booleans, strings): `===` is the right comparison.
    if (defaults?.get(key) === value) continue;
    out[key] = value;
  }
  return out;
}

export const ExecutionResultSchema = z
  .object({
    action: ResolvedActionSchema,
    success: z.boolean().describe('Whether the action succeeded.'),
    message: z.string().describe('What happened, or what went wrong and what to do next.'),
    // eslint-disable-next-line no-restricted-syntax -- the scrape and evaluate_js actions, not the tool
    data: DataSpaceSchema.nullable().describe('Data from scrape or evaluate_js; null otherwise.'),
    exception: z.string().nullable().describe('Underlying error text when the action failed.'),
    started_at: z.string().describe('ISO timestamp.'),
    ended_at: z.string().describe('ISO timestamp.'),
  })
  .describe('Result of one executed action (Notte ExecutionResult).');
export type ExecutionResult = z.output<typeof ExecutionResultSchema>;
