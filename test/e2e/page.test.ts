import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startSession, startStdio } from './harness.js';
import type { StdioServer } from './harness.js';

let pages: PageServer;
let server: StdioServer;

beforeAll(async () => {
  pages = await PageServer.start();
  server = await startStdio();
});

afterAll(async () => {
  await server.close();
  await server.exited;
  await pages.close();
});

interface ObservedAction { id: string; type?: string; label?: string; value?: string; options?: string[]; checked?: boolean | 'mixed'; disabled?: boolean }

function actions(structured: Record<string, unknown>): ObservedAction[] {
  const space = structured['space'] as { interaction_actions: ObservedAction[] }; // shape enforced by the tool's output schema
  return space.interaction_actions;
}

function byLabel(list: ObservedAction[], label: string): ObservedAction {
  const found = list.find((action) => action.label === label);
  if (found === undefined) throw new Error(`no action labelled "${label}" in ${JSON.stringify(list)}`);
  return found;
}

const FORM = `
  <h1>Checkout</h1>
  <form id="f">
    <label>Email <input name="email" placeholder="you@example.com"></label>
    <label>Country <select name="country"><option>France</option><option value="de">Germany</option></select></label>
    <label><input type="checkbox" name="gift"> Gift wrap</label>
    <button type="submit">Pay now</button>
  </form>
  <p id="out"></p>
  <script>
    document.getElementById('f').addEventListener('submit', (e) => {
      e.preventDefault();
      const f = new FormData(e.target);
      document.getElementById('out').textContent = 'Paid: ' + f.get('email') + ' / ' + f.get('country') + ' / gift=' + (f.get('gift') ? 'yes' : 'no');
    });
  </script>`;

