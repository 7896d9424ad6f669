import process from 'node:process';
import type { Readable, Writable } from 'node:stream';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/**
 * MCP over stdio, one JSON-RPC message per line, with a bound on a line's length. The SDK's own transport joins
 * every chunk into one buffer (quadratic on a long line), closes itself past 10 MiB and pauses stdin, after which
 * the server neither answers nor sees EOF. Here a line over the limit is skipped as it streams in, answered with an
 * error for its id (read from the line's first or last bytes, where clients put it), and the server keeps serving.
 */

/** Bytes kept of an over-long line's start and end: enough to find its "id". */
const EDGE_BYTES = 512;
export const REQUEST_TOO_LARGE = -32600;
const PARSE_ERROR = -32700;

type RequestId = string | number;

interface Overflow {
  size: number;
  head: Buffer;
  tail: Buffer;
}

export class GuardedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #stdin: Readable;
  readonly #stdout: Writable;
  readonly #maxBytes: number;
  #chunks: Buffer[] = [];
  #size = 0;
  #overflow: Overflow | undefined;
  #closed = false;

  constructor(options: { maxBytes: number; stdin?: Readable; stdout?: Writable }) {
    this.#maxBytes = options.maxBytes;
    this.#stdin = options.stdin ?? process.stdin;
    this.#stdout = options.stdout ?? process.stdout;
  }

  async start(): Promise<void> {
    this.#stdin.on('data', this.#onData);
    this.#stdin.on('error', this.#onError);
    this.#stdin.once('end', this.#onEnd);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return;
    await new Promise<void>((resolve) => {
      if (this.#stdout.write(`${JSON.stringify(message)}\n`)) resolve();
      else this.#stdout.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stdin.off('data', this.#onData);
    this.#stdin.off('error', this.#onError);
    this.#stdin.off('end', this.#onEnd);
    this.#chunks = [];
    this.onclose?.();
  }

  readonly #onError = (error: Error): void => {
    this.onerror?.(error);
  };

  readonly #onEnd = (): void => {
    void this.close();
  };

  readonly #onData = (data: Buffer | string): void => {
    let chunk = typeof data === 'string' ? Buffer.from(data) : data;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10)) {
      this.#append(chunk.subarray(0, newline));
      this.#endLine();
      chunk = chunk.subarray(newline + 1);
    }
    if (chunk.length > 0) this.#append(chunk);
  };

  #append(part: Buffer): void {
    if (part.length === 0) return;
    const overflow = this.#overflow;
    if (overflow !== undefined) {
      overflow.size += part.length;
      overflow.tail = Buffer.concat([overflow.tail, part]).subarray(-EDGE_BYTES);
      return;
    }
    if (this.#size + part.length <= this.#maxBytes) {
      this.#chunks.push(part);
      this.#size += part.length;
      return;
    }
    const sofar = Buffer.concat([...this.#chunks, part]);
    this.#overflow = { size: sofar.length, head: Buffer.from(sofar.subarray(0, EDGE_BYTES)), tail: Buffer.from(sofar.subarray(-EDGE_BYTES)) };
    this.#chunks = [];
    this.#size = 0;
  }

  #endLine(): void {
    const overflow = this.#overflow;
    this.#overflow = undefined;
    if (overflow !== undefined) {
      this.#tooLarge(overflow);
      return;
    }
    const line = Buffer.concat(this.#chunks).toString('utf8').replace(/\r$/, '');
    this.#chunks = [];
    this.#size = 0;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = JSONRPCMessageSchema.parse(JSON.parse(line));
    } catch (error: unknown) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      const id = findId(line.slice(0, EDGE_BYTES), line.slice(-EDGE_BYTES));
      void this.send(errorMessage(id, PARSE_ERROR, 'Parse error: the line is not a JSON-RPC 2.0 message.'));
      return;
    }
    this.onmessage?.(message);
  }

  #tooLarge(overflow: Overflow): void {
    const id = findId(overflow.head.toString('utf8'), overflow.tail.toString('utf8'));
    const text = `Request too large: ${overflow.size} bytes, over the server's limit of ${this.#maxBytes} bytes (--max-request-bytes). Send smaller arguments.`;
    this.onerror?.(new Error(text));
    // A notification (no id) gets no answer; a request whose id cannot be read gets one without an id.
    if (id === undefined && /"method"\s*:\s*"notifications\//.test(overflow.head.toString('utf8'))) return;
    void this.send(errorMessage(id, REQUEST_TOO_LARGE, text));
  }
}

function errorMessage(id: RequestId | undefined, code: number, message: string): JSONRPCMessage {
  // JSONRPCMessage's error variant takes an optional id; an unreadable one is left out rather than sent as null.
  return id === undefined ? { jsonrpc: '2.0', error: { code, message } } : { jsonrpc: '2.0', id, error: { code, message } };
}

/** The request id, when the line starts or ends with it (`{"jsonrpc":"2.0","id":7,…` or `…,"id":7}`). */
export function findId(head: string, tail: string): RequestId | undefined {
  const value = String.raw`(-?\d{1,15}|"(?:[^"\\]|\\.){0,200}")`;
  const atStart = new RegExp(String.raw`^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*${value}`).exec(head);
  const atEnd = new RegExp(String.raw`[,{]\s*"id"\s*:\s*${value}\s*\}\s*$`).exec(tail);
  const raw = atStart?.[1] ?? atEnd?.[1];
  if (raw === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'string' || typeof parsed === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
