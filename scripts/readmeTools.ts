/**
 * The README's tool section, rendered from tools as a client receives them (tools/list), not from our zod
 * schemas: if the wire loses a field, the README loses it too, and `readme --check` fails.
 */
export interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxLength?: number;
  maxItems?: number;
  items?: JsonSchemaNode;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
}

export interface WireTool {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema: JsonSchemaNode;
}

function size(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return String(bytes);
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum !== undefined) return node.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  if (node.const !== undefined) return JSON.stringify(node.const);
  const variants = node.anyOf ?? node.oneOf;
  if (variants !== undefined) return [...new Set(variants.map(typeOf))].join(' \\| ');
  const type = Array.isArray(node.type) ? node.type.join(' \\| ') : (node.type ?? 'any');
  const low = node.minimum ?? (node.exclusiveMinimum === undefined ? undefined : node.exclusiveMinimum + 1);
  const range = low !== undefined || node.maximum !== undefined ? ` ${low ?? ''}–${node.maximum ?? ''}` : '';
  const length = node.maxLength === undefined ? '' : ` ≤ ${size(node.maxLength)}`;
  const items = node.maxItems === undefined ? '' : ` ≤ ${node.maxItems}`;
  return `${type}${range}${length}${items}`;
}

/** `capOf` names the --caps group a tool is listed with; the session loop has none. */
export function toolsSection(tools: readonly WireTool[], capOf: (name: string) => string | undefined): string {
  const parts: string[] = [];
  for (const tool of tools) {
    const cap = capOf(tool.name);
    parts.push(`### \`${tool.name}\`: ${tool.title ?? tool.name}`, '', `${cap === undefined ? '' : `With \`--caps ${cap}\`. `}${tool.description ?? ''}`, '');
    const required = new Set(tool.inputSchema.required ?? []);
    const rows = Object.entries(tool.inputSchema.properties ?? {}).map(([name, node]) => {
      const fallback = node.default === undefined ? '' : ` = \`${JSON.stringify(node.default)}\``;
      return `| \`${name}\`${required.has(name) ? ' (required)' : ''} | ${typeOf(node)}${fallback} | ${(node.description ?? '').replaceAll('|', '\\|')} |`;
    });
    if (rows.length > 0) parts.push('| argument | type | what it does |', '|---|---|---|', ...rows, '');
  }
  return parts.join('\n').trim();
}
