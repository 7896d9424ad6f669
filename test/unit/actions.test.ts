import { toJSONSchema } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  ACTION_TYPES, ActionSchema, ExecutionResultSchema, NodeSelectorsSchema, StepChangesSchema, actionParams, leanSelectors, parseAction, remapLegacyValue,
} from '../../src/notte/actions.js';

describe('ActionSchema', () => {
  it('covers the 27 Notte action types', () => {
    expect(new Set(ACTION_TYPES).size).toBe(27);
    for (const type of ACTION_TYPES) {
      const json = JSON.stringify(toJSONSchema(ActionSchema, { io: 'input' }));
      expect(json).toContain(`"const":"${type}"`);
    }
  });

  it('applies the Notte defaults and strips the [:] suffix from ids', () => {
    expect(ActionSchema.parse({ type: 'click', id: 'B3[:]' })).toMatchObject({ type: 'click', id: 'B3', timeout: 15000 });
    expect(ActionSchema.parse({ type: 'click', id: 'B3', timeout: 0 })).toMatchObject({ timeout: 15000 });
    expect(ActionSchema.parse({ type: 'fill', id: 'I1', value: 'x' })).toMatchObject({ clear_before_fill: true });
    expect(ActionSchema.parse({ type: 'scroll_down' })).toMatchObject({ amount: null });
    expect(ActionSchema.parse({ type: 'scrape' })).toMatchObject({ only_main_content: true, scrape_links: true, scrape_images: false, only_images: false });
    expect(ActionSchema.parse({ type: 'email_read' })).toMatchObject({ limit: 10, timedelta: 'PT5M', only_unread: true });
  });

  it('needs an id or a selector on interaction actions', () => {
    const missing = ActionSchema.safeParse({ type: 'fill', value: 'x' });
    expect(missing.success).toBe(false);
    expect(missing.error?.issues.map((i) => i.message).join()).toContain('need to provide either an action id or a selector');
    expect(ActionSchema.safeParse({ type: 'fill', selector: 'css=#email', value: 'x' }).success).toBe(true);
    expect(ActionSchema.safeParse({ type: 'click', selector: { css_selector: 'button' } }).success).toBe(true);
    expect(ActionSchema.safeParse({ type: 'click', selector: { in_iframe: true } }).success).toBe(false);
  });

  it('enforces ranges and types', () => {
    expect(ActionSchema.safeParse({ type: 'wait', time_ms: 30001 }).success).toBe(false);
    expect(ActionSchema.safeParse({ type: 'wait', time_ms: -1 }).success).toBe(false);
    expect(ActionSchema.safeParse({ type: 'switch_tab', tab_index: -1 }).success).toBe(true);
    expect(ActionSchema.safeParse({ type: 'switch_tab', tab_index: -2 }).success).toBe(false);
    expect(ActionSchema.safeParse({ type: 'scroll_up', amount: 1.5 }).success).toBe(false);
    expect(ActionSchema.safeParse({ type: 'check', id: 'B1', value: 'yes' }).success).toBe(false);
    expect(ActionSchema.safeParse({ type: 'goto', url: 'https://x.y', extra: 1 }).success).toBe(false);
    expect(ActionSchema.safeParse({ type: 'nope' }).success).toBe(false);
  });

  it('form_fill keeps listed keys, drops nulls, maps password to current_password, needs one value', () => {
    expect(ActionSchema.parse({ type: 'form_fill', value: { email: 'a@b.c', phone: null, password: 'pw' } })).toMatchObject({
      value: { email: 'a@b.c', current_password: 'pw' },
    });
    expect(ActionSchema.safeParse({ type: 'form_fill', value: { favourite_colour: 'red' } }).success).toBe(false);
    expect(ActionSchema.safeParse({ type: 'form_fill', value: { email: null } }).success).toBe(false);
  });

  it('remaps a legacy value to the real parameter', () => {
    expect(remapLegacyValue({ type: 'goto', value: 'https://a.b' })).toEqual({ type: 'goto', url: 'https://a.b' });
    expect(parseAction({ type: 'switch_tab', value: '2' }).data).toMatchObject({ tab_index: 2 });
    expect(parseAction({ type: 'fill', id: 'I1', value: 'kept' }).data).toMatchObject({ value: 'kept' });
  });

  it('describes every field for the model', () => {
    const json = toJSONSchema(ActionSchema, { io: 'input' });
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>; // walking plain JSON
      const props = record['properties'];
      if (typeof props === 'object' && props !== null) {
        for (const [key, value] of Object.entries(props)) {
          if (typeof value === 'object' && value !== null && !('description' in value)) missing.push(`${path}.${key}`);
        }
      }
      for (const [key, value] of Object.entries(record)) visit(value, `${path}.${key}`);
    };
    visit(json, '');
    expect(missing).toEqual([]);
  });

  it('actionParams leaves out defaults, nulls and ignored fields, and keeps what was set', () => {
    expect(actionParams(ActionSchema.parse({ type: 'click', id: 'B3', category: 'Actions', description: 'Save', press_enter: null }))).toEqual({ type: 'click', id: 'B3' });
    expect(actionParams(ActionSchema.parse({ type: 'click', selector: 'css=#go', timeout: 0 }))).toEqual({ type: 'click', selector: 'css=#go' });
    expect(actionParams(ActionSchema.parse({ type: 'fill', id: 'I1', value: 'x' }))).toEqual({ type: 'fill', id: 'I1', value: 'x' });
    expect(actionParams(ActionSchema.parse({ type: 'fill', id: 'I1', value: '', clear_before_fill: false, press_enter: true, timeout: 500 }))).toEqual({
      type: 'fill', id: 'I1', value: '', clear_before_fill: false, press_enter: true, timeout: 500,
    });
    expect(actionParams(ActionSchema.parse({ type: 'scroll_down' }))).toEqual({ type: 'scroll_down' });
    expect(actionParams(ActionSchema.parse({ type: 'scroll_down', amount: 300 }))).toEqual({ type: 'scroll_down', amount: 300 });
    expect(actionParams(ActionSchema.parse({ type: 'scrape', only_main_content: false }))).toEqual({ type: 'scrape', only_main_content: false });
    expect(actionParams(ActionSchema.parse({ type: 'goto', url: 'https://a.b' }))).toEqual({ type: 'goto', url: 'https://a.b' });
  });

  it('leanSelectors keeps only fields that say something, and the result parses back to the same selectors', () => {
    const full = NodeSelectorsSchema.parse({ css_selector: '#email', playwright_selector: '#email', python_selector: null });
    expect(leanSelectors(full)).toEqual({ css_selector: '#email' });
    expect(leanSelectors(NodeSelectorsSchema.parse({ css_selector: '#go', playwright_selector: 'css=#go' }))).toEqual({ css_selector: '#go' });
    const framed = NodeSelectorsSchema.parse({
      css_selector: 'button', playwright_selector: 'iframe#pay >> internal:control=enter-frame >> button', in_iframe: true, iframe_parent_css_selectors: ['iframe#pay'],
    });
    expect(leanSelectors(framed)).toEqual({
      css_selector: 'button', playwright_selector: 'iframe#pay >> internal:control=enter-frame >> button', in_iframe: true, iframe_parent_css_selectors: ['iframe#pay'],
    });
    for (const s of [full, framed]) {
      const { css_selector, xpath_selector, in_iframe, in_shadow_root, iframe_parent_css_selectors } = s;
      expect(NodeSelectorsSchema.parse(leanSelectors(s))).toMatchObject({ css_selector, xpath_selector, in_iframe, in_shadow_root, iframe_parent_css_selectors });
    }
  });

  it('StepChangesSchema needs only url, title, active_tab and tab_count', () => {
    expect(StepChangesSchema.safeParse({ url: 'https://a.b/', title: 'A', active_tab: 0, tab_count: 1 }).success).toBe(true);
    expect(StepChangesSchema.safeParse({ url: 'https://a.b/', title: 'A', active_tab: 0 }).success).toBe(false);
    expect(StepChangesSchema.safeParse({ url: 'https://a.b/', title: 'A', active_tab: 0, tab_count: 1, navigated: false }).success).toBe(false);
  });

  it('ExecutionResultSchema accepts a step result', () => {
    const ok = ExecutionResultSchema.safeParse({
      action: { type: 'click', id: 'B1', selector: { css_selector: '#b' }, text_label: 'Go' },
      success: true, message: 'Clicked', data: null, exception: null,
      started_at: new Date().toISOString(), ended_at: new Date().toISOString(),
    });
    expect(ok.success).toBe(true);
  });
});
