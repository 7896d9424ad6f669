import type { CDPSession } from 'playwright-core';
import { z } from 'zod';

/** What the viewer page may send while a person has taken over: a click at a point of the frame, keys, text, a wheel. */
/** Keys that are not text: CDP needs their virtual key code for the page to see keydown as it would from a keyboard. */
const SPECIAL_KEYS: Record<string, number> = {
  Enter: 13, Backspace: 8, Tab: 9, Escape: 27, Delete: 46, ArrowLeft: 37, ArrowUp: 38, ArrowRight: 39, ArrowDown: 40, Home: 36, End: 35, PageUp: 33, PageDown: 34,
};

export const ViewerInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('click'), x: z.number().min(0).max(1), y: z.number().min(0).max(1) }),
  z.strictObject({ type: z.literal('key'), key: z.string().max(32).refine((key) => [...key].length === 1 || Object.hasOwn(SPECIAL_KEYS, key), 'one character, or Enter, Tab, Backspace, an arrow…') }),
  z.strictObject({ type: z.literal('text'), text: z.string().min(1).max(1_000) }),
  z.strictObject({ type: z.literal('scroll'), x: z.number().min(0).max(1), y: z.number().min(0).max(1), dy: z.number().min(-10_000).max(10_000) }),
]);
export type ViewerInput = z.infer<typeof ViewerInput>;

/** Replays one input on the tab through CDP Input.dispatch*, in CSS pixels of a `width`×`height` page. */
export async function dispatchInput(cdp: CDPSession, input: ViewerInput, size: { width: number; height: number }): Promise<void> {
  switch (input.type) {
    case 'click': {
      const x = input.x * size.width;
      const y = input.y * size.height;
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
      await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', x, y, button: 'left', buttons: 1, clickCount: 1 });
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x, y, button: 'left', buttons: 0, clickCount: 1 });
      return;
    }
    case 'scroll':
      await cdp.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x: input.x * size.width, y: input.y * size.height, deltaX: 0, deltaY: input.dy });
      return;
    case 'text':
      await cdp.send('Input.insertText', { text: input.text });
      return;
    case 'key': {
      const code = Object.hasOwn(SPECIAL_KEYS, input.key) ? SPECIAL_KEYS[input.key] : undefined;
      if (code === undefined) {
        // A printable key: keydown with its text types it, as a real key press would.
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: input.key, text: input.key });
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: input.key });
        return;
      }
      await cdp.send('Input.dispatchKeyEvent', { type: input.key === 'Enter' ? 'keyDown' : 'rawKeyDown', key: input.key, windowsVirtualKeyCode: code, ...(input.key === 'Enter' ? { text: '\r' } : {}) });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: input.key, windowsVirtualKeyCode: code });
      return;
    }
  }
}
