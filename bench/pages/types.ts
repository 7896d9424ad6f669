/** One thing an agent does on a bench page, found the way an agent would: by role and visible label. */
export interface BenchAction {
  kind: 'click' | 'fill' | 'select';
  /** Role as both servers name it: button, link, textbox, combobox. */
  role: 'button' | 'link' | 'textbox' | 'combobox';
  label: string;
  /** Text that comes before the target and after any other element with the same label (product name, row key). */
  context?: string;
  /** Text to type, or the option to pick. */
  value?: string;
}

export interface BenchTask {
  goal: string;
  actions: readonly BenchAction[];
  /** Index in `actions` of a click that may run again and again (it counts or toggles), for the step latency. */
  repeatable: number;
  /** Text that `#status` holds once the task is done. */
  expect: string;
}

export interface BenchPage {
  name: string;
  html(): string;
  task: BenchTask;
}
