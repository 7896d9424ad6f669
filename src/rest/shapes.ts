import type { ObservedAction } from '../notte/observation.js';
import type { ObserveResult, ScrapeResult, StepResult } from '../sessions/view.js';

/**
 * Our results in the exact shapes Notte's API answers with. The MCP tools send lean objects a model reads;
 * Notte's SDKs validate full ones (timestamps, a screenshot object, typed actions), so the REST API fills them in.
 */

export interface Timing {
  started_at: string;
  ended_at: string;
}

const SAMPLE_VALUE = '<sample_value>';

/** An observed action as Notte lists it: a complete, executable interaction action. */
export function notteAction(action: ObservedAction): Record<string, unknown> {
  const type = action.type ?? 'click';
  const label = action.label ?? '';
  const base: Record<string, unknown> = { type, id: action.id, category: 'Interaction action', description: label, text_label: label };
  if (type === 'fill') return { ...base, value: SAMPLE_VALUE, clear_before_fill: true };
  if (type === 'select_dropdown_option') return { ...base, value: action.options?.[0] ?? SAMPLE_VALUE };
  if (type === 'upload_file') return { ...base, file_path: SAMPLE_VALUE };
  return base;
}

/**
 * The description a model reads: the text channel without its header line (the header is rendered from metadata).
 * Notte's SDKs hand space.description to a model as it is, and a Notte-backed MCP server (--backend notte) puts
 * the same header back on, so it answers in the very words of a local session.
 */
function readableDescription(result: ObserveResult): string {
  const newline = result.text.indexOf('\n');
  return newline < 0 ? result.observation.space.description : result.text.slice(newline + 1);
}

export function notteObservation(result: ObserveResult, timing: Timing): Record<string, unknown> {
  const { metadata, space } = result.observation;
  return {
    ...timing,
    metadata,
    screenshot: { raw: result.screenshot?.toString('base64') ?? '', bboxes: [], last_action_id: null },
    space: {
      description: readableDescription(result),
      interaction_actions: space.interaction_actions.map(notteAction),
      category: space.category ?? null,
    },
  };
}

/** Notte's ExecutionResult: every field present, `exception` null on success. */
export function notteExecution(result: StepResult, timing: Timing): Record<string, unknown> {
  const { action, success, message } = result.result;
  const data = result.result.data ?? null;
  const exception = success ? null : (result.result.exception ?? message);
  // `changes` is ours (what the action did to the page); Notte's SDK ignores fields it does not know.
  return { action, success, message, data, exception, started_at: result.result.started_at ?? timing.started_at, ended_at: result.result.ended_at ?? timing.ended_at, changes: result.changes };
}

export function notteDataSpace(result: ScrapeResult): Record<string, unknown> {
  const { markdown, images, structured } = result.data;
  return { markdown, images: images ?? null, structured: structured ?? null };
}
