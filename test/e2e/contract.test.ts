import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool as ListedTool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolDefinitionTokens } from '../../bench/tokens.js';
import { toolsSection } from '../../scripts/readmeTools.js';
import type { JsonSchemaNode } from '../../scripts/readmeTools.js';
import { UNADVERTISED_KEY } from '../../src/notte/limits.js';
import { StepInput } from '../../src/tools/step.js';
import { BROWSER_ACTION_TYPES, INTERACTION_ACTION_TYPES } from '../../src/notte/actions.js';
import { CAPS, TOOLS } from '../../src/tools/index.js';
import { CAP_NAMES } from '../../src/notte/toolNames.js';
import { startHttpServer, startStdio } from './harness.js';
import type { HttpServer, StdioServer } from './harness.js';

const ACTION_TYPES = [...INTERACTION_ACTION_TYPES, ...BROWSER_ACTION_TYPES];
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The budget every model turn pays for the tools a default server lists (issue 7). */
const TOOL_DEFINITION_BUDGET = 2_500;
/** What a server lists without --caps: the session loop. */
const CORE_TOOLS = ['session_start', 'observe', 'step', 'scrape', 'session_status', 'session_list', 'session_stop'];
/** With --caps all, every tool together stays under @playwright/mcp's 3,745 (its 25 tools). */
const ALL_TOOLS_BUDGET = 3_600;

/** Step fields accepted for Notte compatibility that do nothing here, so tools/list leaves them out. */
const STEP_UNADVERTISED = [
  'captcha_type', 'instructions', 'response_format', 'limit', 'timedelta', 'only_unread', 'text_label', 'category', 'description',
  // the scrape action's options: the scrape tool advertises its own
  'only_main_content', 'only_images', 'scrape_links', 'scrape_images', 'ignored_tags',
];

function stringNodes(node: JsonSchemaNode, path: string, out: Array<{ path: string; node: JsonSchemaNode }>): void {
  if (node.type === 'string' || (Array.isArray(node.type) && node.type.includes('string'))) out.push({ path, node });
  for (const variant of node.anyOf ?? node.oneOf ?? []) stringNodes(variant, path, out);
  if (node.items !== undefined) stringNodes(node.items, `${path}[]`, out);
  for (const [key, child] of Object.entries(node.properties ?? {})) stringNodes(child, `${path}.${key}`, out);
}

/**
 * Every compact JSON object in the README that starts with an action type, wherever it stands (the step
 * description in the tools section included): the step calls it documents. A JSON Schema `{"type":"string"}` is not one.
 */
