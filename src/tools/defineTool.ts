import type { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { SessionsView } from '../sessions/view.js';

/** What a tool handler sees: the caller's sessions and, when the client offers it, its model. */
export interface ToolContext {
  sessions: SessionsView;
  /** Asks the client's own model (MCP sampling); undefined when the client does not support it. */
  sample: ((request: { system: string; prompt: string; maxTokens: number }) => Promise<string>) | undefined;
}

export interface ToolImage {
  data: string;
  mimeType: string;
}

/** One answer shape for every tool: a short text line for the model, the structured object, optional images. */
export interface ToolAnswer<Out> {
  text: string;
  structured: Out;
  images?: ToolImage[];
}

/** `input` must describe a JSON object (MCP requires it); a transform after the object is fine. */
export interface ToolDefinition<In extends z.ZodType, Out extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  annotations: Omit<ToolAnnotations, 'title'>;
  input: In;
  output: Out;
  handle(args: z.output<In>, ctx: ToolContext): Promise<ToolAnswer<z.input<Out>>>;
}

/** A defined tool with its argument types erased, so tools of every shape fit one list. */
export interface Tool extends Omit<ToolDefinition<z.ZodType, z.ZodObject>, 'handle'> {
  handle(args: unknown, ctx: ToolContext): Promise<ToolAnswer<unknown>>;
}

/** A tool is data: one schema drives validation, the advertised JSON schema, and the README. */
export function defineTool<In extends z.ZodType, Out extends z.ZodObject>(tool: ToolDefinition<In, Out>): Tool {
  return {
    ...tool,
    // The MCP server parses every call with tool.input before the handler runs, so args has its output type.
    handle: (args, ctx) => tool.handle(args as z.output<In>, ctx),
  };
}
