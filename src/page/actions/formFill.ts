import { DEFAULT_ACTION_TIMEOUT_MS } from '../../notte/actions.js';
import type { ActionOf, FormFillKey } from '../../notte/actions.js';
import { resolveRecord } from '../secrets.js';
import { errorText } from './errors.js';
import { failed, ok } from './types.js';
import type { ActionContext, ActionOutcome } from './types.js';
import { TOOL } from '../../notte/toolNames.js';
import { matchFields, tagNameOf } from '../injected/actionsInPage.js';

/**
 * form_fill: values by meaning (email, first_name…) matched to the page's fields through their autocomplete
 * tokens, then their name/id/label. Each field is filled at most once.
 */

// HTML autocomplete tokens (WHATWG "autofill field names") for each Notte key.
const AUTOCOMPLETE: Record<FormFillKey, string[]> = {
  title: ['honorific-prefix'], first_name: ['given-name'], middle_name: ['additional-name'], last_name: ['family-name'],
  full_name: ['name'], email: ['email'], company: ['organization'], address1: ['address-line1', 'street-address'],
  address2: ['address-line2'], address3: ['address-line3'], city: ['address-level2'], state: ['address-level1'],
  postal_code: ['postal-code'], country: ['country', 'country-name'], phone: ['tel', 'tel-national'],
  cc_name: ['cc-name'], cc_number: ['cc-number'], cc_exp_month: ['cc-exp-month'], cc_exp_year: ['cc-exp-year'],
  cc_exp: ['cc-exp'], cc_cvv: ['cc-csc'], username: ['username'], password: ['current-password'],
  current_password: ['current-password'], new_password: ['new-password'], totp: ['one-time-code'],
};

// Fallback patterns over name, id, placeholder and label text.
const PATTERNS: Record<FormFillKey, string> = {
  title: '^(title|salutation|prefix)$', first_name: 'first.?name|given|fname|forename', middle_name: 'middle',
  last_name: 'last.?name|family|surname|lname', full_name: '^(full.?)?name$|your.?name', email: 'e.?mail',
  company: 'company|organi[sz]ation|employer', address1: 'address.?(line)?.?1|street|^address$', address2: 'address.?(line)?.?2|apt|suite',
  address3: 'address.?(line)?.?3', city: 'city|town|locality', state: 'state|province|region|county',
  postal_code: 'zip|postal|postcode', country: 'country', phone: 'phone|tel|mobile', cc_name: 'card.?holder|name.?on.?card|cc.?name',
  cc_number: 'card.?number|cc.?num|cardnumber', cc_exp_month: 'exp.*month|cc.?month', cc_exp_year: 'exp.*year|cc.?year',
  cc_exp: 'expir|cc.?exp|mm.?yy', cc_cvv: 'cvv|cvc|csc|security.?code', username: 'user.?name|login|userid',
  password: 'password|passwd|pwd', current_password: 'password|passwd|pwd', new_password: 'new.?password|confirm',
  totp: 'otp|one.?time|2fa|verification.?code|auth.?code',
};


export async function formFill(ctx: ActionContext, action: ActionOf<'form_fill'>): Promise<ActionOutcome> {
  const page = ctx.host.page();
  const resolved = resolveRecord(ctx.secrets, action.value, page.url());
  if (!resolved.ok) return failed(resolved.message);
  const keys = Object.keys(action.value) as FormFillKey[]; // keys were validated against FORM_FILL_KEYS by the schema
  const wanted = keys.map((key) => ({ key, tokens: AUTOCOMPLETE[key], pattern: PATTERNS[key] }));
  const matches = await page.evaluate(matchFields, { wanted, selector: FIELD_SELECTOR });
  const fields = page.locator(FIELD_SELECTOR);
  // One budget for the whole form, Notte's action default: a loaded machine slows every field, and a fixed short
  // limit per field would report a fillable field as not fillable.
  const deadline = Date.now() + DEFAULT_ACTION_TIMEOUT_MS;
  const left = (): number => Math.max(1, deadline - Date.now());
  const filled: string[] = [];
  const problems: string[] = [];
  for (const { key, index } of matches) {
    const value = resolved.values[key as FormFillKey]; // `key` came back from the list sent above
    if (value === undefined || value === null) continue;
    const field = fields.nth(index);
    try {
      const tag = await field.evaluate(tagNameOf);
      if (tag === 'SELECT') {
        await field.selectOption({ label: value }, { timeout: left() }).catch(() => field.selectOption(value, { timeout: left() }));
      } else {
        await field.fill(value, { timeout: left() });
      }
      filled.push(key);
    } catch (error) {
      problems.push(`${key} (${errorText(error)})`);
    }
  }
  const missing = keys.filter((key) => !matches.some((m) => m.key === key));
  const notes = [
    missing.length > 0 ? `no field found for ${missing.join(', ')}` : '',
    problems.length > 0 ? `could not fill ${problems.join('; ')}` : '',
  ].filter((n) => n !== '');
  if (filled.length === 0) {
    return failed(`form_fill filled nothing: ${notes.join('; ')}. Call ${TOOL.observe} and fill the fields by id.`);
  }
  return ok(`Filled ${filled.join(', ')}.${notes.length > 0 ? ` Note: ${notes.join('; ')}; fill those by id.` : ''}`);
}

// The fields form_fill may fill; matchFields answers indexes into this very list, so both read it from here.
const FIELD_SELECTOR = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=checkbox]):not([type=radio]):not([type=file]), select, textarea';

