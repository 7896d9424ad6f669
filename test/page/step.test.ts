import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ActionSchema } from '../../src/notte/actions.js';
import type { ActionInput } from '../../src/notte/actions.js';
import { ContextHost } from '../../src/page/contextHost.js';
import { installPageHandlers } from '../../src/page/dialogs.js';
import { step } from '../../src/page/step.js';
import type { StepResult } from '../../src/page/step.js';
import { launchTestBrowser } from '../fixtures/chromium.js';
import { PageServer } from '../fixtures/pageServer.js';
import { stampSnapshot } from './stepSnapshot.js';

let browser: Browser;
let server: PageServer;
let dir: string;
let context: BrowserContext;
let host: ContextHost;

beforeAll(async () => {
  browser = await launchTestBrowser();
  server = await PageServer.start();
  dir = await mkdtemp(join(tmpdir(), 'bsm-step-'));
  await writeFile(join(dir, 'hello.txt'), 'hello upload');
  await writeFile(join(tmpdir(), 'bsm-outside.txt'), 'secret');
});

afterAll(async () => {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
  await rm(join(tmpdir(), 'bsm-outside.txt'), { force: true });
});

beforeEach(async () => {
  context = await browser.newContext({ acceptDownloads: true });
  host = await ContextHost.create(context, { downloadsDir: join(dir, 'downloads'), uploadRoots: [join(dir)] });
  installPageHandlers(host);
});

afterEach(async () => {
  await context.close();
});

/** Parses like the MCP layer would, then steps. */
async function act(input: ActionInput): Promise<StepResult> {
  return step(host, ActionSchema.parse(input));
}

