import type { SpaceCategory } from '../notte/observation.js';

export interface CategoryHints {
  modal: boolean;
  elements: readonly { role: string; tag: string; name: string; inputType?: string; placeholder?: string }[];
}

/**
 * Notte's space.category from cheap signals; undefined when none is clear (Notte sets it only with deep
 * perception, so leaving it out is the honest default).
 */
export function guessCategory(hints: CategoryHints): SpaceCategory | undefined {
  const fields = hints.elements.filter((el) => el.tag === 'input' || el.tag === 'textarea' || el.tag === 'select');
  const text = (el: { name: string; placeholder?: string }): string => `${el.name} ${el.placeholder ?? ''}`.toLowerCase();
  if (fields.some((el) => /card ?number|cc-number|cvc|cvv/.test(text(el)))) return 'payment';
  if (fields.some((el) => el.inputType === 'password')) return 'auth';
  if (hints.modal) return 'overlay';
  if (fields.filter((el) => el.role !== 'searchbox' && !/search/.test(text(el))).length >= 3) return 'form';
  return undefined;
}
