import * as vscode from 'vscode';
import { isPresetId, PROVIDER_PRESETS } from '../../core/providers/presets';
import { ROLES, type Role } from '../../core/providers/providerSettings';
import type { RoleView } from '../../protocol';
import { bindingKey, roleHealth } from '../roleHealth';

/**
 * Which provider, model and address serve each role, straight from `baton.roles` as written (a bad
 * value is named by the settings check, not here): a role without both is "not set". The address is
 * the role's baseURL, else its preset's default; with the mark its last call or test earned.
 */
export function readRoleBindings(): RoleView[] {
  return ROLES.map((role) => {
    const { provider, model, baseURL } = roleBinding(role);
    const health = provider && model ? roleHealth.current(role, bindingKey(provider, model, baseURL)) : null;
    return {
      role,
      provider: provider?.slice(0, 200) ?? null,
      model: model?.slice(0, 500) ?? null,
      baseURL: baseURL?.slice(0, 2000) ?? null,
      health: health && { state: health.state, reason: health.reason.slice(0, 500) },
    };
  });
}

/** A role's provider, model and effective base URL as the settings hold them now. */
export function roleBinding(role: Role): { provider: string | null; model: string | null; baseURL: string | null } {
  const roles = vscode.workspace.getConfiguration('baton').get<unknown>('roles');
  const setting = isRecord(roles) ? roles[role] : undefined;
  const text = (key: string): string | null => (isRecord(setting) && typeof setting[key] === 'string' && setting[key].trim() ? setting[key].trim() : null);
  const provider = text('provider');
  const baseURL = text('baseURL') ?? (provider && isPresetId(provider) ? PROVIDER_PRESETS[provider].defaultBaseURL : null);
  return { provider, model: text('model'), baseURL };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
