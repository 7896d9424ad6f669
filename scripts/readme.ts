import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { OPTIONS } from '../src/config.js';
import { TOOLS } from '../src/tools/index.js';

/** Regenerates the README's tool and configuration sections from the definitions (or, with --check, compares). */
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum !== undefined) return node.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  const variants = node.anyOf ?? node.oneOf;
  if (variants !== undefined) return [...new Set(variants.map(typeOf))].join(' \\| ');
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'object');
  const low = node.minimum ?? (node.exclusiveMinimum === undefined ? undefined : node.exclusiveMinimum + 1);
  const range = low !== undefined || node.maximum !== undefined ? ` ${low ?? ''}–${node.maximum ?? ''}` : '';
  return `${type}${range}`;
}

function toolsSection(): string {
  const parts: string[] = [];
  for (const tool of TOOLS) {
    parts.push(`### \`${tool.name}\`: ${tool.title}`, '', tool.description, '');
    // io: 'input' renders fields with defaults as optional, as a caller sees them.
    const schema = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode; // toJSONSchema's result type is a loose record
    const required = new Set(schema.required ?? []);
    const rows = Object.entries(schema.properties ?? {}).map(([name, node]) => {
      const fallback = node.default === undefined ? '' : ` = \`${JSON.stringify(node.default)}\``;
      return `| \`${name}\`${required.has(name) ? ' (required)' : ''} | ${typeOf(node)}${fallback} | ${(node.description ?? '').replaceAll('|', '\\|')} |`;
    });
    if (rows.length > 0) parts.push('| argument | type | what it does |', '|---|---|---|', ...rows, '');
  }
  return parts.join('\n').trim();
}

function configSection(): string {
  const rows = OPTIONS.map((option) => {
    const fallback = option.default === '' ? '—' : `\`${option.default}\``;
    return `| \`--${option.flag}\` | \`${option.env}\` | ${fallback} | ${option.description} |`;
  });
  return ['| flag | env var | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

function replaceBetween(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

const current = readFileSync(README, 'utf8');
const next = replaceBetween(replaceBetween(current, 'tools', toolsSection()), 'config', configSection());
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md is out of date: run `npm run readme`.');
    process.exit(1);
  }
  console.log('README.md is up to date.');
} else {
  writeFileSync(README, next);
  console.log('README.md regenerated.');
}
