import { z } from 'zod';

export type Validation = { ok: true } | { ok: false; error: string };

export interface CompiledSchema {
  validate(value: unknown): Validation;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasKey(value: unknown, key: string): boolean {
  if (Array.isArray(value)) return value.some((item) => hasKey(item, key));
  if (!isRecord(value)) return false;
  return Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

/**
 * Compiles a JSON Schema with zod's own converter (z.fromJSONSchema), picking the dialect from the schema:
 * `definitions` means draft-7, `nullable: true` means OpenAPI 3.0, anything else 2020-12.
 * Errors name the path: `$.items[2].price: Invalid input: expected number, received string`.
 */
export function compileJsonSchema(schema: unknown): CompiledSchema | { error: string } {
  if (!isRecord(schema) && typeof schema !== 'boolean') return { error: 'response_format must be a JSON Schema object.' };
  const defaultTarget = hasKey(schema, 'nullable') ? 'openapi-3.0' : hasKey(schema, 'definitions') && !hasKey(schema, '$defs') ? 'draft-7' : 'draft-2020-12';
  let compiled: z.ZodType;
  try {
    // fromJSONSchema's parameter is zod's JSONSchema type; any object is accepted at runtime and checked there.
    compiled = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0], { defaultTarget });
  } catch (error: unknown) {
    return { error: `response_format is not a usable JSON Schema: ${error instanceof Error ? error.message : String(error)}` };
  }
  return {
    validate(value: unknown): Validation {
      const result = compiled.safeParse(value);
      if (result.success) return { ok: true };
      const lines = result.error.issues.slice(0, 8).map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
      if (result.error.issues.length > 8) lines.push(`… and ${result.error.issues.length - 8} more`);
      return { ok: false, error: lines.join('; ') };
    },
  };
}

/** A read-only view of the schema subset deterministic extraction understands. */
export interface SchemaView {
  types: Set<'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null'>;
  properties: Map<string, SchemaView>;
  required: string[];
  items: SchemaView | undefined;
  enumValues: unknown[] | undefined;
  title: string;
  description: string;
}

const TYPE_NAMES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const);
type TypeName = SchemaView['types'] extends Set<infer T> ? T : never;

function isTypeName(value: unknown): value is TypeName {
  return typeof value === 'string' && (TYPE_NAMES as Set<string>).has(value);
}

/** Resolves local `#/$defs/x` and `#/definitions/x` references; anything else is left unresolved (empty view). */
function resolve(node: unknown, root: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
  if (!isRecord(node)) return undefined;
  const ref = node['$ref'];
  if (typeof ref !== 'string') return node;
  if (depth > 16) return undefined;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (match === null) return undefined;
  const defs = root[match[1] ?? ''];
  return isRecord(defs) ? resolve(defs[match[2] ?? ''], root, depth + 1) : undefined;
}

export function viewSchema(schema: unknown, root?: Record<string, unknown>, depth = 0): SchemaView {
  const top = root ?? (isRecord(schema) ? schema : {});
  const node = resolve(schema, top, depth) ?? {};
  const view: SchemaView = {
    types: new Set(),
    properties: new Map(),
    required: Array.isArray(node['required']) ? node['required'].filter((r): r is string => typeof r === 'string') : [],
    items: undefined,
    enumValues: Array.isArray(node['enum']) ? node['enum'] : undefined,
    title: typeof node['title'] === 'string' ? node['title'] : '',
    description: typeof node['description'] === 'string' ? node['description'] : '',
  };
  const type = node['type'];
  for (const t of Array.isArray(type) ? type : [type]) if (isTypeName(t)) view.types.add(t);
  if (node['nullable'] === true) view.types.add('null');
  // anyOf/oneOf of a schema and {type: null} is how optional values are usually spelled.
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = node[key];
    if (!Array.isArray(options) || depth > 16) continue;
    for (const option of options) {
      const sub = viewSchema(option, top, depth + 1);
      for (const t of sub.types) view.types.add(t);
      for (const [name, prop] of sub.properties) view.properties.set(name, prop);
      view.items ??= sub.items;
      view.enumValues ??= sub.enumValues;
    }
  }
  if (view.enumValues !== undefined && view.types.size === 0) {
    for (const value of view.enumValues) {
      if (typeof value === 'string') view.types.add('string');
      else if (typeof value === 'number') view.types.add('number');
    }
  }
  const properties = node['properties'];
  if (isRecord(properties) && depth <= 16) {
    view.types.add('object');
    for (const [name, prop] of Object.entries(properties)) view.properties.set(name, viewSchema(prop, top, depth + 1));
  }
  if (node['items'] !== undefined && depth <= 16) {
    view.types.add('array');
    view.items = viewSchema(node['items'], top, depth + 1);
  }
  return view;
}
