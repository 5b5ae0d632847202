import * as vscode from 'vscode';
import { errorKind } from '../core/batonError';
import { AuthenticationError, ConnectionFailedError, MissingKeyError, ProviderError } from '../core/providers/errors';
import { ROLES, type Role } from '../core/providers/providerSettings';
import { StructuredOutputError } from '../core/providers/structured';
import { COMMANDS } from './commandIds';
import { notifyError } from './notifications';
import { bindingKey, roleHealth } from './roleHealth';
import { roleBinding } from './sidebar/roleBindings';

/** A model step's failure in words for the person: Baton's own errors already name the setting or step. */
export function describeModelError(err: unknown): string {
  if (errorKind(err) !== 'bug') return (err as Error).message;
  return `unexpected failure: ${err instanceof Error ? err.message : String(err)} (details in the "Baton" log)`;
}

/** What fixes a failed model call: an address the server is not at, a key, or the role's model. */
export type ModelErrorFix = 'Change Base URL…' | 'Set API Key' | 'Select Model for Role';

export function fixFor(err: unknown): ModelErrorFix {
  if (err instanceof ConnectionFailedError) return 'Change Base URL…';
  if (err instanceof AuthenticationError || err instanceof MissingKeyError) return 'Set API Key';
  return 'Select Model for Role';
}

/**
 * Shows a failed model call with the one fix that can work, and marks the role failing in the Roles
 * panel. The role is the one bound to the failing provider (and address), else `likelyRole`.
 */
export async function offerModelErrorFixes(err: unknown, message: string, likelyRole: Role, log: vscode.LogOutputChannel): Promise<void> {
  const role = roleOf(err) ?? likelyRole;
  const { provider, model, baseURL } = roleBinding(role);
  if (err instanceof ProviderError && provider && model) {
    const reason = err.message.slice(err.message.indexOf(': ') + 2).split('. ')[0] ?? err.message;
    roleHealth.mark(role, { state: 'failing', reason, binding: bindingKey(provider, model, baseURL) });
  }
  const fix = fixFor(err);
  const choice = await notifyError(`Baton: ${message}`, fix, 'Show Log');
  if (choice === 'Change Base URL…') void vscode.commands.executeCommand(COMMANDS.selectModelForRole, role, { startAt: 'baseURL' });
  if (choice === 'Set API Key') void vscode.commands.executeCommand(COMMANDS.setApiKey);
  if (choice === 'Select Model for Role') void vscode.commands.executeCommand(COMMANDS.selectModelForRole, role);
  if (choice === 'Show Log') log.show(true);
}

function roleOf(err: unknown): Role | undefined {
  if (!(err instanceof ProviderError || err instanceof StructuredOutputError)) return undefined;
  const bound = ROLES.filter((role) => roleBinding(role).provider === err.providerId);
  const at = err instanceof ConnectionFailedError ? bound.find((role) => roleBinding(role).baseURL?.replace(/\/+$/, '') === err.baseURL) : undefined;
  return at ?? bound[0];
}
