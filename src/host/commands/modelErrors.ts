import { BudgetError } from '../../core/context/engine';
import { ProviderError } from '../../core/providers/errors';
import { SettingsError } from '../../core/providers/providerSettings';
import { RoleNotConfiguredError } from '../../core/providers/router';
import { StructuredOutputError } from '../../core/providers/structured';
import { TaskTreeError } from '../../core/tasks/taskTree';

/** A model step's failure in words for the person: known errors already name the setting or step. */
export function describeModelError(err: unknown): string {
  const known = [ProviderError, StructuredOutputError, SettingsError, RoleNotConfiguredError, BudgetError, TaskTreeError];
  if (known.some((type) => err instanceof type)) return (err as Error).message;
  return `unexpected failure: ${err instanceof Error ? err.message : String(err)} (details in the "Baton" log)`;
}
