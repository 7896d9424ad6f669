import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageServer } from '../fixtures/pageServer.js';
import { call, startHttpServer, startSession, waitFor } from './harness.js';
import type { HttpServer } from './harness.js';

const MAX_BYTES = 200_000;
let pages: PageServer;
let outputDir: string;
let http: HttpServer;
let client: Client;

/** A page whose file input shows the chosen file's name and text, so the test reads what the page received. */
const UPLOAD_PAGE = `<input type="file" id="f" aria-label="Attachment" onchange="this.files[0].text().then((t) => { document.getElementById('out').textContent = this.files[0].name + ': ' + t })"><p id="out">nothing yet</p>`;

async function download(id: string, path: string, name: string, body: Buffer): Promise<void> {
  pages.setRoute(path, { body, contentType: 'application/octet-stream', headers: { 'content-disposition': `attachment; filename="${name}"` } });
  await call(client, 'step', { session_id: id, type: 'goto', url: pages.setContent(`${path}-page`, `<a href="${path}">Get ${name}</a>`) });
  await call(client, 'observe', { session_id: id });
  const step = await call(client, 'step', { session_id: id, type: 'download_file', id: 'L1' });
  expect(step.structured['success'], step.text).toBe(true);
}

beforeAll(async () => {
  pages = await PageServer.start();
  outputDir = mkdtempSync(join(tmpdir(), 'bsm-storage-'));
  http = await startHttpServer(['--caps', 'storage', '--output-dir', outputDir, '--storage-max-bytes', String(MAX_BYTES)]);
  client = (await http.connect()).client;
});

afterAll(async () => {
  await http?.stop();
  await pages.close();
  rmSync(outputDir, { recursive: true, force: true });
});

