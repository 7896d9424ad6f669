import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/**
 * A fuzzer that derives malformed calls from the schemas the server advertises in tools/list: wrong types,
 * missing required fields, out-of-range numbers, over-long and huge strings, wrong enum values, unknown fields and
 * nested garbage. Every call is bounded; the run counts crashes (E_INTERNAL, a dead server), hangs (no answer in
 * time) and error results that do not name the field that was broken.
 */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
}

export interface AdvertisedTool {
  name: string;
  inputSchema: JsonSchema;
}

export interface FuzzCase {
  tool: string;
  args: Record<string, unknown>;
  /** Fields the mutation broke; an error result must name one of them. */
  fields: string[];
  kind: string;
}

export interface FuzzReport {
  calls: number;
  errors: number;
  accepted: number;
  crashes: { case: FuzzCase; text: string }[];
  hangs: FuzzCase[];
  unnamed: { case: FuzzCase; text: string }[];
  maxMs: number;
  p95Ms: number;
  kinds: Record<string, number>;
}

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with its seed. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'] as const;
type JsonType = (typeof JSON_TYPES)[number];

function variants(schema: JsonSchema): JsonSchema[] {
  const nested = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return nested.length > 0 ? nested.flatMap(variants) : [schema];
}

function acceptedTypes(schema: JsonSchema): Set<JsonType> {
  const types = new Set<JsonType>();
  for (const variant of variants(schema)) {
    const declared = variant.type === undefined ? [] : Array.isArray(variant.type) ? variant.type : [variant.type];
    if (declared.length === 0 && variant.enum === undefined && variant.const === undefined) return new Set(JSON_TYPES); // {}: anything
    for (const type of declared) if ((JSON_TYPES as readonly string[]).includes(type)) types.add(type as JsonType); // checked by includes
    for (const value of [...(variant.enum ?? []), ...(variant.const === undefined ? [] : [variant.const])]) types.add(value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType));
  }
  if (types.has('number')) types.add('integer');
  return types;
}

function deepGarbage(depth: number): unknown {
  let value: unknown = { '': [null, '\u0000', -0, 1e308] };
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { [`k${i}`]: value };
  return value;
}

const SAMPLE_OF: Record<JsonType, () => unknown> = {
  string: () => 'fuzz',
  number: () => 1.5,
  integer: () => 7,
  boolean: () => true,
  null: () => null,
  array: () => ['fuzz', 1, null],
  object: () => ({ fuzz: { nested: [1, 2, 3] } }),
};

/** Values a field must not accept, each with what it tests. */
export function badValues(schema: JsonSchema): { kind: string; value: unknown }[] {
  const accepted = acceptedTypes(schema);
  const out: { kind: string; value: unknown }[] = [];
  for (const type of JSON_TYPES) {
    if (accepted.has(type)) continue;
    if (type === 'integer' && accepted.has('number')) continue;
    if (type === 'number' && accepted.has('integer')) {
      out.push({ kind: 'fractional', value: 2.5 });
      continue;
    }
    out.push({ kind: `wrong type ${type}`, value: SAMPLE_OF[type]() });
  }
  for (const variant of variants(schema)) {
    const min = variant.minimum ?? variant.exclusiveMinimum;
    const max = variant.maximum ?? variant.exclusiveMaximum;
    if (min !== undefined && min > -Number.MAX_SAFE_INTEGER) out.push({ kind: 'below minimum', value: min - 1 });
    if (max !== undefined && max < Number.MAX_SAFE_INTEGER) out.push({ kind: 'above maximum', value: max + 1 });
    if (variant.type === 'integer' || variant.type === 'number') out.push({ kind: 'huge number', value: 1e308 });
    if (variant.enum !== undefined && variant.enum.every((value) => typeof value === 'string')) out.push({ kind: 'wrong enum', value: 'not-a-member' });
    if (variant.type === 'string' && variant.maxLength !== undefined) out.push({ kind: 'over maxLength', value: 'm'.repeat(variant.maxLength + 1) });
    if (variant.type === 'string' && variant.minLength !== undefined && variant.minLength > 0) out.push({ kind: 'under minLength', value: '' });
    if (variant.type === 'array' && variant.maxItems !== undefined) out.push({ kind: 'too many items', value: Array.from({ length: variant.maxItems + 1 }, () => SAMPLE_OF.string()) });
    if (variant.type === 'array' && variant.items !== undefined) {
      const inner = badValues(variant.items).find((bad) => bad.kind.startsWith('wrong type'));
      if (inner !== undefined) out.push({ kind: `array item ${inner.kind}`, value: [inner.value] });
    }
  }
  if (!accepted.has('array') || !accepted.has('object')) out.push({ kind: 'nested garbage', value: accepted.has('array') ? deepGarbage(41) : deepGarbage(40) });
  return dedupe(out);
}

