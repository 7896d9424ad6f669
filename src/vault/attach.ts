import { BsmError } from '../errors.js';
import type { Action } from '../notte/actions.js';
import { TOOL } from '../notte/toolNames.js';
import type { SecretSource } from '../page/secrets.js';
import { hasPlaceholder } from './placeholders.js';
import { SessionVault } from './sessionVault.js';
import type { VaultStore } from './store.js';

/** The vault a session_start asked for, opened before any browser is launched (a bad id or key costs nothing). */
export function openSessionVault(store: VaultStore | undefined, vaultId: string | null | undefined, driverFills: boolean): SessionVault | undefined {
  if (vaultId === undefined || vaultId === null || vaultId === '') return undefined;
  // A backend that would type "{{vault.password}}" literally must not get a vault at all.
  if (!driverFills) throw new BsmError('E_NOT_SUPPORTED', 'vault_id: this backend cannot fill vault placeholders.', `Call ${TOOL.start} without vault_id, or use the local backend.`);
  if (store === undefined) throw new BsmError('E_VAULT_KEY', 'This server has no vault store.', `Call ${TOOL.start} without vault_id.`);
  return new SessionVault(vaultId, store.load(vaultId));
}

/** The values of an action that may hold placeholders: those of the fill-type actions. */
function fillValues(action: Action): string[] {
  switch (action.type) {
    case 'fill':
    case 'multi_factor_fill':
    case 'fallback_fill':
      return [action.value];
    case 'form_fill':
      return Object.values(action.value).filter((value): value is string => typeof value === 'string');
    default:
      return [];
  }
}

/**
 * Runs one step with the session's vault: placeholders need a vault, a script cannot run where secrets were typed
 * (it could read a password field and hand it back transformed past the redactor), and a fill the vault refused
 * answers as E_VAULT_REFUSED rather than as a failed action.
 */
export async function vaultStep<T>(vault: SessionVault | undefined, action: Action, run: (secrets: SecretSource | undefined) => Promise<T>): Promise<T> {
  if (vault === undefined) {
    if (fillValues(action).some(hasPlaceholder)) {
      throw new BsmError('E_VAULT_REFUSED', 'This session has no vault, so {{vault.…}} placeholders cannot be filled.', `Start a session with ${TOOL.start} {"vault_id": …}, or fill plain text.`);
    }
    return run(undefined);
  }
  if (action.type === 'evaluate_js') {
    throw new BsmError('E_VAULT_REFUSED', 'evaluate_js is disabled in a session with a vault: a script could read the secrets filled into the page.', `Use ${TOOL.step} actions and ${TOOL.scrape} instead, or a session without vault_id.`);
  }
  const secrets = vault.forStep();
  const result = await run(secrets);
  secrets.throwIfRefused();
  return result;
}
