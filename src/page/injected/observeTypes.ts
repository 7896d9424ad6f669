/**
 * Shapes that cross the page boundary for observe (JSON only). Coordinates are CSS pixels relative to the
 * walked frame's own viewport; the Node side shifts them into the top page.
 */

export interface WalkArgs {
  epoch: number;
  /** Options listed per <select>; the rest are counted. */
  maxOptions: number;
  /** Characters kept of one label or value. */
  maxLabel: number;
}

/** A text run, or the index of an element in `WalkResult.els`. */
export type RawPart = string | number;

export interface RawLine {
  /** Top and bottom of what the line shows, frame viewport coordinates. */
  y: number;
  b: number;
  /** Heading level 1-6; 0 for body text. */
  h: number;
  parts: RawPart[];
  /** Set on the placeholder line of a visible iframe: index into `WalkResult.slots`. */
  f?: number;
}

/** What observe knows of an element's state, the same from the page walk to the rendering. */
export interface ElementFacts {
  role: string;
  tag: string;
  name: string;
  value?: string;
  placeholder?: string;
  options?: string[];
  moreOptions?: number;
  checked?: boolean | 'mixed';
  disabled?: boolean;
  expanded?: boolean;
  selected?: boolean;
  /** input type when it changes how to fill the element (password, number, date, file...). */
  inputType?: string;
}

export interface RawElement extends ElementFacts {
  /** Id given in this frame alone (per-prefix counters from 1); its letter is the Notte prefix. */
  id: string;
  /** Text of the nearest heading before the element, for ranking. */
  context?: string;
  /**
   * Leading text (heading, first cell, link) of the nearest enclosing item: a row, list item, article or card
   * its parent repeats; never the element's own label. Tells apart the "Add to cart" of one product from another's.
   */
  itemText?: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** CSS selector unique in the frame (Playwright css pierces open shadow roots). */
  sel: string;
}

/** A RawElement as the walk sends it: without its selector, which travels front-coded in `WireResult.sels`. */
export type WireElement = Omit<RawElement, 'sel'>;

export interface RawSlot {
  sel: string;
  /** Content box of the iframe, frame viewport coordinates. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface RawViewport {
  sx: number;
  sy: number;
  vw: number;
  vh: number;
  tw: number;
  th: number;
}

export interface WalkResult {
  title: string;
  viewport: RawViewport;
  lines: RawLine[];
  els: RawElement[];
  slots: RawSlot[];
  /** A modal dialog is open (dialog:modal or aria-modal=true). */
  modal: boolean;
  /** Count of elements visited, for diagnostics and the bench. */
  visited: number;
  /** Item containers (rows, list items, cards) that hold an element, and how many of them show a price. */
  items: number;
  pricedItems: number;
}

/**
 * WalkResult as it crosses the page boundary. Elements come in document order, so each selector mostly repeats
 * the previous one's ancestors: `sels[i]` is [characters shared with element i-1's selector, the rest].
 */
export type WireResult = Omit<WalkResult, 'els'> & { els: WireElement[]; sels: [number, string][] };

/** What observe keeps in each walked frame; `ids` and `epoch` are the contract of src/page/host.ts. */
export interface InPageRegistry {
  ids: Map<string, Element>;
  epoch: number;
  /** Elements by index in `WalkResult.els`, to re-key `ids` once the final ids are known. */
  els: Element[];
  /** Visible iframe elements by index in `WalkResult.slots`. */
  slots: Element[];
}
