import * as vscode from 'vscode';
import { BatonWorkspaces } from './batonWorkspaces';
import { ContextPreferences } from './commands/contextPreferences';
import { JournalRecorder } from './commands/journalRecorder';
import { registerBatonCommands } from './commands/registerBatonCommands';
import { ContextEngines } from './contextEngines';
import { ContextPlanCommand } from './contextPlanCommand';
import { EditorSignalTracker } from './editorSignals';
import { registerPlanContextTool } from './lmTool';
import { registerMcpServerDefinition } from './mcpServerDefinition';
import { PlanStatusBar } from './planStatusBar';
import { watchProviderSettings } from './providerSettingsCheck';
import { DiffReview } from './review/diffReview';
import { WorkspaceEditApplier } from './review/editApplier';
import { registerReviewCommands } from './review/reviewCommands';
import { RunActivity } from './runActivity';
import { RunSubtaskCommand } from './runSubtaskCommand';
import { nodeIdArgument } from './workspaceTree';
import { setApiKey } from './setApiKeyCommand';
import { ContextSettingsReader } from './settings';
import { registerTaskSidebar } from './sidebar/registerTaskSidebar';
import { SidebarViewProvider } from './sidebarView';
import { VsCodeSecretStore } from './vscodeSecretStore';

/** What the extension hands to other code in the same host (the in-editor tests, the delegation flow). */
export interface BatonExtensionApi {
  diffReview: DiffReview;
  /** Pinned and excluded files per folder (.baton/context.json), for the sidebar and tests. */
  contextPreferences: ContextPreferences;
  journal: JournalRecorder;
  /** Each folder's Baton state: tree, checkpoints (signed with the folder's key), journal, preferences. */
  workspaces: BatonWorkspaces;
}

export function activate(context: vscode.ExtensionContext): BatonExtensionApi {
  const log = vscode.window.createOutputChannel('Baton', { log: true });
  const sidebar = new SidebarViewProvider(context.extensionUri, log);
  // The index cache: the workspace's storage, or the global one when no workspace is open (never the workspace itself).
  const engines = new ContextEngines(log, context.storageUri ?? context.globalStorageUri);
  const signals = new EditorSignalTracker();
  const statusBar = new PlanStatusBar();
  const settings = new ContextSettingsReader(log);
  // The one owner of each folder's .baton/: every command, the sidebar and the runs share it.
  const workspaces = new BatonWorkspaces(context.secrets, log);
  const contextPreferences = new ContextPreferences(workspaces);
  const journal = new JournalRecorder(workspaces, log);
  const command = new ContextPlanCommand({ engines, signals, settings, sidebar, statusBar, log, preferences: contextPreferences });
  const providerSettings = watchProviderSettings(log);
  const diffReview = new DiffReview(log);
  const activity = new RunActivity();
  const runSubtask = new RunSubtaskCommand({ context, engines, settings, review: diffReview, applierFor: (files) => new WorkspaceEditApplier(files, log), workspaces, log, preferences: contextPreferences, journal, activity });
  context.subscriptions.push(
    log,
    activity,
    providerSettings,
    engines,
    signals,
    statusBar,
    diffReview,
    registerReviewCommands(diffReview),
    contextPreferences,
    registerBatonCommands({ context, engines, settings, signals, preferences: contextPreferences, journal, review: diffReview, workspaces, activity, log }),
    vscode.window.registerWebviewViewProvider(SidebarViewProvider.viewId, sidebar),
    registerTaskSidebar({ sidebar, engines, settings, secrets: context.secrets, workspaces, activity, log }),
    vscode.commands.registerCommand('baton.showContextPlan', (task?: unknown) => command.run(task)),
    vscode.commands.registerCommand('baton.runSubtask', (nodeId?: unknown) => runSubtask.run('pick', nodeIdArgument(nodeId))),
    // The same run, under the name a failed node's menu gives it.
    vscode.commands.registerCommand('baton.retrySubtask', (nodeId?: unknown) => runSubtask.run('pick', nodeIdArgument(nodeId))),
    // Stopping asks nothing: like the progress notification's Cancel, it writes nothing unreviewed.
    vscode.commands.registerCommand('baton.stopRun', (nodeId?: unknown) => {
      const running = nodeIdArgument(nodeId) ?? activity.runningNode?.nodeId;
      return running !== undefined && activity.stop(running);
    }),
    vscode.commands.registerCommand('baton.showLog', () => log.show()),
    vscode.commands.registerCommand('baton.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:baton-dev.baton')),
    vscode.commands.registerCommand('baton.runNextSubtask', () => runSubtask.run('next')),
    vscode.commands.registerCommand('baton.setApiKey', () => setApiKey(new VsCodeSecretStore(context.secrets), log)),
    registerPlanContextTool(engines, settings),
    registerMcpServerDefinition(context),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The index is rebuilt with the new limit on the next plan (ContextEngines compares it).
      if (e.affectsConfiguration('baton.context.maxFileBytes')) log.info('baton.context.maxFileBytes changed: the next plan re-indexes.');
    }),
  );
  return { diffReview, contextPreferences, journal, workspaces };
}

export function deactivate(): void {}
