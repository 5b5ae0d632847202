import * as vscode from 'vscode';
import { RoleRouter } from '../core/providers/router';
import { LanguageModelProvider } from './languageModelProvider';
import { EXTRA_PROVIDER_IDS, rawProviderSettings } from './providerSettingsCheck';
import { VsCodeSecretStore } from './vscodeSecretStore';

/** The role router from the current settings: keys from SecretStorage, VS Code's models as "vscode-lm". */
export function createRoleRouter(secrets: vscode.SecretStorage, log: vscode.LogOutputChannel, onStatus?: (message: string) => void): RoleRouter {
  const extra = { [EXTRA_PROVIDER_IDS[0]]: new LanguageModelProvider() };
  return RoleRouter.fromSettings(rawProviderSettings(), {
    secrets: new VsCodeSecretStore(secrets),
    extraProviders: extra,
    log, // every call: model, size, outcome, time; never keys or message text
    onStatus: (role, status) => {
      log.info(`${role}: ${status.message}`); // never the key: statuses carry none
      onStatus?.(`${role}: ${status.message}`);
    },
  });
}
