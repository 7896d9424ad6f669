/**
 * The longest string each kind of tool argument may be (JavaScript string length). Every string argument of every
 * tool has one, so a runaway or hostile value is refused by its size before any work is done on it:
 * ids and cursors are short tokens we minted, URLs stop at 8 KiB (what browsers and servers accept in practice),
 * selectors, instructions and headers at 8 KiB, and the payloads a model may legitimately write long (fill text,
 * evaluate_js code, a completion answer) at 1 MiB.
 */
export const MAX_ID = 64;
export const MAX_CURSOR = 256;
export const MAX_NAME = 256;
export const MAX_URL = 8 * 1024;
export const MAX_TEXT = 8 * 1024;
export const MAX_PAYLOAD = 1024 * 1024;
/** Items of an array argument (chrome_args, ignored_tags, auth_ids…). */
export const MAX_ITEMS = 100;

/**
 * Marks a field that is accepted for Notte compatibility but does nothing on this backend (ignored, or refused
 * with E_NOT_SUPPORTED). It is validated like any other, but tools/list leaves it out: a model pays for every
 * advertised field on every turn, and these would only tell it what not to send. Usage: `.meta(UNADVERTISED)`.
 */
export const UNADVERTISED = { 'x-unadvertised': true } as const;
export const UNADVERTISED_KEY = 'x-unadvertised';
