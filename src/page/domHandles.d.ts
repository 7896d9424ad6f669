/**
 * The page-side names Playwright's typings use (`ElementHandle<Node>`, `HTMLElementTagNameMap`…), as opaque shapes.
 * Server code compiles without the DOM lib: a page's objects exist here only behind handles, and code that reads
 * the DOM belongs in src/page/injected, which compiles with it (its own tsconfig). Without these names Playwright's
 * handle types would decay to unresolved types and every evaluate result would lose its type.
 */

interface Node {
  readonly nodeType: number;
}
interface Element extends Node {
  readonly tagName: string;
}
interface HTMLElement extends Element {
  readonly __html: true;
}
interface SVGElement extends Element {
  readonly __svg: true;
}
interface HTMLSelectElement extends HTMLElement {
  readonly __select: true;
}
interface HTMLLabelElement extends HTMLElement {
  readonly __label: true;
}
interface Document extends Node {
  readonly __document: true;
}
interface DocumentFragment extends Node {
  readonly __fragment: true;
}
// Empty: tag-name overloads of $ and waitForSelector fall back to the string-selector ones.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- see above
interface HTMLElementTagNameMap {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- see above
interface SVGElementTagNameMap {}
type DocumentReadyState = 'loading' | 'interactive' | 'complete';
