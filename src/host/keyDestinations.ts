import * as vscode from 'vscode';
import { isPresetId, keyGoesUnasked, keyNameFor, ownKeyName, PROVIDER_PRESETS } from '../core/providers/presets';
import type { KeyDestination } from '../core/providers/router';
import { askWhole } from './notifications';

const APPROVED_KEY = 'baton.keyDestinations';

/**
 * Where the person has said a stored API key may go, per workspace. A trusted workspace's own
 * settings (a cloned repository's .vscode/settings.json) can name any address and any key for a
 * role, and the key would go there with every call. So a key goes, without a question, as its
 * provider's own key to its provider's own server (the router checks that) or where the person's
 * user settings send it; anywhere else only once the person said yes here or chose the address in
 * Select Model for Role.
 */
export class KeyDestinations {
  constructor(private readonly state: vscode.Memento) {}

  /**
   * Whether the key may go there: unasked as the provider's own key to its own server; else when the
   * person has not said and `ask`, asks them (a yes is remembered).
   */
  async mayGoTo(destination: KeyDestination, ask: boolean): Promise<boolean> {
    if (keyGoesUnasked(destination) || this.known(destination.keyName, destination.baseURL) || inUserSettings(destination)) return true;
    if (!ask) return false;
    const send = 'Send Key There';
    const label = isPresetId(destination.providerId) ? PROVIDER_PRESETS[destination.providerId].label : destination.providerId;
    const whose = destination.keyName === keyNameFor(destination.providerId) ? `your ${label} key` : `a key that is not ${label}'s own`;
    const answer = await askWhole(
      {
        text:
          `Baton: the ${destination.role} would send ${whose} (stored as "${destination.keyName}") to the server ${hostOf(destination.baseURL)} ` +
          `(${destination.baseURL}). A workspace's settings can name any address and any key: send it there only if you set this up.`,
        heading: 'Send your API key to this server?',
      },
      send,
      'Not Now',
    );
    if (answer !== send) return false;
    await this.remember(destination.keyName, destination.baseURL);
    return true;
  }

  /** The person chose this address for the key themselves (Select Model for Role). */
  async remember(keyName: string, baseURL: string): Promise<void> {
    const entry = entryOf(keyName, baseURL);
    const known = this.state.get<string[]>(APPROVED_KEY, []);
    if (!known.includes(entry)) await this.state.update(APPROVED_KEY, [...known, entry]);
  }

  /** A key stored anew or removed: where the old one was allowed to go is asked again. */
  async forget(keyName: string): Promise<void> {
    await this.state.update(
      APPROVED_KEY,
      this.state.get<string[]>(APPROVED_KEY, []).filter((entry) => !entry.startsWith(`${keyName} `)),
    );
  }

  private known(keyName: string, baseURL: string): boolean {
    return this.state.get<string[]>(APPROVED_KEY, []).includes(entryOf(keyName, baseURL));
  }
}

/** A key and a server: the same server under another path is the same destination. */
function entryOf(keyName: string, baseURL: string): string {
  let origin = baseURL;
  try {
    origin = new URL(baseURL).origin;
  } catch {
    // Not a URL: the router would not get this far; compared as written.
  }
  return `${keyName} ${origin}`;
}

/** The server's name as the URL parser reads it (a look-alike name shows in punycode). */
function hostOf(baseURL: string): string {
  try {
    return new URL(baseURL).host;
  } catch {
    return baseURL;
  }
}

type RoleFields = Record<string, { provider?: unknown; baseURL?: unknown; keyName?: unknown } | undefined>;

/**
 * Whether the person's own user settings send the role's key there: the user settings give the
 * role this provider, address and key, and no workspace settings override any of them (VS Code
 * merges object settings field by field, so a workspace could set the provider alone).
 */
function inUserSettings({ role, providerId, keyName, baseURL }: KeyDestination): boolean {
  const roles = vscode.workspace.getConfiguration('baton').inspect<RoleFields>('roles');
  const user = roles?.globalValue?.[role];
  const overridden = [roles?.workspaceValue, roles?.workspaceFolderValue].some((scope) =>
    (['provider', 'baseURL', 'keyName'] as const).some((field) => scope?.[role]?.[field] !== undefined),
  );
  if (!user || overridden || user.provider !== providerId || !isPresetId(providerId)) return false;
  const userKey = typeof user.keyName === 'string' ? ownKeyName(user.keyName) : keyNameFor(providerId);
  const userURL = typeof user.baseURL === 'string' ? user.baseURL : PROVIDER_PRESETS[providerId].defaultBaseURL;
  return userKey === keyName && userURL === baseURL;
}
