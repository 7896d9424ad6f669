import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import type { PageServer } from '../fixtures/pageServer.js';
import { call } from './harness.js';

const FORM = `<!doctype html><title>Remote</title><h1>Remote form</h1>
  <label>Name <input name="name"></label><button onclick="document.getElementById('out').textContent = 'Hi ' + document.querySelector('input').value">Greet</button>
  <p id="out"></p>`;

/** observe → fill → click → scrape on a small form, asserting what the agent reads: the same words on every backend. */
export async function driveForm(client: Client, pages: PageServer, id: string): Promise<void> {
  const seen = await call(client, 'observe', { session_id: id, url: pages.setContent('/form', FORM) });
  expect(seen.isError, seen.text).toBe(false);
  expect(seen.text).toContain('# Remote form');
  expect(seen.text).toMatch(/\[I1 Name\]/);
  const filled = await call(client, 'step', { session_id: id, type: 'fill', id: 'I1', value: 'Ada' });
  expect(filled.structured['success'], filled.text).toBe(true);
  const clicked = await call(client, 'step', { session_id: id, type: 'click', id: 'B1' });
  expect(clicked.structured['success'], clicked.text).toBe(true);
  const out = await call(client, 'scrape', { session_id: id, selector: '#out' });
  expect(out.structured['markdown']).toContain('Hi Ada');
}
