// The CLI's provider settings from the environment, the way OpenAI's own tools read it:
// OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL put every role on one model. The key goes into a
// SecretStore held in memory, so the router reads it the same way as in the editor.
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
  const secrets: SecretStore = {
    get: async (key) => keys.get(key),
    set: async (key, value) => void keys.set(key, value),
    delete: async (key) => void keys.delete(key),
  };
  return { settings, secrets };
}
