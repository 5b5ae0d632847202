import * as vscode from 'vscode';
import { keyNameFor, PROVIDER_PRESETS } from '../../core/providers/presets';
import type { SecretStore } from '../../core/ports';
import type { KeyDestinations } from '../keyDestinations';
import { notifyInfo } from '../notifications';

/**
 * "Baton: Set API Key": asks for a provider and its key, and keeps the key in SecretStorage only. A
 * new key (or none) is asked about again before it goes to an address other than its provider's.
 */
export async function setApiKey(secrets: SecretStore, keys: KeyDestinations, log: vscode.LogOutputChannel): Promise<void> {
  const picked = await vscode.window.showQuickPick(
    Object.values(PROVIDER_PRESETS).map((p) => ({
      label: p.label,
      description: p.needsKey ? 'needs a key' : 'key optional',
      detail: p.defaultBaseURL,
      id: p.id,
    })),
    { title: 'Baton: Set API Key', placeHolder: 'Which provider is the key for?' },
  );
  if (!picked) return;
  const name = keyNameFor(picked.id);
  const key = await vscode.window.showInputBox({
    title: `API key for ${picked.label}`,
    prompt: `Kept in VS Code's SecretStorage as "${name}", never in settings. Leave empty to remove it.`,
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return;
  await keys.forget(name);
  if (key.trim()) {
    await secrets.set(name, key.trim());
    log.info(`Stored the API key for ${picked.label} in SecretStorage as ${name}.`); // never the key itself
    void notifyInfo(`Baton: the ${picked.label} key is stored in SecretStorage.`);
  } else {
    await secrets.delete(name);
    log.info(`Removed the API key for ${picked.label} (${name}).`);
    void notifyInfo(`Baton: the ${picked.label} key was removed.`);
  }
}
