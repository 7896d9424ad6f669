import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { BsmError, excerpt } from '../errors.js';
import { TOOL } from '../notte/toolNames.js';

/** Where the browser's downloads land, and where storage_write puts the client's files for upload_file. */
export const STORAGE_FOLDERS = ['downloads', 'uploads'] as const;
export type StorageFolder = (typeof STORAGE_FOLDERS)[number];

/** The API's FileInfo, with the folder the name is relative to. */
export interface FileInfo {
  name: string;
  size: number;
  file_ext: string;
  updated_at: string;
}

/** One file name, no folders: what a page or a client names cannot climb out of the session's storage. */
const FILE_NAME = /^[^/\\\0]{1,255}$/;

/** A session's storage names its files "downloads/<name>" or "uploads/<name>". */
export function parseStoragePath(path: string): { folder: StorageFolder; name: string } {
  const [folder, name, ...rest] = path.split('/');
  const known = STORAGE_FOLDERS.find((candidate) => candidate === folder);
  if (known === undefined || name === undefined || rest.length > 0 || !FILE_NAME.test(name) || name === '.' || name === '..') {
    throw new BsmError('E_INVALID_INPUT', `file_name: ${JSON.stringify(excerpt(path))} is not a file of the session's storage.`, `Use a name from ${TOOL.storageList}, e.g. "downloads/report.pdf".`);
  }
  return { folder: known, name };
}

export function checkUploadName(name: string): void {
  if (!FILE_NAME.test(name) || name === '.' || name === '..' || name.startsWith('.')) {
    throw new BsmError('E_INVALID_INPUT', `file_name: ${JSON.stringify(excerpt(name))} is not a plain file name.`, 'Use a name without folders or a leading dot, e.g. "resume.pdf".');
  }
}

/** One session's folder under the server's output dir: downloads/ and uploads/. */
export class SessionStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  dir(folder: StorageFolder): string {
    return join(this.root, folder);
  }

  create(): void {
    for (const folder of STORAGE_FOLDERS) mkdirSync(this.dir(folder), { recursive: true, mode: 0o700 });
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  list(): FileInfo[] {
    const files: FileInfo[] = [];
    for (const folder of STORAGE_FOLDERS) {
      let names: string[];
      try {
        names = readdirSync(this.dir(folder));
      } catch {
        continue; // not created yet
      }
      for (const name of names.sort()) {
        const info = statSync(join(this.dir(folder), name), { throwIfNoEntry: false });
        // Partial downloads and our own temp files start with a dot.
        if (info?.isFile() !== true || name.startsWith('.')) continue;
        files.push({ name: `${folder}/${name}`, size: info.size, file_ext: extname(name).replace(/^\./, ''), updated_at: info.mtime.toISOString() });
      }
    }
    return files;
  }

  /** The file's bytes, refused past `maxBytes` before any is read. */
  async read(path: string, maxBytes: number): Promise<{ info: FileInfo; bytes: Buffer }> {
    const { folder, name } = parseStoragePath(path);
    const file = join(this.dir(folder), name);
    const info = statSync(file, { throwIfNoEntry: false });
    if (info?.isFile() !== true) {
      throw new BsmError('E_FILE_NOT_FOUND', `No file ${JSON.stringify(excerpt(path))} in this session's storage.`, `Call ${TOOL.storageList} for the names.`);
    }
    if (info.size > maxBytes) {
      throw new BsmError('E_FILE_TOO_LARGE', `${excerpt(path)} has ${info.size} bytes, more than this server returns (${maxBytes}, --storage-max-bytes).`, 'Ask the operator to raise --storage-max-bytes.');
    }
    return { info: { name: path, size: info.size, file_ext: extname(name).replace(/^\./, ''), updated_at: info.mtime.toISOString() }, bytes: await readFile(file) };
  }

  /** Writes the client's file into uploads/ (temp + rename, so upload_file never sees half of it). */
  async write(name: string, bytes: Buffer): Promise<FileInfo> {
    checkUploadName(name);
    mkdirSync(this.dir('uploads'), { recursive: true, mode: 0o700 });
    const file = join(this.dir('uploads'), name);
    const temp = join(this.dir('uploads'), `.${name}.${Date.now()}.tmp`);
    await writeFile(temp, bytes, { mode: 0o600 });
    await rename(temp, file);
    return { name: `uploads/${name}`, size: bytes.length, file_ext: extname(name).replace(/^\./, ''), updated_at: new Date().toISOString() };
  }
}
