/**
 * Runs inside the page (serialized by Playwright's evaluate): no imports at runtime, no closures over module scope.
 * Small questions the server asks a page: is it there, is it loaded, how big is it.
 */

/** A trivial script: a page whose renderer answers it is alive, one that does not is busy or gone. */
export function answers(): boolean {
  return true;
}

export function documentReadyState(): DocumentReadyState {
  return document.readyState;
}

/** The document's readyState, and whether the page hides its body (an anti-flash pattern until its scripts run). */
export function loadingStateInPage(): { ready: DocumentReadyState; hidden: boolean } {
  const body = document.body;
  const style = body === null ? null : getComputedStyle(body);
  const hidden = style !== null && (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0);
  return { ready: document.readyState, hidden };
}

/** The layout viewport, for a page whose context was given no fixed viewport. */
export function viewportInPage(): { width: number; height: number } {
  return { width: innerWidth, height: innerHeight };
}
