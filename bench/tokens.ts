import { encode } from 'gpt-tokenizer';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** o200k tokens, the tokenizer of current OpenAI models; a fair common ruler for both servers. */
export function tokens(text: string): number {
  return encode(text).length;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/**
 * What the model reads from one tool result: some clients show only structuredContent when present, others only
 * the text, so we count the larger of the two.
 */
export function readTokens(result: CallToolResult): number {
  const text = tokens(textOf(result));
  return result.structuredContent === undefined ? text : Math.max(text, tokens(JSON.stringify(result.structuredContent)));
}

/** One tool as tools/list gives it; only what a client sends its model counts. */
export interface ListedTool {
  name: string;
  description?: string | undefined;
  inputSchema: unknown;
}

/**
 * What the tool definitions cost a model on every turn: name, description and input schema as JSON, the way
 * clients pass them on (the same figure /work/shared/hooks/wire-check.mjs prints).
 */
export function toolDefinitionTokens(tools: readonly ListedTool[]): number {
  return tools.reduce((sum, tool) => sum + tokens(JSON.stringify({ name: tool.name, description: tool.description, input_schema: tool.inputSchema })), 0);
}
