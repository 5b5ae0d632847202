import * as vscode from 'vscode';
import type { Role } from '../core/providers/providerSettings';
import { isPresetId, PROVIDER_PRESETS } from '../core/providers/presets';
import type { KeyDestination } from '../core/providers/router';
import { askWhole } from './notifications';

const APPROVED_KEY = 'baton.keyDestinations';

/**
 * Where the person has said a stored API key may go, per workspace. A trusted workspace's own
 * settings (a cloned repository's .vscode/settings.json) can name any address for a role, and the
 * key stored for its provider would go there with every call. So a key goes, without a question, to
 * its provider's own server (the router checks that) or to an address in the person's user
 * settings; to any other only once the person said yes here or chose it in Select Model for Role.
 */
export class KeyDestinations {
  constructor(private readonly state: vscode.Memento) {}

  /** Whether the key may go there; when the person has not said and `ask`, asks them (a yes is remembered). */
  async mayGoTo(destination: KeyDestination, ask: boolean): Promise<boolean> {
    if (this.known(destination.keyName, destination.baseURL) || inUserSettings(destination.role, destination.baseURL)) return true;
    if (!ask) return false;
    const send = 'Send Key There';
    const provider = isPresetId(destination.providerId) ? PROVIDER_PRESETS[destination.providerId].label : destination.providerId;
    const answer = await askWhole(
      {
        text:
          `Baton: the ${destination.role} is set to send its requests, with your ${provider} key (stored as "${destination.keyName}"), to ${destination.baseURL}, ` +
          `which is not ${provider}'s own server. A workspace's settings can name any address: send your key there only if you set it up.`,
        heading: 'Send your API key to this address?',
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

/** Whether the person's own user settings give the role this address. */
function inUserSettings(role: Role, baseURL: string): boolean {
  const roles = vscode.workspace.getConfiguration('baton').inspect<Record<string, { baseURL?: unknown } | undefined>>('roles')?.globalValue;
  return roles?.[role]?.baseURL === baseURL;
}
