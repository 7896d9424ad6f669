/**
 * What a session's steps keep of an action: every field, but no value longer than a short excerpt, so a 3 MiB
 * evaluate_js script or form value cannot make session_status too large for a client to read.
 */

export const MAX_STEP_VALUE_CHARS = 200;
export const MAX_STEP_MESSAGE_CHARS = 500;

export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** A copy of `action` with long strings clipped and nested objects kept only when small. */
export function summarizeAction(action: object): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(action)) {
    if (typeof value === 'string') summary[key] = clipText(value, MAX_STEP_VALUE_CHARS);
    else if (value !== null && typeof value === 'object') {
      const json = JSON.stringify(value) ?? '';
      summary[key] = json.length > MAX_STEP_VALUE_CHARS ? clipText(json, MAX_STEP_VALUE_CHARS) : value;
    } else summary[key] = value;
  }
  return summary;
}
