import { z } from 'zod';
import { BsmError } from '../errors.js';
import { MAX_NAME } from '../notte/limits.js';
import { sessionIdArg } from '../notte/session.js';
import { MAX_BASE64 } from '../notte/state.js';
import { TOOL } from '../notte/toolNames.js';
import { mimeTypeOf } from '../stores/mimeType.js';
import { defineTool } from './defineTool.js';
import { storageUri } from './storageResource.js';

const FileInfo = z.object({ name: z.string(), size: z.number().int(), file_ext: z.string(), updated_at: z.string() });
const fileNameArg = z.string().min(1).max(MAX_NAME);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Bigger files come back as a resource link the client reads itself, keeping their bytes out of the model's context. */
export const EMBED_MAX_BYTES = 128 * 1024;

export const storageList = defineTool({
  name: TOOL.storageList,
  title: 'List session files',
  description: `Files in the session's storage: downloads/ (what the browser saved) and uploads/ (from ${TOOL.storageWrite}). Read one with ${TOOL.storageRead}.`,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ session_id: sessionIdArg }),
  output: z.object({ files: z.array(FileInfo) }),
  async handle({ session_id }, ctx) {
    const files = ctx.state.storageList(session_id);
    return { text: [`${files.length} file(s)`, ...files.map((file) => `${file.name} (${file.size} bytes)`)].join('\n'), structured: { files } };
  },
});

export const storageRead = defineTool({
  name: TOOL.storageRead,
  title: 'Read a session file',
  description: 'One file of the session storage with its MIME type: embedded (base64) up to 128 KiB, else a resource link to resources/read.',
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({ session_id: sessionIdArg, file_name: fileNameArg.describe('As listed, e.g. downloads/a.pdf.') }),
  output: FileInfo.extend({ mimeType: z.string(), uri: z.string() }),
  async handle({ session_id, file_name }, ctx) {
    const { info, bytes } = await ctx.state.storageRead(session_id, file_name);
    const mimeType = mimeTypeOf(info.name);
    const uri = storageUri(session_id, info.name);
    const resource = info.size <= EMBED_MAX_BYTES
      ? { type: 'resource' as const, resource: { uri, mimeType, blob: bytes.toString('base64') } }
      : { type: 'resource_link' as const, uri, name: info.name, mimeType, size: info.size };
    const how = resource.type === 'resource' ? 'embedded' : `linked: read ${uri} with resources/read`;
    return { text: `${info.name}: ${info.size} bytes, ${mimeType}, ${how}`, structured: { ...info, mimeType, uri }, resources: [resource] };
  },
});

export const storageWrite = defineTool({
  name: TOOL.storageWrite,
  title: 'Write a session file',
  description: `Put a file into the session's uploads/, for a ${TOOL.step} upload_file with file_path = file_name.`,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: z.strictObject({
    session_id: sessionIdArg,
    file_name: fileNameArg.describe('Plain name, e.g. cv.pdf.'),
    content: z.string().max(MAX_BASE64).describe('File bytes, base64.'),
  }),
  output: FileInfo,
  async handle({ session_id, file_name, content }, ctx) {
    // Node's decoder skips bad characters silently; a client's typo must not become a corrupt upload.
    if (!BASE64.test(content.replace(/\s+/g, ''))) {
      throw new BsmError('E_INVALID_INPUT', 'content: not base64.', `Encode the file's bytes as base64 and call ${TOOL.storageWrite} again.`);
    }
    const info = await ctx.state.storageWrite(session_id, file_name, Buffer.from(content, 'base64'));
    return { text: `Wrote ${info.name} (${info.size} bytes). Upload it with ${TOOL.step} upload_file file_path "${file_name}".`, structured: info };
  },
});
