import { PRESET_IDS, PROVIDER_PRESETS, type PresetId } from './presets';
import type { Role } from './providerSettings';

// A role's provider, model and address decide where its prompts and its API key go. When they are
// handed to Baton as command arguments (a `command:` link can carry any), Baton asks the person
// first, naming each value and what it replaces.

export interface RoleBinding {
  provider: string;
  model: string;
  baseURL?: string;
}

export interface RoleChangeQuestion {
  message: string;
  detail: string;
}

export function describeRoleChange(role: Role, before: Readonly<Record<string, unknown>> | undefined, after: RoleBinding): RoleChangeQuestion {
  const now =
    before && typeof before.provider === 'string' && typeof before.model === 'string'
      ? { provider: before.provider, model: before.model, ...(typeof before.baseURL === 'string' ? { baseURL: before.baseURL } : {}) }
      : undefined;
  const target = addressOf(after);
  const line = (name: string, next: string, previous: string | undefined): string =>
    `${name}: ${next}${previous === next ? ' (unchanged)' : ` (now: ${previous ?? 'not set'})`}`;
  return {
    message: `Baton: change the ${role} role to ${after.model} (${after.provider}) at ${target}?`,
    detail: [
      `A command asked for this with arguments (a link, a script or another extension), not Baton's own pickers. baton.roles.${role} in the workspace settings becomes:`,
      line('provider', after.provider, now?.provider),
      line('model', after.model, now?.model),
      line('address', target, now && addressOf(now)),
      `Every prompt of the ${role} role${isPreset(after.provider) && PROVIDER_PRESETS[after.provider].needsKey ? `, and the ${PROVIDER_PRESETS[after.provider].label} API key from SecretStorage,` : ''} will go to ${target}. Change it only if you asked for it.`,
    ].join('\n'),
  };
}

function addressOf(binding: RoleBinding): string {
  if (binding.baseURL) return binding.baseURL;
  return isPreset(binding.provider) ? PROVIDER_PRESETS[binding.provider].defaultBaseURL : "VS Code's language models";
}

function isPreset(provider: string): provider is PresetId {
  return (PRESET_IDS as readonly string[]).includes(provider);
}
