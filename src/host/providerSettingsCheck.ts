import * as vscode from 'vscode';
import { parseProviderSettings, SettingsError } from '../core/providers/providerSettings';
import { settingSetByPerson, trustedSettingValue } from '../core/security/workspaceTrust';
import { notifyWarning } from './notifications';

const SECTIONS = ['baton.roles', 'baton.prices', 'baton.network'] as const;
export const EXTRA_PROVIDER_IDS = ['vscode-lm'] as const;

/**
 * The provider settings as the router takes them. In an untrusted workspace only the person's own
 * (user) settings count: a folder's .vscode/settings.json cannot point a role, and its key, elsewhere.
 */
export function rawProviderSettings(): { roles: unknown; prices: unknown; network: unknown } {
  const config = vscode.workspace.getConfiguration('baton');
  const trusted = vscode.workspace.isTrusted;
  const network = Object.fromEntries(
    ['idleTimeoutSeconds', 'headersTimeoutSeconds', 'maxRetries', 'maxRetryWaitSeconds'].flatMap((key) => {
      // Only what the person set: the router has the defaults.
      const set = settingSetByPerson(trusted, config.inspect(`network.${key}`));
      return set === undefined ? [] : [[key, set]];
    }),
  );
  return {
    roles: trustedSettingValue(trusted, config.get('roles'), config.inspect('roles')),
    prices: trustedSettingValue(trusted, config.get('prices'), config.inspect('prices')),
    network,
  };
}

/**
 * Checks the provider settings when Baton starts and whenever they change, so a bad one is named
 * at once (not at the first model call). Returns the problems found, for tests.
 */
export function watchProviderSettings(log: vscode.LogOutputChannel): vscode.Disposable & { check(): string[] } {
  const check = (): string[] => {
    try {
      parseProviderSettings(rawProviderSettings(), { extraProviderIds: EXTRA_PROVIDER_IDS });
      return [];
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      log.warn(err.message);
      void notifyWarning(`Baton: ${err.message}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'baton.');
      });
      return err.problems;
    }
  };
  const subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (SECTIONS.some((s) => e.affectsConfiguration(s))) check();
  });
  // Trusting the folder brings its own settings into force: check them then.
  const trustGranted = vscode.workspace.onDidGrantWorkspaceTrust(() => check());
  check();
  return { check, dispose: () => (subscription.dispose(), trustGranted.dispose()) };
}
