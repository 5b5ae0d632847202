import * as vscode from 'vscode';
import { ROLES } from '../../core/providers/providerSettings';
import type { RoleView } from '../../protocol';

/**
 * Which provider and model serve each role, straight from `baton.roles` as written (a bad value is
 * named by the settings check, not here): a role without both is "not set".
 */
export function readRoleBindings(): RoleView[] {
  const roles = vscode.workspace.getConfiguration('baton').get<unknown>('roles');
  return ROLES.map((role) => {
    const setting = isRecord(roles) ? roles[role] : undefined;
    const provider = isRecord(setting) && typeof setting.provider === 'string' && setting.provider.trim() ? setting.provider.trim() : null;
    const model = isRecord(setting) && typeof setting.model === 'string' && setting.model.trim() ? setting.model.trim() : null;
    return { role, provider: provider?.slice(0, 200) ?? null, model: model?.slice(0, 500) ?? null };
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