describe('the observe → step loop over stdio', () => {
  it('observes ids and labels, fills, selects, checks and submits a form for real', async () => {
    const id = await startSession(server.client, { url: pages.setContent('/form', FORM) });
    const seen = await call(server.client, 'observe', { session_id: id });
    expect(seen.isError, seen.text).toBe(false);
    expect(seen.text).toContain('# Checkout');
    expect(seen.text).toMatch(/\[I1 Email \| placeholder=you@example.com\]/);
    const list = actions(seen.structured);
    const email = byLabel(list, 'Email');
    const country = byLabel(list, 'Country');
    expect(country).toMatchObject({ type: 'select_dropdown_option', value: 'France', options: ['France', 'Germany'] });
    const gift = byLabel(list, 'Gift wrap');
    const pay = byLabel(list, 'Pay now');
    expect([email.id, country.id, gift.id, pay.id]).toEqual(['I1', 'I2', 'B1', 'B2']);

    const steps = [
      { type: 'fill', id: email.id, value: 'ada@example.com' },
      { type: 'select_dropdown_option', id: country.id, value: 'Germany' },
      { type: 'check', id: gift.id, value: true },
      { type: 'click', id: pay.id },
    ];
    for (const action of steps) {
      const result = await call(server.client, 'step', { session_id: id, ...action });
      expect(result.isError, result.text).toBe(false);
      expect(result.structured['success'], result.text).toBe(true);
      expect(result.text).toMatch(/^✓/);
    }
    const after = await call(server.client, 'scrape', { session_id: id, selector: '#out' });
    expect(after.structured['markdown']).toContain('Paid: ada@example.com / de / gift=yes');

    const status = await call(server.client, 'session_status', { session_id: id });
    const recorded = status.structured['steps'] as { type: string; value: { action?: { type: string } } }[]; // SessionStep[] per the output schema
    expect(recorded.map((s) => s.value.action?.type ?? s.type)).toEqual(['goto', 'observation', 'fill', 'select_dropdown_option', 'check', 'click', 'scrape']);
    expect(Date.parse(String(status.structured['last_accessed_at']))).toBeGreaterThan(Date.parse(String(status.structured['created_at'])));
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('answers a stale id with success=false and the next call to make', async () => {
    const id = await startSession(server.client, { url: pages.setContent('/one', '<button onclick="location.href=\'/two\'">Next page</button>') });
    pages.setContent('/two', '<p>Second page</p>');
    await call(server.client, 'observe', { session_id: id });
    const first = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' });
    expect(first.structured['success']).toBe(true);
    expect(first.structured['changes']).toMatchObject({ navigated: true });
    const stale = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1', timeout: 2000 });
    expect(stale.isError).toBe(false); // an action failure is a result, not a protocol error
    expect(stale.structured['success']).toBe(false);
    expect(String(stale.structured['message'])).toMatch(/observe/);
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('adopts a tab opened by target=_blank and lists it in metadata.tabs', async () => {
    pages.setContent('/popup', '<h1>Popup page</h1>');
    const id = await startSession(server.client, { url: pages.setContent('/opener', '<a href="/popup" target="_blank">Open popup</a>') });
    await call(server.client, 'observe', { session_id: id });
    const opened = await call(server.client, 'step', { session_id: id, type: 'click', id: 'L1' });
    const changes = opened.structured['changes'] as { new_tabs: unknown[]; tab_count: number; url: string };
    expect(changes.new_tabs.length).toBe(1);
    expect(changes.tab_count).toBe(2);
    expect(changes.url).toContain('/popup');
    const seen = await call(server.client, 'observe', { session_id: id });
    const metadata = seen.structured['metadata'] as { tabs: unknown[]; url: string };
    expect(metadata.tabs.length).toBe(2);
    expect(metadata.url).toContain('/popup');
    expect(seen.text).toContain('Popup page');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('answers a confirm dialog so the session never hangs, and reports it', async () => {
    const id = await startSession(server.client, { url: pages.setContent('/dialog', '<button onclick="document.title = confirm(\'Delete everything?\') ? \'yes\' : \'no\'">Delete</button>') });
    await call(server.client, 'observe', { session_id: id });
    const result = await call(server.client, 'step', { session_id: id, type: 'click', id: 'B1' });
    expect(result.structured['success']).toBe(true);
    const changes = result.structured['changes'] as { dialogs: { type: string; message: string }[]; title: string };
    expect(changes.dialogs).toMatchObject([{ type: 'confirm', message: 'Delete everything?' }]);
    expect(changes.title).toBe('yes');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('saves a download under the session folder and reports its path', async () => {
    pages.setRoute('/file.csv', { body: 'a,b\n1,2\n', contentType: 'text/csv', headers: { 'content-disposition': 'attachment; filename="report.csv"' } });
    const id = await startSession(server.client, { url: pages.setContent('/dl', '<a href="/file.csv">Get the report</a>') });
    await call(server.client, 'observe', { session_id: id });
    const result = await call(server.client, 'step', { session_id: id, type: 'download_file', id: 'L1' });
    expect(result.structured['success'], result.text).toBe(true);
    const downloads = (result.structured['changes'] as { downloads: { path: string | null }[] }).downloads;
    const path = downloads[0]?.path ?? '';
    expect(path).toContain(id);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,2\n');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('returns a JPEG screenshot as image content when asked', async () => {
    const id = await startSession(server.client, { screenshot_type: 'full', url: pages.setContent('/shot', '<button>Shot</button>') });
    const result = await call(server.client, 'observe', { session_id: id, screenshot: true });
    const image = result.raw.content.find((part) => part.type === 'image');
    expect(image?.type === 'image' && image.mimeType).toBe('image/jpeg');
    const bytes = Buffer.from(image?.type === 'image' ? image.data : '', 'base64');
    expect(bytes.subarray(0, 3).toString('hex')).toBe('ffd8ff');
    expect(JSON.stringify(result.structured)).not.toContain(image?.type === 'image' ? image.data.slice(0, 40) : '-'); // never base64 in JSON
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('refuses file: URLs in session_start, observe, step and scrape', async () => {
    const id = await startSession(server.client);
    const viaStep = await call(server.client, 'step', { session_id: id, type: 'goto', url: 'file:///etc/passwd' });
    expect(viaStep.structured['success']).toBe(false);
    expect(String(viaStep.structured['message'])).toMatch(/not allowed/);
    const viaObserve = await call(server.client, 'observe', { session_id: id, url: 'file:///etc/passwd' });
    expect(viaObserve.isError).toBe(true);
    const viaScrape = await call(server.client, 'scrape', { session_id: id, url: 'file:///etc/passwd' });
    expect(viaScrape.isError || viaScrape.structured['markdown'] === '').toBe(true);
    expect(JSON.stringify(viaScrape.raw)).not.toContain('root:x:0');
    await call(server.client, 'session_stop', { session_id: id });
  });

  it('answers page tools on a stopped session with a hint to start a new one', async () => {
    const id = await startSession(server.client);
    await call(server.client, 'session_stop', { session_id: id });
    for (const [tool, args] of [['observe', {}], ['step', { type: 'reload' }], ['scrape', {}]] as const) {
      const result = await call(server.client, tool, { session_id: id, ...args });
      expect(result.isError, tool).toBe(true);
      expect(result.text, tool).toMatch(/E_SESSION_NOT_ACTIVE.*closed.*session_start/);
    }
  });

  it('names the field and the fix when a step is malformed', async () => {
    const id = await startSession(server.client);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'click' }, /either an action id or a selector/],
      [{ type: 'teleport' }, /type/],
      [{ type: 'wait', time_ms: 99_999 }, /time_ms/],
      [{ type: 'goto' }, /url/],
      [{ type: 'click', id: 'B1', url: 'http://x' }, /url/],
    ];
    for (const [args, message] of cases) {
      const result = await call(server.client, 'step', { session_id: id, ...args });
      expect(result.isError, JSON.stringify(args)).toBe(true);
      expect(result.text, JSON.stringify(args)).toMatch(message);
    }
    await call(server.client, 'session_stop', { session_id: id });
  });
});
