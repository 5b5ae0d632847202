import * as vscode from 'vscode';
import type { BatonWorkspaces } from '../batonWorkspaces';
import type { ContextEngines } from '../contextEngines';
import type { EditorSignalTracker } from '../editorSignals';
import type { DiffReview } from '../review/diffReview';
import type { RunActivity } from '../runActivity';
import type { ContextSettingsReader } from '../settings';
import { createCheckpoint, restoreCheckpoint } from './checkpointCommands';
import type { ContextPreferences } from './contextPreferences';
import { decompose } from './decomposeCommand';
import { editNode, setNodeMode } from './editNodeCommands';
import type { JournalRecorder } from './journalRecorder';
import { newTask } from './newTaskCommand';
import { setFileChoice } from './pinExcludeCommands';
import { reviewPendingChanges } from './reviewPendingCommand';
import { selectModelForRole } from './selectModelCommand';
import { setBudget } from './setBudgetCommand';
import { JOURNAL_SCHEME, JournalDocuments } from './showJournalCommand';
import { openWalkthrough } from './walkthroughCommand';

export interface BatonCommandDependencies {
  context: vscode.ExtensionContext;
  engines: ContextEngines;
  settings: ContextSettingsReader;
  signals: EditorSignalTracker;
  preferences: ContextPreferences;
  journal: JournalRecorder;
  review: DiffReview;
  workspaces: BatonWorkspaces;
  /** What is under way, for the sidebar (a node being decomposed shows as planning). */
  activity: RunActivity;
  log: vscode.LogOutputChannel;
}

/** The palette's task, context, checkpoint, model and journal commands (each also takes arguments, for scripts and tests). */
export function registerBatonCommands(deps: BatonCommandDependencies): vscode.Disposable {
  const { context, log } = deps;
  const journalDocuments = new JournalDocuments(deps.journal);
  const register = vscode.commands.registerCommand;
  return vscode.Disposable.from(
    journalDocuments,
    vscode.workspace.registerTextDocumentContentProvider(JOURNAL_SCHEME, journalDocuments),
    register('baton.newTask', (task?: unknown) => newTask(deps.workspaces, deps.settings, deps.journal, task)),
    register('baton.decompose', (nodeId?: unknown) => decompose({ ...deps, secrets: context.secrets }, nodeId)),
    register('baton.pinFile', (clicked?: unknown, selected?: unknown) => setFileChoice(deps.preferences, 'pin', clicked, selected)),
    register('baton.excludeFile', (clicked?: unknown, selected?: unknown) => setFileChoice(deps.preferences, 'exclude', clicked, selected)),
    register('baton.setBudget', (nodeId?: unknown, tokens?: unknown) => setBudget(deps.workspaces, nodeId, tokens)),
    register('baton.editTask', (nodeId?: unknown) => editNode(deps.workspaces, nodeId)),
    register('baton.keepForMe', (nodeId?: unknown) => setNodeMode(deps.workspaces, 'keep', nodeId)),
    register('baton.delegate', (nodeId?: unknown) => setNodeMode(deps.workspaces, 'delegate', nodeId)),
    register('baton.createCheckpoint', (args?: unknown) => createCheckpoint(deps.workspaces, log, args)),
    // Only the id: a confirmation or force given as an argument could come from a `command:` link.
    register('baton.restoreCheckpoint', (id?: unknown) => restoreCheckpoint(deps.workspaces, log, id)),
    register('baton.reviewPendingChanges', () => reviewPendingChanges(deps.review)),
    register('baton.selectModelForRole', (role?: unknown, args?: unknown) => selectModelForRole({ log, secrets: context.secrets }, role, args)),
    register('baton.openWalkthrough', () => openWalkthrough(context)),
    register('baton.showJournal', (options?: unknown) => journalDocuments.show(options)),
  );
}
