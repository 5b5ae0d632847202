import * as vscode from 'vscode';
import { COMMANDS, type CommandId } from '../commandIds';
import type { ContextEngines } from '../contextEngines';
import type { EditorSignalTracker } from '../editorSignals';
import type { PlanStatusBar } from '../planStatusBar';
import type { DiffReview } from '../review/diffReview';
import { WorkspaceEditApplier } from '../review/editApplier';
import type { KeyDestinations } from '../keyDestinations';
import type { RunActivity } from '../runActivity';
import type { ContextSettingsReader } from '../settings';
import type { SidebarViewProvider } from '../sidebar/sidebarView';
import type { TaskSidebar } from '../sidebar/taskSidebar';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import type { ContextPreferences } from '../state/contextPreferences';
import type { JournalRecorder } from '../state/journalRecorder';
import { onFirstUse } from '../onFirstUse';
import { VsCodeSecretStore } from '../vscodeSecretStore';
import { nodeIdArgument } from '../workspaceTree';
import { createCheckpoint, restoreCheckpoint } from './checkpointCommands';
import { editNode, setNodeMode } from './editNodeCommands';
import { newTask } from './newTaskCommand';
import { setFileChoice } from './pinExcludeCommands';
import { reviewCommands } from './reviewCommands';
import { reviewPendingChanges } from './reviewPendingCommand';
import { selectModelForRole } from './selectModelCommand';
import { setApiKey } from './setApiKeyCommand';
import { setBudget } from './setBudgetCommand';
import { setSplitPolicy } from './setSplitPolicyCommand';
import type { JournalDocuments } from './showJournalCommand';
import { openWalkthrough } from './walkthroughCommand';

/** Any command's handler: VS Code passes whatever its caller gave, so each checks its own arguments. */
export type CommandHandler = (...args: never[]) => unknown;

/** One handler for every id in COMMANDS, no more (the type holds the table and the ids together). */
export type CommandTable = Record<CommandId, CommandHandler>;

export interface CommandDependencies {
  context: vscode.ExtensionContext;
  engines: ContextEngines;
  settings: ContextSettingsReader;
  signals: EditorSignalTracker;
  preferences: ContextPreferences;
  journal: JournalRecorder;
  journalDocuments: JournalDocuments;
  review: DiffReview;
  workspaces: BatonWorkspaces;
  /** What is under way, for the sidebar (a node being decomposed shows as planning, a run as running). */
  activity: RunActivity;
  /** Where the person said a stored key may go (a workspace's settings can name any address). */
  keys: KeyDestinations;
  sidebar: SidebarViewProvider;
  tasks: TaskSidebar;
  statusBar: PlanStatusBar;
  log: vscode.LogOutputChannel;
}

/** Every Baton command, id -> handler. Each also takes arguments, for scripts, menus and tests. */
export function commandTable(deps: CommandDependencies): CommandTable {
  const { context, log, activity } = deps;
  // The commands that plan and run load the engine, the model clients and the checkpoints' code on first use.
  const contextPlan = onFirstUse(async () => new (await import('./contextPlanCommand')).ContextPlanCommand(deps));
  const runSubtask = onFirstUse(
    async () => new (await import('./runSubtaskCommand')).RunSubtaskCommand({ ...deps, applierFor: (files) => new WorkspaceEditApplier(files, log) }),
  );
  const runPicked = async (nodeId?: unknown): Promise<unknown> => (await runSubtask()).run('pick', nodeIdArgument(nodeId));
  return {
    [COMMANDS.showContextPlan]: async (task?: unknown) => (await contextPlan()).run(task),
    [COMMANDS.newTask]: (task?: unknown) => newTask(deps.workspaces, deps.settings, deps.journal, task),
    [COMMANDS.decompose]: async (nodeId?: unknown) => (await import('./decomposeCommand')).decompose({ ...deps, secrets: context.secrets }, nodeId),
    [COMMANDS.editTask]: (nodeId?: unknown) => editNode(deps.workspaces, nodeId),
    [COMMANDS.setBudget]: (nodeId?: unknown, tokens?: unknown) => setBudget(deps.workspaces, nodeId, tokens),
    [COMMANDS.setSplitPolicy]: (nodeId?: unknown, policy?: unknown) => setSplitPolicy(deps.workspaces, nodeId, policy),
    [COMMANDS.keepForMe]: (nodeId?: unknown) => setNodeMode(deps.workspaces, 'keep', nodeId),
    [COMMANDS.delegate]: (nodeId?: unknown) => setNodeMode(deps.workspaces, 'delegate', nodeId),
    [COMMANDS.pinFile]: (clicked?: unknown, selected?: unknown) => setFileChoice(deps.preferences, 'pin', clicked, selected),
    [COMMANDS.excludeFile]: (clicked?: unknown, selected?: unknown) => setFileChoice(deps.preferences, 'exclude', clicked, selected),

    [COMMANDS.runSubtask]: runPicked,
    // The same run, under the name a failed node's menu gives it.
    [COMMANDS.retrySubtask]: runPicked,
    [COMMANDS.runNextSubtask]: async () => (await runSubtask()).run('next'),
    // Stopping asks nothing: like the progress notification's Cancel, it writes nothing unreviewed.
    [COMMANDS.stopRun]: (nodeId?: unknown) => {
      const running = nodeIdArgument(nodeId) ?? activity.runningNode?.nodeId;
      return running !== undefined && activity.stop(running);
    },

    [COMMANDS.reviewPendingChanges]: () => reviewPendingChanges(deps.review),
    ...reviewCommands(deps.review),

    [COMMANDS.createCheckpoint]: (args?: unknown) => createCheckpoint(deps.workspaces, log, args),
    // Only the id: a confirmation or force given as an argument could come from a `command:` link.
    [COMMANDS.restoreCheckpoint]: (id?: unknown) => restoreCheckpoint(deps.workspaces, log, id),
    [COMMANDS.showJournal]: (options?: unknown) => deps.journalDocuments.show(options),

    [COMMANDS.revealNode]: (nodeId?: unknown) => deps.tasks.reveal(nodeIdArgument(nodeId)),
    [COMMANDS.refreshSidebar]: () => deps.tasks.reload(),

    [COMMANDS.selectModelForRole]: (role?: unknown, args?: unknown) => selectModelForRole({ log, secrets: context.secrets, keys: deps.keys }, role, args),
    [COMMANDS.setApiKey]: () => setApiKey(new VsCodeSecretStore(context.secrets), deps.keys, log),
    [COMMANDS.openSettings]: () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:baton-dev.baton'),
    [COMMANDS.showLog]: () => log.show(),
    [COMMANDS.openWalkthrough]: () => openWalkthrough(context),
  };
}
