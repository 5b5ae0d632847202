import * as vscode from 'vscode';
import { parseProviderSettings, SettingsError } from '../core/providers/providerSettings';

const SECTIONS = ['baton.roles', 'baton.prices', 'baton.network'] as const;
export const EXTRA_PROVIDER_IDS = ['vscode-lm'] as const;

/** The provider settings as the router takes them. */
export function rawProviderSettings(): { roles: unknown; prices: unknown; network: unknown } {
  const config = vscode.workspace.getConfiguration('baton');
  const network = Object.fromEntries(
    ['idleTimeoutSeconds', 'headersTimeoutSeconds', 'maxRetries', 'maxRetryWaitSeconds'].flatMap((key) => {
      const value = config.inspect(`network.${key}`);
      // Only what the person set: the router has the defaults.
      const set = value?.workspaceFolderValue ?? value?.workspaceValue ?? value?.globalValue;
      return set === undefined ? [] : [[key, set]];
    }),
  );
  return { roles: config.get('roles'), prices: config.get('prices'), network };
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
      void vscode.window.showWarningMessage(`Baton: ${err.message}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'baton.');
      });
      return err.problems;
    }
  };
  const subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (SECTIONS.some((s) => e.affectsConfiguration(s))) check();
  });
  check();
  return { check, dispose: () => subscription.dispose() };
}