describe('file storage over HTTP: storage_list, storage_read, storage_write', () => {
  it('gives a remote client the downloaded file byte for byte, as an embedded resource', async () => {
    const original = randomBytes(64 * 1024);
    const id = await startSession(client);
    await download(id, '/data.bin', 'data.bin', original);

    const listed = await call(client, 'storage_list', { session_id: id });
    expect(listed.structured['files']).toEqual([expect.objectContaining({ name: 'downloads/data.bin', size: original.length, file_ext: 'bin' })]);

    const read = await call(client, 'storage_read', { session_id: id, file_name: 'downloads/data.bin' });
    expect(read.structured).toMatchObject({ name: 'downloads/data.bin', size: original.length, mimeType: 'application/octet-stream' });
    const resource = read.raw.content.find((part) => part.type === 'resource');
    expect(resource?.type === 'resource' && resource.resource.mimeType).toBe('application/octet-stream');
    const blob = resource?.type === 'resource' && 'blob' in resource.resource ? resource.resource.blob : '';
    expect(Buffer.from(blob, 'base64').equals(original)).toBe(true);
    // No base64 in the structured channel: it stays small.
    expect(JSON.stringify(read.structured).length).toBeLessThan(500);
    await call(client, 'session_stop', { session_id: id });
  });

  it('links a bigger file instead of embedding it; resources/read gives its bytes to its owner only', async () => {
    const original = randomBytes(150_000); // over the 128 KiB embed limit, under --storage-max-bytes
    const id = await startSession(client);
    await download(id, '/bigger.bin', 'bigger.bin', original);
    const read = await call(client, 'storage_read', { session_id: id, file_name: 'downloads/bigger.bin' });
    const link = read.raw.content.find((part) => part.type === 'resource_link');
    expect(link, read.text).toMatchObject({ type: 'resource_link', name: 'downloads/bigger.bin', mimeType: 'application/octet-stream', size: original.length });
    expect(read.raw.content.some((part) => part.type === 'resource')).toBe(false);
    const uri = link?.type === 'resource_link' ? link.uri : '';
    const fetched = await client.readResource({ uri });
    const content = fetched.contents[0];
    expect(content !== undefined && 'blob' in content && Buffer.from(content.blob, 'base64').equals(original)).toBe(true);
    const stranger = (await http.connect()).client;
    await expect(stranger.readResource({ uri })).rejects.toThrow(/No session/);
    await call(client, 'session_stop', { session_id: id });
  });

  it('keeps downloads the page starts itself (a click on a download link, a script) and lists them', async () => {
    const csv = randomBytes(20_000);
    pages.setRoute('/report.csv', { body: csv, contentType: 'text/csv' });
    const id = await startSession(client, { url: pages.setContent('/self-download', '<a href="/report.csv" download="report.csv">Report</a>') });
    await call(client, 'observe', { session_id: id });
    // A plain click, not download_file: the page's own download attribute makes it a download.
    const click = await call(client, 'step', { session_id: id, type: 'click', id: 'L1' });
    expect(click.structured['success'], click.text).toBe(true);
    const listed = await waitFor('the clicked download in storage_list', async () => (await call(client, 'storage_list', { session_id: id })).structured['files'], (files) => Array.isArray(files) && files.length === 1, 20_000);
    expect(listed).toEqual([expect.objectContaining({ name: 'downloads/report.csv', size: csv.length, file_ext: 'csv' })]);
    const read = await call(client, 'storage_read', { session_id: id, file_name: 'downloads/report.csv' });
    const resource = read.raw.content.find((part) => part.type === 'resource');
    const blob = resource?.type === 'resource' && 'blob' in resource.resource ? resource.resource.blob : '';
    expect(Buffer.from(blob, 'base64').equals(csv), read.text).toBe(true);

    // No step at all: a script builds a file and downloads it after the page loaded.
    const script = "setTimeout(() => { const a = document.createElement('a'); a.href = URL.createObjectURL(new Blob(['made,in,page'])); a.download = 'made.csv'; document.body.append(a); a.click(); }, 300)";
    await call(client, 'step', { session_id: id, type: 'goto', url: pages.setContent('/script-download', `<p>working</p><script>${script}</script>`) });
    const both = await waitFor('the script\'s download in storage_list', async () => (await call(client, 'storage_list', { session_id: id })).structured['files'], (files) => Array.isArray(files) && files.length === 2, 20_000);
    expect(both).toEqual([expect.objectContaining({ name: 'downloads/made.csv', size: 12 }), expect.objectContaining({ name: 'downloads/report.csv' })]);
    const made = await call(client, 'storage_read', { session_id: id, file_name: 'downloads/made.csv' });
    const madeBlob = made.raw.content.find((part) => part.type === 'resource');
    expect(madeBlob?.type === 'resource' && 'blob' in madeBlob.resource && Buffer.from(madeBlob.resource.blob, 'base64').toString()).toBe('made,in,page');
    await call(client, 'session_stop', { session_id: id });
  });

  it('uploads a client file through storage_write and upload_file', async () => {
    const id = await startSession(client, { url: pages.setContent('/upload', UPLOAD_PAGE) });
    const written = await call(client, 'storage_write', { session_id: id, file_name: 'note.txt', content: Buffer.from('hello from the client').toString('base64') });
    expect(written.structured, written.text).toMatchObject({ name: 'uploads/note.txt', size: 21 });
    await call(client, 'observe', { session_id: id });
    const upload = await call(client, 'step', { session_id: id, type: 'upload_file', id: 'I1', file_path: 'note.txt' });
    expect(upload.structured['success'], upload.text).toBe(true);
    await waitFor('the page to read the file', async () => (await call(client, 'scrape', { session_id: id })).text, (text) => text.includes('note.txt: hello from the client'));

    // Another session's storage is not an upload root, even by its absolute path.
    const other = await startSession(client, { url: pages.setContent('/upload-2', UPLOAD_PAGE) });
    await call(client, 'observe', { session_id: other });
    const foreign = await call(client, 'step', { session_id: other, type: 'upload_file', id: 'I1', file_path: join(outputDir, id, 'uploads', 'note.txt') });
    expect(foreign.structured['success']).toBe(false);
    expect(foreign.text).toContain('outside the folders uploads may come from');
    await call(client, 'session_stop', { session_id: other });
    await call(client, 'session_stop', { session_id: id });
  });

  it('refuses files over --storage-max-bytes both ways, with the flag in the message', async () => {
    const id = await startSession(client);
    const tooBig = await call(client, 'storage_write', { session_id: id, file_name: 'big.bin', content: randomBytes(MAX_BYTES + 1).toString('base64') });
    expect(tooBig.text).toMatch(/^E_FILE_TOO_LARGE: content has 200001 bytes.*--storage-max-bytes/);
    await download(id, '/big.bin', 'big.bin', randomBytes(MAX_BYTES + 10));
    const read = await call(client, 'storage_read', { session_id: id, file_name: 'downloads/big.bin' });
    expect(read.text).toMatch(/^E_FILE_TOO_LARGE: downloads\/big.bin has 200010 bytes.*--storage-max-bytes/);
    await call(client, 'session_stop', { session_id: id });
  });

  it('refuses names that leave the session storage, bad base64, and missing files', async () => {
    const id = await startSession(client);
    for (const name of ['../../etc/passwd', 'downloads/../../x', 'elsewhere/a.txt', 'downloads/']) {
      expect((await call(client, 'storage_read', { session_id: id, file_name: name })).text, name).toMatch(/^E_INVALID_INPUT: file_name: .*storage_list/);
    }
    for (const name of ['../x.txt', 'a/b.txt', '.hidden']) {
      expect((await call(client, 'storage_write', { session_id: id, file_name: name, content: 'aGk=' })).text, name).toMatch(/^E_INVALID_INPUT: file_name: /);
    }
    expect((await call(client, 'storage_write', { session_id: id, file_name: 'a.txt', content: 'not base64!' })).text).toMatch(/^E_INVALID_INPUT: content: not base64/);
    expect((await call(client, 'storage_read', { session_id: id, file_name: 'downloads/none.pdf' })).text).toMatch(/^E_FILE_NOT_FOUND: .*storage_list/);
    await call(client, 'session_stop', { session_id: id });
  });

  it('keeps one conversation out of another one\'s storage', async () => {
    const id = await startSession(client);
    const other = (await http.connect()).client;
    const calls: [string, Record<string, unknown>][] = [
      ['storage_list', { session_id: id }],
      ['storage_read', { session_id: id, file_name: 'uploads/note.txt' }],
      ['storage_write', { session_id: id, file_name: 'note.txt', content: 'aGk=' }],
    ];
    for (const [tool, args] of calls) {
      const result = await call(other, tool, args);
      expect(result.text, tool).toMatch(/^E_SESSION_NOT_FOUND/);
    }
    await call(client, 'session_stop', { session_id: id });
  });

  it('removes a session\'s storage when it ends', async () => {
    const id = await startSession(client);
    await call(client, 'storage_write', { session_id: id, file_name: 'gone.txt', content: 'aGk=' });
    expect(existsSync(join(outputDir, id, 'uploads', 'gone.txt'))).toBe(true);
    await call(client, 'session_stop', { session_id: id });
    expect(existsSync(join(outputDir, id))).toBe(false);
    expect((await call(client, 'storage_list', { session_id: id })).text).toMatch(/^E_SESSION_NOT_ACTIVE/);
  });

  it('with use_file_storage: false has no folder, and the storage tools, upload_file and download_file say why', async () => {
    const id = await startSession(client, { use_file_storage: false, url: pages.setContent('/upload-off', `${UPLOAD_PAGE}<a href="/data.bin">Get it</a>`) });
    expect(existsSync(join(outputDir, id))).toBe(false);
    expect((await call(client, 'storage_list', { session_id: id })).text).toMatch(/^E_NO_STORAGE: .*use_file_storage: false.*"use_file_storage": true/);
    expect((await call(client, 'storage_write', { session_id: id, file_name: 'a.txt', content: 'aGk=' })).text).toMatch(/^E_NO_STORAGE/);
    await call(client, 'observe', { session_id: id });
    const upload = await call(client, 'step', { session_id: id, type: 'upload_file', id: 'I1', file_path: 'a.txt' });
    expect(upload.structured['success']).toBe(false);
    expect(upload.text).toContain('use_file_storage: false');
    const download = await call(client, 'step', { session_id: id, type: 'download_file', id: 'L1' });
    expect(download.structured['success']).toBe(false);
    expect(download.text).toContain('use_file_storage: false');
    await call(client, 'session_stop', { session_id: id });
  });
});

