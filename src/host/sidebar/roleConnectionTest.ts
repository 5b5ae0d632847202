import type * as vscode from 'vscode';
import { isPresetId, keyNameFor } from '../../core/providers/presets';
import type { Role } from '../../core/providers/providerSettings';
import { listServerModels } from '../../core/providers/serverModels';
import type { KeyDestinations } from '../keyDestinations';
import { bindingKey, roleHealth } from '../roleHealth';
import { roleBinding } from './roleBindings';

/**
 * The Roles panel's Test: lists the models at the role's address, with the key stored for its
 * provider (never asked for here), and marks the role with what happened: connected and serving
 * its model, connected without it, or why the server could not be reached. The address is the one
 * every call of the role goes to anyway.
 */
export async function testRoleConnection(role: Role, secrets: vscode.SecretStorage, keys: KeyDestinations, log: vscode.LogOutputChannel): Promise<void> {
  const { provider, model, baseURL } = roleBinding(role);
  if (!provider || !model || !baseURL || !isPresetId(provider)) return;
  const binding = bindingKey(provider, model, baseURL);
  const keyName = keyNameFor(provider);
  const stored = await secrets.get(keyName);
  // A key goes elsewhere than the provider's own server only where the person said it may.
  const apiKey = stored && (await keys.mayGoTo({ role, providerId: provider, keyName, baseURL }, true)) ? stored : undefined;
  const listing = await listServerModels(provider, baseURL, apiKey ? { apiKey } : {});
  if (!listing.ok) {
    log.warn(`Connection test of the ${role} role: ${listing.reason}`);
    roleHealth.mark(role, { state: 'failing', reason: listing.reason, binding });
    return;
  }
  const listed = `${listing.models.length} model${listing.models.length === 1 ? '' : 's'} listed`;
  const serves = listing.models.includes(model);
  log.info(`Connection test of the ${role} role: connected to ${baseURL}, ${listed}${serves ? '' : `, ${model} not among them`}.`);
  roleHealth.mark(
    role,
    serves
      ? { state: 'ok', reason: `connected: ${listed}`, binding }
      : { state: 'failing', reason: `connected, but ${model} is not among the ${listed}`, binding },
  );
}
