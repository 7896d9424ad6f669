import { redactText } from './vault/redact.js';

/** Logs go to stderr only: over stdio, stdout carries the protocol. Vault secrets are redacted from every line. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: Level = 'info';

export function setLogLevel(level: Level): void {
  threshold = level;
}

export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const extra = Object.keys(fields).length === 0 ? '' : ` ${JSON.stringify(fields)}`;
  process.stderr.write(redactText(`${new Date().toISOString()} ${level} ${message}${extra}\n`));
}
