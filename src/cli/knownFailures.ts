import { CheckpointError } from '../core/checkpoints/checkpointError';
import { ContextPreferencesError } from '../core/context/contextPreferences';
import { BudgetError } from '../core/context/engine';
import { ProviderError } from '../core/providers/errors';
import { SettingsError } from '../core/providers/providerSettings';
import { RoleNotConfiguredError } from '../core/providers/router';
import { PathRefusedError } from '../core/security/pathPolicy';
import { TaskTreeError } from '../core/tasks/taskTree';
import { TreeFileError } from '../core/tasks/treeStore';
import { RunInProgressError, StateLockedError } from '../core/workspace/stateConflicts';
import { EXIT } from './cliNodeRun';

/**
 * The message of a failure the person can act on (a bad setting, an unreadable state file, a
 * refused path, a model that would not answer), shown as it is worded; undefined for anything else,
 * which is a bug and keeps its stack.
 */
function failureMessage(err: unknown): string | undefined {
  const known = [SettingsError, ProviderError, RoleNotConfiguredError, TaskTreeError, TreeFileError, ContextPreferencesError, CheckpointError, PathRefusedError, BudgetError, StateLockedError, RunInProgressError];
  return known.some((type) => err instanceof type) ? (err as Error).message : undefined;
}

/** Runs a command's work; a failure the person can act on is printed (through `say`) and exits 1. */
export async function exitOnKnownFailure(say: (text: string) => void, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (err) {
    const message = failureMessage(err);
    if (message === undefined) throw err;
    say(`baton: ${message}`);
    return EXIT.failed;
  }
}