describe('file storage: flags and the server temp folder', () => {
  it('--keep-storage keeps an ended session\'s files readable; without --output-dir the temp folder goes at exit', async () => {
    const kept = await startHttpServer(['--caps', 'storage', '--keep-storage']);
    try {
      const keeper = (await kept.connect()).client;
      const id = await startSession(keeper);
      await call(keeper, 'storage_write', { session_id: id, file_name: 'stay.txt', content: Buffer.from('still here').toString('base64') });
      await call(keeper, 'session_stop', { session_id: id });
      const read = await call(keeper, 'storage_read', { session_id: id, file_name: 'uploads/stay.txt' });
      const resource = read.raw.content.find((part) => part.type === 'resource');
      expect(resource?.type === 'resource' && 'blob' in resource.resource && Buffer.from(resource.resource.blob, 'base64').toString(), read.text).toBe('still here');
      // Nothing is written into an ended session, kept or not.
      expect((await call(keeper, 'storage_write', { session_id: id, file_name: 'late.txt', content: 'aGk=' })).text).toMatch(/^E_SESSION_NOT_ACTIVE/);

      const tempRoot = dirname(dirname(await downloadsFolderOf(keeper)));
      expect(tempRoot.startsWith(tmpdir())).toBe(true);
      await kept.stop();
      expect(existsSync(tempRoot)).toBe(false);
    } finally {
      await kept.stop();
    }
  });
});

/** The downloads folder of a fresh session (`<output dir>/<session id>/downloads`), from the path its download step reports. */
async function downloadsFolderOf(target: Client): Promise<string> {
  const id = await startSession(target);
  pages.setRoute('/where.txt', { body: 'x', contentType: 'text/plain', headers: { 'content-disposition': 'attachment; filename="where.txt"' } });
  await call(target, 'step', { session_id: id, type: 'goto', url: pages.setContent('/where', '<a href="/where.txt">Where</a>') });
  await call(target, 'observe', { session_id: id });
  const step = await call(target, 'step', { session_id: id, type: 'download_file', id: 'L1' });
  const path = /to (\/\S+where\.txt)/.exec(step.text)?.[1] ?? '';
  expect(readdirSync(dirname(path))).toContain('where.txt');
  return dirname(path);
}
