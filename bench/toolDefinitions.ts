import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { serverArgs } from '../test/e2e/harness.js';
import { table } from './lib.js';
import { PeerServer } from './peer.js';
import { toolDefinitionTokens } from './tokens.js';
import type { ListedTool } from './tokens.js';

export interface ToolDefinitionFigures {
  ours: { tools: number; tokens: number; perTool: Array<{ name: string; tokens: number }> };
  /** With --caps all: every tool group listed. */
  allCaps: { tools: number; tokens: number };
  peer: { version: string; tools: number; tokens: number };
}

async function ourTools(extra: string[] = []): Promise<ListedTool[]> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [...serverArgs('bench-tools'), ...extra], stderr: 'ignore' });
  const client = new Client({ name: 'bench-tools', version: '1' });
  await client.connect(transport);
  const { tools } = await client.listTools();
  await client.close();
  return tools;
}

/** What every model turn pays for the tool definitions (name, description, input schema): ours and @playwright/mcp's. */
export async function benchToolDefinitions(): Promise<ToolDefinitionFigures> {
  const ours = await ourTools();
  const all = await ourTools(['--caps', 'all']);
  const peer = await PeerServer.start();
  try {
    const { tools } = await peer.client.listTools();
    return {
      ours: { tools: ours.length, tokens: toolDefinitionTokens(ours), perTool: ours.map((tool) => ({ name: tool.name, tokens: toolDefinitionTokens([tool]) })) },
      allCaps: { tools: all.length, tokens: toolDefinitionTokens(all) },
      peer: { version: peer.version, tools: tools.length, tokens: toolDefinitionTokens(tools) },
    };
  } finally {
    await peer.close();
  }
}

export function toolDefinitionsTable(figures: ToolDefinitionFigures): string {
  return table(
    ['server', 'tools', 'tool definitions, o200k tokens per model turn'],
    [
      ['this server', String(figures.ours.tools), `${figures.ours.tokens} (${figures.ours.perTool.map((tool) => `${tool.name} ${tool.tokens}`).join(', ')})`],
      ['this server, --caps all', String(figures.allCaps.tools), String(figures.allCaps.tokens)],
      [`@playwright/mcp ${figures.peer.version}`, String(figures.peer.tools), String(figures.peer.tokens)],
    ],
  );
}
