import * as vscode from 'vscode';
import { RoleRouter, type KeyDestination } from '../core/providers/router';
import { LanguageModelProvider } from './languageModelProvider';
import { EXTRA_PROVIDER_IDS, rawProviderSettings } from './providerSettingsCheck';
import { VsCodeSecretStore } from './vscodeSecretStore';
import { bindingKey, roleHealth } from './roleHealth';
import { roleBinding } from './sidebar/roleBindings';

/**
 * The role router from the current settings: keys from SecretStorage (sent to an address other than
 * the provider's own only as `keyMayGoTo` allows), VS Code's models as "vscode-lm".
 */
export function createRoleRouter(
  secrets: vscode.SecretStorage,
  log: vscode.LogOutputChannel,
  keyMayGoTo: (destination: KeyDestination) => Promise<boolean>,
  onStatus?: (message: string) => void,
): RoleRouter {
  const extra = { [EXTRA_PROVIDER_IDS[0]]: new LanguageModelProvider() };
  const router = RoleRouter.fromSettings(rawProviderSettings(), {
    secrets: new VsCodeSecretStore(secrets),
    extraProviders: extra,
    log, // every call: model, size, outcome, time; never keys or message text
    keyMayGoTo,
    onStatus: (role, status) => {
      log.info(`${role}: ${status.message}`); // never the key: statuses carry none
      onStatus?.(`${role}: ${status.message}`);
    },
  });
  // A call that finished marks its role healthy in the Roles panel; failures are marked where they are reported.
  return router.observed((call) => {
    const { provider, model, baseURL } = roleBinding(call.role);
    if (provider && model)
      roleHealth.mark(call.role, { state: 'ok', reason: `last call answered (${call.model})`, binding: bindingKey(provider, model, baseURL) });
  });
}