function documentedStepCalls(text: string): Record<string, unknown>[] {
  const calls: Record<string, unknown>[] = [];
  for (const match of text.matchAll(/\{"type":"([a-z_]+)"(?:,"[a-z_]+":(?:"[^"]*"|true|false|\d+))*\}/g)) {
    if (!(ACTION_TYPES as readonly string[]).includes(match[1] ?? '')) continue;
    calls.push(JSON.parse(match[0]) as Record<string, unknown>); // the README's examples (tool descriptions included)
  }
  return calls;
}

interface DocumentedCall {
  tool: string;
  args: Record<string, unknown>;
  /** Where the README shows it, for the failure message. */
  source: string;
}

/** The argument object of a README example; JSON.parse's result is unknown, and every example is an object. */
function argsOf(json: string, source: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${source}: not a JSON object`);
  return parsed as Record<string, unknown>; // checked just above to be a plain object
}

/**
 * Every tool call the README documents, in the two ways it shows them: a line `tool {json}` in a fenced block
 * ("A session, call by call"), and prose that names a tool in backticks and then its arguments in backticks,
 * as an object (`step` with `{"type":"click","id":"B3"}`) or as members of one (`session_start` with
 * `"profile": {"id": "shop"}`). A prose example may leave out session_id; the test adds one where the tool needs it.
 */
function documentedCalls(text: string, tools: readonly string[]): DocumentedCall[] {
  const names = tools.join('|');
  const calls: DocumentedCall[] = [];
  const lines = text.split('\n');
  let fenced = false;
  for (const [index, line] of lines.entries()) {
    if (line.startsWith('```')) {
      fenced = !fenced;
      continue;
    }
    const where = `README.md:${index + 1}`;
    if (fenced) {
      const call = new RegExp(`^(${names}) (\\{.*\\})$`).exec(line);
      if (call?.[1] !== undefined && call[2] !== undefined) calls.push({ tool: call[1], args: argsOf(call[2], where), source: where });
      continue;
    }
    for (const prose of line.matchAll(new RegExp(`\`(${names})\`[^\`]*?\`(\\{[^\`]*\\}|"[a-z_]+": ?[^\`]*)\``, 'g'))) {
      const [, tool, json] = prose;
      if (tool === undefined || json === undefined) continue;
      calls.push({ tool, args: argsOf(json.startsWith('{') ? json : `{${json}}`, where), source: where });
    }
  }
  return calls;
}

describe('the contract a model reads: tools/list', () => {
  let stdio: StdioServer;
  let http: HttpServer;
  let overStdio: ListedTool[];
  let overHttp: ListedTool[];

  beforeAll(async () => {
    stdio = await startStdio();
    http = await startHttpServer(['--caps', 'all']);
    const { client } = await http.connect();
    overStdio = (await stdio.client.listTools()).tools;
    overHttp = (await (client as Client).listTools()).tools;
  });

  afterAll(async () => {
    await stdio?.close();
    await http?.stop();
  });

  it('is the same over stdio and HTTP', () => {
    expect(overStdio.map((tool) => tool.name)).toEqual(CORE_TOOLS);
    expect(overHttp.filter((tool) => CORE_TOOLS.includes(tool.name))).toEqual(overStdio);
    expect(overHttp.map((tool) => tool.name)).toEqual([...CORE_TOOLS, ...CAP_NAMES.flatMap((cap) => CAPS[cap].map((tool) => tool.name))]);
  });

  it('advertises the flat step object with every field that does something: type, enum, default, description', () => {
    const step = overStdio.find((tool) => tool.name === 'step');
    const schema = step?.inputSchema as JsonSchemaNode; // the SDK types inputSchema loosely
    const properties = schema.properties ?? {};
    const expected = Object.keys(StepInput.shape).filter((key) => !STEP_UNADVERTISED.includes(key));
    expect(Object.keys(properties).sort()).toEqual(expected.sort());
    expect(schema.required?.sort()).toEqual(['session_id', 'type']);
    expect(properties['type']?.enum).toContain('select_dropdown_option');
    expect(properties['clear_before_fill']).toMatchObject({ type: 'boolean', default: true });
    expect(properties['timeout']).toMatchObject({ type: 'integer', default: 15000, minimum: 0, maximum: 120000 });
    expect(properties['time_ms']).toMatchObject({ type: 'integer', minimum: 0, maximum: 30000 });
    expect(JSON.stringify(schema)).not.toContain(UNADVERTISED_KEY);
  });

  it('advertises every tool\'s whole output: each field of its response object, with the required ones marked', () => {
    for (const tool of overHttp) {
      const defined = TOOLS.find((candidate) => candidate.name === tool.name);
      expect(defined, tool.name).toBeDefined();
      const schema = tool.outputSchema as JsonSchemaNode | undefined; // loosely typed by the SDK
      expect(schema?.type, tool.name).toBe('object');
      const shape = defined?.output.shape ?? {};
      expect(Object.keys(schema?.properties ?? {}).sort(), tool.name).toEqual(Object.keys(shape).sort());
      const required = Object.entries(shape).filter(([, field]) => !(field as { isOptional(): boolean }).isOptional()).map(([key]) => key);
      expect([...(schema?.required ?? [])].sort(), tool.name).toEqual(required.sort());
    }
  });

  it('gives every argument of every tool a type and a description, and every string a maximum length', () => {
    for (const tool of overHttp) {
      const schema = tool.inputSchema as JsonSchemaNode; // loosely typed by the SDK
      expect(schema.type, tool.name).toBe('object');
      for (const [name, node] of Object.entries(schema.properties ?? {})) {
        expect(node.description, `${tool.name}.${name}`).toMatch(/\w/);
        expect(node.type ?? node.anyOf ?? node.enum, `${tool.name}.${name}`).toBeDefined();
      }
      const strings: Array<{ path: string; node: JsonSchemaNode }> = [];
      stringNodes(schema, tool.name, strings);
      for (const { path, node } of strings) {
        // An anchored fixed-size pattern (the proxies country code) bounds a string as well as a length does.
        if (node.enum === undefined) expect(node.maxLength ?? (node as { pattern?: string }).pattern, path).toBeDefined();
      }
    }
    expect(overStdio.find((tool) => tool.name === 'observe')?.description).toMatch(/long page.*instructions/);
  });

  it('validates the calls the README documents, and refuses what the schema does not allow (Ajv)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const step = overStdio.find((tool) => tool.name === 'step');
    const validate = ajv.compile(step?.inputSchema ?? {});
    const calls = documentedStepCalls(README);
    expect(calls.length).toBeGreaterThanOrEqual(5);
    for (const call of calls) {
      const ok = validate({ session_id: '9f1c2d3e-0000-4000-8000-000000000000', ...call });
      expect(ok, `${JSON.stringify(call)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    expect(validate({ type: 'click', id: 'B3' })).toBe(false); // no session_id
    expect(validate({ session_id: 'x', type: 'teleport' })).toBe(false);
    const start = ajv.compile(overStdio.find((tool) => tool.name === 'session_start')?.inputSchema ?? {});
    expect(start({ url: 'https://example.com', viewport_width: 1280, viewport_height: 720 })).toBe(true);
    expect(start({ proxies: [{ type: 'external', server: 'http://127.0.0.1:3128' }] })).toBe(true);
    const scrape = ajv.compile(overStdio.find((tool) => tool.name === 'scrape')?.inputSchema ?? {});
    expect(scrape({ session_id: 'x', only_main_content: true, response_format: { type: 'object' } })).toBe(true);
  });

  it('validates every tool call the README documents against the listed schema of its tool (Ajv)', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const calls = documentedCalls(README, overHttp.map((tool) => tool.name));
    // Every listed tool is shown at least once, so a tool's arguments cannot drift away from its example unseen.
    expect([...new Set(calls.map((call) => call.tool))].sort()).toEqual(overHttp.map((tool) => tool.name).sort());
    // The prose forms are read too: an object after the tool, and members of one.
    expect(calls.some((call) => call.tool === 'step' && call.args['type'] === 'click' && call.source !== '' && call.args['session_id'] === undefined)).toBe(true);
    expect(calls.some((call) => call.tool === 'session_start' && call.args['profile'] !== undefined)).toBe(true);
    for (const call of calls) {
      const listed = overHttp.find((tool) => tool.name === call.tool);
      const validate = ajv.compile(listed?.inputSchema ?? {});
      const needsSession = (listed?.inputSchema.required ?? []).includes('session_id');
      const args = needsSession && call.args['session_id'] === undefined ? { session_id: 'S', ...call.args } : call.args;
      expect(validate(args), `${call.source}: ${call.tool} ${JSON.stringify(call.args)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    // A README typo is caught: the same calls with a field the tool does not take fail.
    const write = ajv.compile(overHttp.find((tool) => tool.name === 'storage_write')?.inputSchema ?? {});
    expect(write({ session_id: 'S', file_name: 'cv.pdf', content_base64: 'JVBERi0xLjQK' })).toBe(false);
  });

  it('is what the README tables show, rendered from the wire', () => {
    const capOf = (name: string): string | undefined => CAP_NAMES.find((cap) => CAPS[cap].some((tool) => tool.name === name));
    const section = toolsSection(overHttp, capOf);
    expect(section).toContain('With `--caps cookies`.');
    expect(README).toContain(section);
    expect(section).toContain('| `clear_before_fill` | boolean = `true` |');
  });

  it(`costs a model at most ${TOOL_DEFINITION_BUDGET} o200k tokens per turn as listed by default, ${ALL_TOOLS_BUDGET} with --caps all`, () => {
    const listed = toolDefinitionTokens(overStdio);
    expect(listed).toBeLessThanOrEqual(TOOL_DEFINITION_BUDGET);
    expect(listed).toBeGreaterThan(1_000); // a listing that lost its fields would be cheap, and wrong
    expect(toolDefinitionTokens(overHttp)).toBeLessThanOrEqual(ALL_TOOLS_BUDGET);
  });
});
