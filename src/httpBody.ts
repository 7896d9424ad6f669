import type { IncomingMessage } from 'node:http';

/** A body over the limit; `drained` says whether the rest was read (so the connection can be kept). */
export class BodyTooLarge extends Error {
  readonly drained: boolean;

  constructor(size: number, limit: number, drained: boolean) {
    super(`Request body too large: ${drained ? '' : 'over '}${size} bytes, over the server's limit of ${limit} bytes (--max-request-bytes). Send smaller arguments.`);
    this.name = 'BodyTooLarge';
    this.drained = drained;
  }
}

/** Past this many times the limit, the rest is not even read: the connection is closed after the 413. */
const DRAIN_FACTOR = 8;

/**
 * Reads a JSON body of at most `limit` bytes. A larger one is read to its end without being kept (so the client,
 * still sending, gets the 413 instead of a reset), up to DRAIN_FACTOR × limit; a declared Content-Length over the
 * limit is refused before reading.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) throw new BodyTooLarge(declared, limit, false);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit * DRAIN_FACTOR) throw new BodyTooLarge(size, limit, false);
    if (size <= limit) chunks.push(buffer);
  }
  if (size > limit) throw new BodyTooLarge(size, limit, true);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}
