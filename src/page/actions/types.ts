import type { DataSpace, NodeSelectors } from '../../notte/actions.js';
import type { PageEvents } from '../dialogs.js';
import type { PageHost } from '../host.js';
import type { SecretSource } from '../secrets.js';

export interface ActionContext {
  host: PageHost;
  events: PageEvents;
  /** Position in the event log when the step began (downloads and popups after it belong to this step). */
  mark: number;
  /** The session's vault for this step, when it has one: fill-type actions resolve {{vault.…}} through it. */
  secrets?: SecretSource;
}

/** What a handler reports; step adds timing, changes and the summary text. */
export interface ActionOutcome {
  success: boolean;
  message: string;
  data?: DataSpace | null;
  exception?: string | null;
  /** Filled into the resolved action. */
  selector?: NodeSelectors;
  textLabel?: string;
  /** The observe id acted on. */
  actedOnId?: string;
  /** The value went into a password field: the resolved action shows it masked. */
  secretValue?: boolean;
}

export function ok(message: string, extra: Omit<ActionOutcome, 'success' | 'message'> = {}): ActionOutcome {
  return { success: true, message, ...extra };
}

export function failed(message: string, exception: string | null = null, extra: Omit<ActionOutcome, 'success' | 'message' | 'exception'> = {}): ActionOutcome {
  return { success: false, message, exception, ...extra };
}
