import type { z } from 'zod';
import type { ContentBlock, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { ToolName } from '../notte/toolNames.js';
import type { SessionsView } from '../sessions/view.js';
import type { StateView } from '../sessions/stateView.js';
import { invalidInput } from './invalidInput.js';

/** What a tool handler sees: the caller's sessions and, when the client offers it, its model. */
export interface ToolContext {
  sessions: SessionsView;
  /** Cookies, profiles and file storage of the caller's sessions. */
  state: StateView;
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
  /** Files as MCP resource links or embedded resources (storage_read, session_replay). */
  resources?: ContentBlock[];
}

/** `input` is a plain object schema: what it says is what tools/list advertises (see wire.ts), field for field. */
export interface ToolDefinition<In extends z.ZodObject, Out extends z.ZodObject> {
  name: ToolName;
  title: string;
  description: string;
  annotations: Omit<ToolAnnotations, 'title'>;
  input: In;
  output: Out;
  /** Runs on arguments that passed `input`; rules one object schema cannot state are checked here (BsmError). */
  handle(args: z.output<In>, ctx: ToolContext): Promise<ToolAnswer<z.input<Out>>>;
}

/** A defined tool with its argument types erased, so tools of every shape fit one list. */
export interface Tool extends Omit<ToolDefinition<z.ZodObject, z.ZodObject>, 'handle'> {
  /** Validates the raw arguments against `input` (E_INVALID_INPUT on failure), then runs the tool. */
  handle(args: unknown, ctx: ToolContext): Promise<ToolAnswer<unknown>>;
}

/** The description of a top-level argument, for "x is required (what x is for)". */
function docOf(input: z.ZodObject, path: readonly PropertyKey[]): string | undefined {
  const [key] = path;
  if (path.length !== 1 || typeof key !== 'string') return undefined;
  return input.shape[key]?.description;
}

/** A tool is data: one schema drives validation, the advertised JSON schema, and the README. */
export function defineTool<In extends z.ZodObject, Out extends z.ZodObject>(tool: ToolDefinition<In, Out>): Tool {
  return {
    ...tool,
    // The SDK is handed a schema that accepts any object (server.ts), so the validation, and its wording, is ours.
    handle: async (args, ctx) => {
      const parsed = await tool.input.safeParseAsync(args ?? {});
      if (!parsed.success) {
        throw invalidInput(tool.name, parsed.error.issues, { input: args, doc: (path) => docOf(tool.input, path) }, `Fix the argument and call ${tool.name} again.`);
      }
      return tool.handle(parsed.data, ctx);
    },
  };
}
