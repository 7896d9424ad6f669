import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { OPTIONS } from '../src/config.js';
import type { Driver } from '../src/drivers/driver.js';
import { createServer } from '../src/server.js';
import { SessionRegistry } from '../src/sessions/registry.js';
import { CAPS, TOOLS } from '../src/tools/index.js';
import { CAP_NAMES } from '../src/notte/toolNames.js';
import { UNADVERTISED_KEY } from '../src/notte/limits.js';
import { toolsSection } from './readmeTools.js';
import type { WireTool } from './readmeTools.js';

/** Regenerates the README's tool and configuration sections (or, with --check, compares). */
const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** No browser is needed to list tools; a start would fail loudly. */
const NO_BROWSER: Driver = {
  open: () => Promise.reject(new Error('the README generator starts no browser')),
  releaseIdle: async () => undefined,
  shutdown: async () => undefined,
};

/** tools/list exactly as a client receives it: the real server, the real SDK, over an in-memory transport. */
async function wireTools(): Promise<WireTool[]> {
  const registry = new SessionRegistry(NO_BROWSER, { maxSessions: 1, maxSessionsPerClient: 1, minuteMs: 60_000, outputDir: tmpdir() });
  const server = createServer(registry, 'readme', CAP_NAMES);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'readme', version: '1' });
  await client.connect(clientSide);
  const { tools } = await client.listTools();
  await client.close();
  await registry.shutdown();
  return tools;
}

/** Fields accepted for Notte compatibility that tools/list leaves out (they do nothing here), from the zod schemas. */
function unadvertisedSection(): string {
  const lines = TOOLS.map((tool) => {
    const hidden = Object.entries(tool.input.shape)
      .filter(([, field]) => (field.meta() as Record<string, unknown> | undefined)?.[UNADVERTISED_KEY] === true) // meta() is a loose record
      .map(([name]) => `\`${name}\``);
    return hidden.length === 0 ? undefined : `- \`${tool.name}\`: ${hidden.join(', ')}`;
  }).filter((line) => line !== undefined);
  return ['Accepted for Notte compatibility but not listed above, since they do nothing on this backend (ignored, or refused with `E_NOT_SUPPORTED`):', '', ...lines].join('\n');
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
const capOf = (name: string): string | undefined => CAP_NAMES.find((cap) => CAPS[cap].some((tool) => tool.name === name));
const tools = `${toolsSection(await wireTools(), capOf)}\n\n${unadvertisedSection()}`;
const next = replaceBetween(replaceBetween(current, 'tools', tools), 'config', configSection());
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