/** A full document, so its <title> is the page title (fragments get their path as title). */
function doc(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

async function open(path: string, html: string, ids: Record<string, string> = {}): Promise<void> {
  const url = server.setContent(path, html);
  const opened = await act({ type: 'goto', url });
  expect(opened.result.success, opened.text).toBe(true);
  if (Object.keys(ids).length > 0) await stampSnapshot(host, ids);
}

const evalIn = <T>(fn: string): Promise<T> => host.page().evaluate(fn) as Promise<T>; // test helper: fn is a trusted expression

describe('navigation', () => {
  it('goto opens the page and reports url and title', async () => {
    const url = server.setContent('/hello', '<!doctype html><html><head><title>Hello</title></head><body><h1>Hi</h1></body></html>');
    const { result, changes, text } = await act({ type: 'goto', url });
    expect(result.success).toBe(true);
    expect(changes).toMatchObject({ url, previous_url: 'about:blank', title: 'Hello', navigated: true });
    expect(text).toMatch(/^✓ Navigated to .*\/hello\.\n→ title "Hello"; waited \d+ms$/);
    expect(result.action).toEqual({ type: 'goto', url });
    // Lean: what did not happen is absent, not empty.
    for (const key of ['new_tabs', 'dialogs', 'downloads', 'elements']) expect(changes, key).not.toHaveProperty(key);
    expect(result).toMatchObject({ data: null, exception: null });
  });

  it('refuses file: and other local schemes', async () => {
    for (const url of ['file:///etc/passwd', 'chrome://settings', 'view-source:http://127.0.0.1/', 'javascript:alert(1)', 'data:text/html,hi']) {
      const { result } = await act({ type: 'goto', url });
      expect(result.success, url).toBe(false);
      expect(result.message).toMatch(/not allowed/);
    }
    expect(host.page().url()).toBe('about:blank');
  });

  it('go_back, go_forward and reload move through history', async () => {
    await open('/one', doc('One', '<a href="/two">next</a>'));
    const two = server.setContent('/two', doc('Two', '<p id="n">0</p>'));
    await act({ type: 'goto', url: two });
    const back = await act({ type: 'go_back' });
    expect(back.result.success).toBe(true);
    expect(back.changes.url).toBe(server.url('/one'));
    expect(back.changes.title).toBe('One');
    const forward = await act({ type: 'go_forward' });
    expect(forward.changes.url).toBe(two);
    await evalIn('document.getElementById("n").textContent = "changed"');
    const reload = await act({ type: 'reload' });
    expect(reload.result.success).toBe(true);
    expect(reload.text).toContain('Reloaded');
    expect(await evalIn('document.getElementById("n").textContent')).toBe('0');
    const noForward = await act({ type: 'go_forward' });
    expect(noForward.result.success).toBe(false);
    expect(noForward.result.message).toMatch(/no next page/);
  });

  it('legacy value is remapped by parseAction and goto works', async () => {
    const { parseAction } = await import('../../src/notte/actions.js');
    const url = server.setContent('/legacy', '<title>Legacy</title>');
    const parsed = parseAction({ type: 'goto', value: url });
    expect(parsed.success).toBe(true);
    if (!parsed.success) return;
    const { result } = await step(host, parsed.data);
    expect(result.success).toBe(true);
    expect(host.page().url()).toBe(url);
  });
});

describe('click', () => {
  it('clicks a button by id and reports the DOM change quickly', async () => {
    await open('/click', `<button id="b" onclick="const p=document.createElement('p');p.textContent='Saved!';document.body.append(p)">Save</button>`, { B1: '#b' });
    const { result, changes, text } = await act({ type: 'click', id: 'B1[:]' });
    expect(result.success, text).toBe(true);
    // Defaults (timeout, press_enter, category…) and default selector fields are left out.
    expect(result.action).toEqual({ type: 'click', id: 'B1', selector: { css_selector: '#b' }, text_label: 'Save' });
    expect(changes.elements).toEqual({ added: 1, appeared: ['<p> Saved!'] });
    expect(changes).toMatchObject({ title: '/click', active_tab: 0, tab_count: 1 });
    for (const key of ['previous_url', 'navigated', 'new_tabs', 'dialogs', 'downloads']) expect(changes, key).not.toHaveProperty(key);
    for (const ms of Object.values(changes.waited ?? {})) expect(ms).toBeGreaterThan(0);
    expect(text).toContain('Clicked B1 "Save"');
    expect(text).toContain('"<p> Saved!"');
    expect(await evalIn('document.querySelector("p")?.textContent')).toBe('Saved!');
    expect(host.lastActionId).toBe('B1');
  });

  it('follows a link that navigates and waits for it', async () => {
    server.setContent('/thanks', doc('Thanks', '<h1>Thanks</h1>'));
    await open('/link', '<a id="l" href="/thanks">Go</a>', { L1: '#l' });
    const { result, changes, text } = await act({ type: 'click', id: 'L1' });
    expect(result.success).toBe(true);
    expect(changes).toMatchObject({ url: server.url('/thanks'), previous_url: server.url('/link'), title: 'Thanks', navigated: true });
    // The old document's element counts died with it.
    expect(changes).not.toHaveProperty('elements');
    expect(changes.waited).toBeDefined();
    expect(text).toContain('navigated to /thanks ("Thanks")');
  });

  it('clicks a div with an onclick handler, by selector', async () => {
    await open('/div', `<div id="d" onclick="this.textContent='done'" style="cursor:pointer">press me</div>`);
    const { result } = await act({ type: 'click', selector: 'css=#d' });
    expect(result.success).toBe(true);
    expect(await evalIn('document.getElementById("d").textContent')).toBe('done');
  });

  it('accepts ~text, xpath and NodeSelectors objects', async () => {
    await open('/sel', `<button onclick="window.n=(window.n||0)+1">Add one</button>`);
    const byText = await act({ type: 'click', selector: '~Add one' });
    expect(byText.result.success).toBe(true);
    expect(byText.result.action.selector).toEqual({ playwright_selector: 'internal:text="Add one"' });
    const byXpath = await act({ type: 'click', selector: 'xpath=//button' });
    expect(byXpath.result.success).toBe(true);
    expect(byXpath.result.action.selector).toEqual({ xpath_selector: '//button', playwright_selector: 'xpath=//button' });
    const r = await act({ type: 'click', selector: { css_selector: 'button', xpath_selector: '', in_iframe: false, in_shadow_root: false, iframe_parent_css_selectors: [] } });
    expect(r.result.success).toBe(true);
    expect(r.result.action).toEqual({ type: 'click', selector: { css_selector: 'button' }, text_label: 'Add one' });
    // The lean selector is a valid selector again.
    expect((await act({ type: 'click', selector: r.result.action.selector ?? '' })).result.success).toBe(true);
    expect(await evalIn('window.n')).toBe(4);
    // Nothing in the DOM changed: no element counts.
    expect(r.changes).not.toHaveProperty('elements');
  });

  it('reports what the page does after the click: timers and fetched data', async () => {
    server.setRoute('/api/saved', { body: 'Saved on server', contentType: 'text/plain' });
    await open(
      '/later',
      `<button id="t" onclick="setTimeout(() => { add('first'); setTimeout(() => add('second'), 60); }, 15)">Timers</button>
       <button id="f" onclick="fetch('/api/saved').then((r) => r.text()).then(add)">Fetch</button>
       <script>function add(text){ const p = document.createElement('p'); p.textContent = text; document.body.append(p); }</script>`,
      { B1: '#t', B2: '#f' },
    );
    const timers = await act({ type: 'click', id: 'B1' });
    expect(timers.changes.elements).toMatchObject({ added: 2, appeared: ['<p> first', '<p> second'] });
    const fetched = await act({ type: 'click', id: 'B2' });
    expect(fetched.changes.elements).toMatchObject({ added: 1, appeared: ['<p> Saved on server'] });
    // The step waited for the answer: by watching the network, or (when the request event reaches Node late on a
    // busy machine) by the DOM window that caught the element it added.
    expect((fetched.changes.waited?.network ?? 0) + (fetched.changes.waited?.dom ?? 0)).toBeGreaterThan(0);
  });

  it('fails on a disabled button with "Element is disabled"', async () => {
    await open('/disabled', '<button id="b" disabled onclick="window.hit=1">Pay</button>', { B1: '#b' });
    const { result, text } = await act({ type: 'click', id: 'B1' });
    expect(result.success).toBe(false);
    expect(result.message).toContain('Element is disabled');
    expect(text).toMatch(/^✗ Element is disabled: B1 "Pay"/);
    expect(await evalIn('window.hit')).toBeUndefined();
  });

  it('names the element that covers the target', async () => {
    await open(
      '/covered',
      `<button id="b" onclick="window.hit=1">Buy</button>
       <div id="overlay" style="position:fixed;inset:0;background:rgba(0,0,0,.5)">Accept cookies</div>`,
      { B1: '#b' },
    );
    const { result } = await act({ type: 'click', id: 'B1', timeout: 800 });
    expect(result.success).toBe(false);
    expect(result.message).toContain('is covered by <div id="overlay">');
    expect(result.message).toContain('Accept cookies');
    expect(await evalIn('window.hit')).toBeUndefined();
  });

  it('reports ids it does not know, and a missing observation', async () => {
    await open('/ids', '<button id="b">x</button>');
    const none = await act({ type: 'click', id: 'B1' });
    expect(none.result.success).toBe(false);
    expect(none.result.message).toMatch(/No observation yet.*Call observe first/);
    await stampSnapshot(host, { B1: '#b' });
    const { result } = await act({ type: 'click', id: 'B7' });
    expect(result.success).toBe(false);
    expect(result.message).toBe('Id B7 is not in the latest observation. Call observe again and use a current id.');
  });

  it('rejects an interaction without id or selector at validation', () => {
    const parsed = ActionSchema.safeParse({ type: 'click' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('need to provide either an action id or a selector');
  });

  it('re-finds an element the page re-rendered, and says so', async () => {
    await open(
      '/spa',
      `<div id="app"></div><script>
        function render(){document.getElementById('app').innerHTML='<button class="go" onclick="window.hits=(window.hits||0)+1">Continue</button>';}
        render(); window.render = render;
      </script>`,
      { B1: 'button.go' },
    );
    await evalIn('window.render()');
    const { result } = await act({ type: 'click', id: 'B1' });
    expect(result.success, result.message).toBe(true);
    expect(result.message).toMatch(/^Re-found B1 after re-render \(by selector\)/);
    expect(await evalIn('window.hits')).toBe(1);
  });

  it('says the element is gone when the re-render removed it', async () => {
    await open('/gone', '<button id="b">Old</button>', { B1: '#b' });
    await evalIn('document.body.innerHTML = "<p>other</p>"');
    const { result } = await act({ type: 'click', id: 'B1' });
    expect(result.success).toBe(false);
    expect(result.message).toMatch(/B1 "Old" is no longer on the page.*Call observe again/);
  });
});

describe('forms', () => {
  const form = `
    <form id="f" onsubmit="event.preventDefault(); document.title='submitted:' + new FormData(this).get('q')">
      <input id="q" name="q" value="old">
      <textarea id="t" name="t"></textarea>
      <div id="ce" contenteditable="true"></div>
      <input id="pw" type="password" name="pw">
      <input id="cb" type="checkbox" name="cb">
      <input id="r1" type="radio" name="r" value="a"><input id="r2" type="radio" name="r" value="b">
      <select id="s" name="s"><option value="fr">France</option><option value="de">Germany</option><option value="it">Italy</option></select>
      <button type="submit">Search</button>
    </form>`;
  const ids = { I1: '#q', I2: '#t', I3: '#ce', I4: '#pw', B1: '#cb', B2: '#r1', B3: '#r2', I5: '#s' };

  it('fills text inputs, textareas and contenteditable; append without clearing', async () => {
    await open('/form', form, ids);
    expect((await act({ type: 'fill', id: 'I1', value: 'new' })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("q").value')).toBe('new');
    expect((await act({ type: 'fill', id: 'I1', value: '+more', clear_before_fill: false })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("q").value')).toBe('new+more');
    expect((await act({ type: 'fill', id: 'I2', value: 'line1\tline2' })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("t").value')).toBe('line1\tline2');
    expect((await act({ type: 'fill', id: 'I3', value: 'rich' })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("ce").textContent')).toBe('rich');
    const pw = await act({ type: 'fill', id: 'I4', value: 'hunter22' });
    expect(pw.result.message).toContain('8 characters');
    expect(pw.text).not.toContain('hunter22');
    expect(JSON.stringify({ ...pw.result, changes: pw.changes })).not.toContain('hunter22');
    expect(pw.result.action).toMatchObject({ type: 'fill', id: 'I4', value: '********' });
  });

  it('the resolved fill keeps its value and leaves defaults out', async () => {
    await open('/form-lean', form, ids);
    const filled = await act({ type: 'fill', id: 'I1', value: 'new' });
    expect(filled.result.action).toEqual({ type: 'fill', id: 'I1', value: 'new', selector: { css_selector: '#q' }, text_label: 'q' });
    const appended = await act({ type: 'fill', id: 'I1', value: '+x', clear_before_fill: false, timeout: 5000 });
    expect(appended.result.action).toMatchObject({ value: '+x', clear_before_fill: false, timeout: 5000 });
  });

  it('multi_factor_fill and fallback_fill type keystrokes', async () => {
    await open('/otp', `<input id="o" oninput="window.keys=(window.keys||0)+1">`, { I1: '#o' });
    expect((await act({ type: 'multi_factor_fill', id: 'I1', value: '123' })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("o").value')).toBe('123');
    expect(await evalIn('window.keys')).toBe(3);
    expect((await act({ type: 'fallback_fill', id: 'I1', value: 'ab' })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("o").value')).toBe('ab');
  });

  it('checks and unchecks checkboxes and radios', async () => {
    await open('/check', form, ids);
    expect((await act({ type: 'check', id: 'B1', value: true })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("cb").checked')).toBe(true);
    expect((await act({ type: 'check', id: 'B1', value: false })).result.message).toContain('Unchecked');
    expect(await evalIn('document.getElementById("cb").checked')).toBe(false);
    expect((await act({ type: 'check', id: 'B3', value: true })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("r2").checked')).toBe(true);
    const uncheckRadio = await act({ type: 'check', id: 'B3', value: false });
    expect(uncheckRadio.result.success).toBe(false);
    expect(uncheckRadio.result.message).toContain('Check another option');
  });

  it('selects by option text and by value, and lists options when none match', async () => {
    await open('/select', form, ids);
    expect((await act({ type: 'select_dropdown_option', id: 'I5', value: 'Germany' })).result.success).toBe(true);
    expect(await evalIn('document.getElementById("s").value')).toBe('de');
    expect((await act({ type: 'select_dropdown_option', id: 'I5', value: 'it' })).result.message).toContain('"Italy"');
    expect(await evalIn('document.getElementById("s").value')).toBe('it');
    const missing = await act({ type: 'select_dropdown_option', id: 'I5', value: 'Spain' });
    expect(missing.result.success).toBe(false);
    expect(missing.result.message).toContain('"France", "Germany", "Italy"');
  });

  it('press_key Enter submits the form', async () => {
    await open('/submit', form, ids);
    await act({ type: 'fill', id: 'I1', value: 'shoes' });
    const { result, changes } = await act({ type: 'press_key', key: 'Enter' });
    expect(result.success).toBe(true);
    expect(changes.title).toBe('submitted:shoes');
  });

  it('fill with press_enter submits too', async () => {
    await open('/submit2', form, ids);
    const { result, changes } = await act({ type: 'fill', id: 'I1', value: 'hats', press_enter: true });
    expect(result.success).toBe(true);
    expect(changes.title).toBe('submitted:hats');
  });

  it('form_fill fills fields by meaning', async () => {
    await open('/signup', `
      <input name="email" type="email"><input name="first_name"><input autocomplete="family-name" id="ln">
      <input type="password" name="pass">`);
    const { result } = await act({ type: 'form_fill', value: { email: 'a@b.c', first_name: 'Ada', last_name: 'Lovelace', password: 'pw', phone: null } });
    expect(result.success, result.message).toBe(true);
    expect(result.action).toEqual({ type: 'form_fill', value: { email: 'a@b.c', first_name: 'Ada', last_name: 'Lovelace', current_password: '********' } });
    expect(result.message).toContain('Filled email, first_name, last_name, current_password');
    expect(await evalIn('[...document.querySelectorAll("input")].map(i => i.value).join(",")')).toBe('a@b.c,Ada,Lovelace,pw');
  });
});

describe('dialogs, tabs, files', () => {
  it('answers alert, confirm and prompt raised by clicks, and reports them', async () => {
    await open(
      '/dialogs',
      `<button id="a" onclick="alert('Hello there')">a</button>
       <button id="c" onclick="window.confirmed = confirm('Delete?')">c</button>
       <button id="p" onclick="window.answer = prompt('Name?', 'Ada')">p</button>`,
      { B1: '#a', B2: '#c', B3: '#p' },
    );
    const alerted = await act({ type: 'click', id: 'B1' });
    expect(alerted.result.success).toBe(true);
    expect(alerted.changes.dialogs).toEqual([{ type: 'alert', message: 'Hello there', handled: 'accepted' }]);
    expect(alerted.text).toContain('alert dialog "Hello there" accepted');
    const confirmed = await act({ type: 'click', id: 'B2' });
    expect(confirmed.changes.dialogs?.[0]).toMatchObject({ type: 'confirm', handled: 'accepted' });
    expect(await evalIn('window.confirmed')).toBe(true);
    const prompted = await act({ type: 'click', id: 'B3' });
    expect(prompted.changes.dialogs?.[0]).toMatchObject({ type: 'prompt', handled: 'answered "Ada"' });
    expect(await evalIn('window.answer')).toBe('Ada');
  });

  it('adopts tabs opened by target=_blank and window.open; switch_tab and close_tab work', async () => {
    server.setContent('/popup', doc('Popup', '<p>popup</p>'));
    await open('/opener', doc('Opener', `<a id="l" href="/popup" target="_blank">open</a>
      <button id="w" onclick="window.open('/popup?w=1')">win</button>`), { L1: '#l', B1: '#w' });
    const blank = await act({ type: 'click', id: 'L1' });
    expect(blank.result.success).toBe(true);
    expect(blank.changes).toMatchObject({ active_tab: 1, tab_count: 2, title: 'Popup', url: server.url('/popup'), new_tabs: [{ tab_index: 1, url: server.url('/popup') }] });
    expect(blank.text).toContain('new tab 1 opened and now active');
    const back = await act({ type: 'switch_tab', tab_index: 0 });
    expect(back.changes).toMatchObject({ active_tab: 0, title: 'Opener' });
    expect(back.changes).not.toHaveProperty('new_tabs');
    expect(back.changes).not.toHaveProperty('waited');
    const win = await act({ type: 'click', id: 'B1' });
    expect(win.changes).toMatchObject({ active_tab: 2, tab_count: 3, url: server.url('/popup?w=1') });
    const last = await act({ type: 'switch_tab', tab_index: -1 });
    expect(last.changes.active_tab).toBe(2);
    const closed = await act({ type: 'close_tab' });
    expect(closed.result.success).toBe(true);
    expect(closed.changes.tab_count).toBe(2);
    const bad = await act({ type: 'switch_tab', tab_index: 9 });
    expect(bad.result.message).toContain('open tabs are 0..1');
    const newTab = await act({ type: 'goto_new_tab', url: server.url('/popup') });
    expect(newTab.changes).toMatchObject({ active_tab: 2, tab_count: 3, title: 'Popup' });
  });

  it('uploads a file from an allowed root and refuses one outside', async () => {
    await open('/upload', `<input id="f" type="file" onchange="window.picked=this.files[0].name">`, { I1: '#f' });
    const inside = await act({ type: 'upload_file', id: 'I1', file_path: 'hello.txt' });
    expect(inside.result.success, inside.result.message).toBe(true);
    expect(await evalIn('window.picked')).toBe('hello.txt');
    const outside = await act({ type: 'upload_file', id: 'I1', file_path: join(tmpdir(), 'bsm-outside.txt') });
    expect(outside.result.success).toBe(false);
    expect(outside.result.message).toContain('outside the folders uploads may come from');
    const climb = await act({ type: 'upload_file', id: 'I1', file_path: '../bsm-outside.txt' });
    expect(climb.result.success).toBe(false);
  });

  it('downloads a file into downloadsDir and reports the path', async () => {
    server.setRoute('/file.csv', { body: 'a,b\n1,2\n', contentType: 'text/csv', headers: { 'content-disposition': 'attachment; filename="report.csv"' } });
    await open('/dl', '<a id="d" href="/file.csv">Download report</a>', { L1: '#d' });
    const { result, changes, text } = await act({ type: 'download_file', id: 'L1' });
    expect(result.success, result.message).toBe(true);
    const path = join(dir, 'downloads', 'report.csv');
    expect(result.message).toContain(path);
    expect(changes.downloads).toEqual([{ path, suggested_filename: 'report.csv', url: server.url('/file.csv') }]);
    expect(text).toContain(`downloaded report.csv → ${path}`);
    expect(await readFile(path, 'utf8')).toBe('a,b\n1,2\n');
  });
});

describe('page actions', () => {
  it('scroll_down moves the page and fails at the bottom', async () => {
    await open('/tall', '<div style="height:3000px">tall</div>');
    const first = await act({ type: 'scroll_down', amount: null });
    expect(first.result.success).toBe(true);
    expect(await evalIn<number>('window.scrollY')).toBeGreaterThan(0);
    await act({ type: 'scroll_down', amount: 5000 });
    const stuck = await act({ type: 'scroll_down' });
    expect(stuck.result.success).toBe(false);
    expect(stuck.result.message).toContain('already at the bottom');
    expect((await act({ type: 'scroll_up', amount: 100 })).result.success).toBe(true);
  });

  it('evaluate_js returns its result in data.markdown, bare return included', async () => {
    await open('/js', doc('JS', ''));
    const expr = await act({ type: 'evaluate_js', code: 'document.title + "!"' });
    expect(expr.result.data?.markdown).toBe('JS!');
    const body = await act({ type: 'evaluate_js', code: 'const x = 2; return { x, y: [1, 2] };' });
    expect(body.result.success).toBe(true);
    expect(JSON.parse(body.result.data?.markdown ?? '')).toEqual({ x: 2, y: [1, 2] });
    const thrown = await act({ type: 'evaluate_js', code: 'throw new Error("boom")' });
    expect(thrown.result.success).toBe(false);
    expect(thrown.result.message).toContain('boom');
  });

  it('wait, completion, help and unavailable actions answer plainly', async () => {
    const waited = await act({ type: 'wait', time_ms: 50 });
    expect(waited.result.success).toBe(true);
    expect((await act({ type: 'completion', success: true, answer: '42' })).result.message).toContain('42');
    const helped = await act({ type: 'help', reason: 'stuck' });
    expect(helped.result.success).toBe(false);
    for (const type of ['captcha_solve', 'email_read', 'sms_read'] as const) {
      const r = await act({ type });
      expect(r.result.success).toBe(false);
      expect(r.result.message).toContain('not available on the local backend');
    }
  });

  it('scrape returns markdown in data', async () => {
    await open('/article', '<main><h1>Title</h1><p>Some body text here.</p></main>');
    const { result } = await act({ type: 'scrape' });
    expect(result.success, result.message).toBe(true);
    expect(result.data?.markdown).toContain('Title');
  });

});

describe('with the real observe', () => {
  /** The id observe gave the element whose accessible name is `name`. */
  function idOf(name: string): string {
    const found = [...(host.snapshot?.elements.values() ?? [])].find((d) => d.name === name);
    if (found === undefined) throw new Error(`observe listed no element named ${name}`);
    return found.id;
  }

  it('clicks and fills by observed ids', async () => {
    const { observe } = await import('../../src/page/observe.js');
    await open('/obs', doc('Obs', `<input aria-label="Email" id="e"><button onclick="document.title='sent:'+document.getElementById('e').value">Send</button>`));
    await observe(host, {});
    const filled = await act({ type: 'fill', id: idOf('Email'), value: 'a@b.c' });
    expect(filled.result.success, filled.result.message).toBe(true);
    const clicked = await act({ type: 'click', id: idOf('Send') });
    expect(clicked.result.success, clicked.result.message).toBe(true);
    expect(clicked.changes.title).toBe('sent:a@b.c');
  });

  it('re-finds an observed element after the SPA re-rendered it', async () => {
    const { observe } = await import('../../src/page/observe.js');
    await open('/obs-spa', doc('Spa', `<div id="app"></div><script>
      window.render = () => { document.getElementById('app').innerHTML = '<button onclick="window.hits=(window.hits||0)+1">Continue</button>'; };
      window.render();
    </script>`));
    await observe(host, {});
    const id = idOf('Continue');
    await evalIn('window.render()');
    const { result } = await act({ type: 'click', id });
    expect(result.success, result.message).toBe(true);
    expect(result.message).toMatch(new RegExp(`^Re-found ${id} after re-render`));
    expect(await evalIn('window.hits')).toBe(1);
  });
});
