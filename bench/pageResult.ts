/** What one server did on one bench page: the numbers pageBench puts side by side. */
export interface PageRun {
  page: string;
  /** Latency of reading the loaded page (ours: observe; peer: browser_snapshot), one entry per round. */
  observeMs: number[];
  /** Tokens of one observation as the model reads it. */
  observeTokens: number;
  /** Observations read before the target was found (1, or more when a cursor had to be followed). */
  observeCalls: number;
  /** Latency of the repeatable click, one entry per round (the first, task click included). */
  stepMs: number[];
  /** Tokens of one click's response. */
  stepTokens: number;
  /** Tokens of every response the task needed: open, observe(s), action(s). */
  taskTokens: number;
  success: boolean;
  note: string;
}

/** Where our observation's tokens go, and whether observe's ranking alone would pick the right element. */
export interface OurObservationDetail {
  textTokens: number;
  jsonTokens: number;
  /** Tokens of space.interaction_actions inside the JSON. */
  actionsTokens: number;
  actions: number;
  category: string;
  /**
   * observe with instructions = the task's goal: is the first interaction_action with the target's role and
   * label the same element the page rendering shows under the task's context?
   */
  rankedPick: string;
}
