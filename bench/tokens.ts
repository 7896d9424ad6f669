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