function dedupe(values: { kind: string; value: unknown }[]): { kind: string; value: unknown }[] {
  const seen = new Set<string>();
  return values.filter((entry) => {
    const key = `${entry.kind}:${JSON.stringify(entry.value).slice(0, 200)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Strings that are well-typed but hostile: huge, control characters, odd unicode. Accepting them is fine; crashing is not. */
const HOSTILE_STRINGS = (): { kind: string; value: string }[] => [
  { kind: 'huge string', value: 'h'.repeat(1024 * 1024) },
  { kind: 'control characters', value: 'a\u0000b\r\nc\u001b[31m' },
  { kind: 'lone surrogate', value: '\ud800x\udfff' },
  { kind: 'prototype key', value: '__proto__' },
];

/** Every deterministic case for one tool: missing fields, unknown fields, each bad value of each field. */
export function casesFor(tool: AdvertisedTool, base: Record<string, unknown>): { fixed: FuzzCase[]; singles: FuzzCase[] } {
  const properties = tool.inputSchema.properties ?? {};
  const required = tool.inputSchema.required ?? [];
  const fixed: FuzzCase[] = [];
  for (const field of required) {
    const args = Object.fromEntries(Object.entries(base).filter(([key]) => key !== field));
    fixed.push({ tool: tool.name, args, fields: [field], kind: 'missing required' });
  }
  fixed.push({ tool: tool.name, args: { ...base, unknown_field_xyz: 1 }, fields: ['unknown_field_xyz'], kind: 'unknown field' });
  fixed.push({ tool: tool.name, args: { ...base, [`x${'u'.repeat(5000)}`]: deepGarbage(20) }, fields: ['xuuu'], kind: 'unknown long field' });
  const singles: FuzzCase[] = [];
  for (const [field, schema] of Object.entries(properties)) {
    for (const bad of badValues(schema)) singles.push({ tool: tool.name, args: { ...base, [field]: bad.value }, fields: [field], kind: bad.kind });
    if (acceptedTypes(schema).has('string')) {
      for (const hostile of HOSTILE_STRINGS()) fixed.push({ tool: tool.name, args: { ...base, [field]: hostile.value }, fields: [field], kind: `accepted? ${hostile.kind}` });
    }
  }
  return { fixed: [...fixed, ...singles], singles };
}

/** Error codes that are about one field by definition: an unknown session id is a session_id error. */
const CODE_FIELDS: Record<string, string> = { E_SESSION_NOT_FOUND: 'session_id', E_BAD_CURSOR: 'cursor', E_SELECTOR_NOT_FOUND: 'selector' };

/** Whether a mutation's error text names (one of) its fields; long names count by their first characters. */
function namesField(text: string, fields: string[]): boolean {
  const lower = text.toLowerCase();
  const byCode = Object.entries(CODE_FIELDS).filter(([code]) => text.includes(code)).map(([, field]) => field);
  return fields.some((field) => byCode.includes(field) || lower.includes(field.slice(0, 60).toLowerCase()));
}

function resultText(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/**
 * Runs `cases` through `client` with `concurrency` calls in flight, each bounded by `timeoutMs`.
 * `afterAccepted` runs for a call that succeeded (e.g. to stop a session a mutation happened to start).
 */
export async function runCases(
  client: Client,
  cases: FuzzCase[],
  options: { concurrency: number; timeoutMs: number; afterAccepted?: (fuzzCase: FuzzCase, result: CallToolResult) => Promise<void> },
): Promise<FuzzReport> {
  const report: FuzzReport = { calls: 0, errors: 0, accepted: 0, crashes: [], hangs: [], unnamed: [], maxMs: 0, p95Ms: 0, kinds: {} };
  const times: number[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < cases.length; index = next++) {
      const fuzzCase = cases[index];
      if (fuzzCase === undefined) continue;
      report.kinds[fuzzCase.kind] = (report.kinds[fuzzCase.kind] ?? 0) + 1;
      const started = performance.now();
      let text: string;
      let isError: boolean;
      try {
        const result = (await client.callTool({ name: fuzzCase.tool, arguments: fuzzCase.args }, undefined, { timeout: options.timeoutMs })) as CallToolResult; // no task results are requested
        text = resultText(result);
        isError = result.isError === true;
        if (!isError) await options.afterAccepted?.(fuzzCase, result);
      } catch (error: unknown) {
        text = error instanceof Error ? error.message : String(error);
        isError = true;
        if (/Request timed out|timed out/i.test(text)) report.hangs.push(fuzzCase);
        else if (/Connection closed|not connected/i.test(text)) report.crashes.push({ case: fuzzCase, text });
      }
      const ms = performance.now() - started;
      times.push(ms);
      report.maxMs = Math.max(report.maxMs, ms);
      report.calls += 1;
      if (!isError) {
        report.accepted += 1;
        continue;
      }
      report.errors += 1;
      if (/E_INTERNAL/.test(text)) report.crashes.push({ case: fuzzCase, text: text.slice(0, 500) });
      else if (!namesField(text, fuzzCase.fields)) report.unnamed.push({ case: fuzzCase, text: text.slice(0, 500) });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  times.sort((a, b) => a - b);
  report.p95Ms = times[Math.floor(times.length * 0.95)] ?? 0;
  return report;
}

/** Builds the cases for every advertised tool: all deterministic ones, then random double mutations up to `total`. */
export function buildCases(tools: AdvertisedTool[], baseFor: (tool: string) => Record<string, unknown>, total: number, seed: number): FuzzCase[] {
  const random = rng(seed);
  const perTool = tools.map((tool) => casesFor(tool, baseFor(tool.name)));
  const cases = perTool.flatMap((entry) => entry.fixed);
  const pools = perTool.map((entry) => entry.singles).filter((singles) => singles.length > 0);
  for (let i = 0; cases.length < total && pools.length > 0; i += 1) {
    const singles = pools[i % pools.length] ?? [];
    const a = singles[Math.floor(random() * singles.length)];
    const b = singles[Math.floor(random() * singles.length)];
    if (a === undefined || b === undefined) continue;
    cases.push({ tool: a.tool, args: { ...a.args, ...b.args }, fields: [...new Set([...a.fields, ...b.fields])], kind: 'double mutation' });
  }
  return cases;
}
