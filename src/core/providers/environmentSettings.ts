// The CLI's provider settings from the environment, the way OpenAI's own tools read it:
// OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL put every role on one model. Keys go into a
// SecretStore held in memory, so the router reads them the same way as in the editor; any other
// key comes from its own variable (BATON_KEY_OPENROUTER for "baton.key.openrouter").
import type { SecretStore } from '../ports';
import { keyNameFor, presetForBaseURL } from './presets';
import { ROLES, SettingsError, parseProviderSettings, type ProviderSettings, type RoleSetting } from './providerSettings';

export interface EnvironmentSettings {
  settings: ProviderSettings;
  secrets: SecretStore;
}

export function settingsFromEnvironment(env: Readonly<Record<string, string | undefined>>): EnvironmentSettings {
  const baseURL = env.OPENAI_BASE_URL?.trim() || undefined;
  const model = env.OPENAI_MODEL?.trim() || undefined;
  const apiKey = env.OPENAI_API_KEY?.trim() || undefined;
  if (baseURL && !/^https?:\/\/[^/]/.test(baseURL)) {
    throw new SettingsError([`OPENAI_BASE_URL must be an http(s) URL such as http://127.0.0.1:11434/v1 (it is "${baseURL}")`]);
  }
  const preset = baseURL ? presetForBaseURL(baseURL) : 'openai';
  const keys = new Map<string, string>();
  if (apiKey) keys.set(keyNameFor(preset), apiKey);
  // No model: no roles, and Baton still plans context without one.
  const role: RoleSetting | undefined = model ? { provider: preset, model, ...(baseURL ? { baseURL } : {}) } : undefined;
  const roles = role ? Object.fromEntries(ROLES.map((name) => [name, role])) : undefined;
  const settings = parseProviderSettings({ roles }, { prefix: 'environment' });
  return { settings, secrets: environmentSecrets(env, keys) };
}

/**
 * The environment variable that holds a SecretStore entry: "baton.key.openai" is BATON_KEY_OPENAI,
 * a role's own keyName "work" is BATON_KEY_WORK. Always a BATON_KEY_ variable: a settings file can
 * never have another variable of the environment (a CI token) sent as a key.
 */
export function environmentVariableFor(keyName: string): string {
  const name = keyName.replace(/^baton\.key\./, '');
  return `BATON_KEY_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * Keys from the environment, read the way the router asks the editor's SecretStorage: each entry
 * from its variable (environmentVariableFor), after the ones already known. Held in memory only.
 */
export function environmentSecrets(env: Readonly<Record<string, string | undefined>>, known: ReadonlyMap<string, string> = new Map()): SecretStore {
  const keys = new Map(known);
  return {
    get: async (key) => keys.get(key) ?? (env[environmentVariableFor(key)]?.trim() || undefined),
    set: async (key, value) => void keys.set(key, value),
    delete: async (key) => void keys.delete(key),
  };
}
