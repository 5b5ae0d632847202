import * as vscode from 'vscode';
import type { BatonWorkspaces } from '../batonWorkspaces';
import type { ContextEngines } from '../contextEngines';
import type { ContextSettingsReader } from '../settings';
import type { RunActivity } from '../runActivity';
import type { SidebarViewProvider } from '../sidebarView';
import { nodeIdArgument } from '../workspaceTree';
import { DecisionStatusBar } from './decisionStatusBar';
import { CheckpointPreImages, PRE_IMAGE_SCHEME } from './checkpointPreImages';
import { NodeBudgetStatusBar, REVEAL_NODE_COMMAND } from './nodeBudgetStatusBar';
import { TaskSidebar } from './taskSidebar';

/** Command other Baton commands run after changing the tree or the checkpoints (the file watcher also sees it, later). */
export const REFRESH_SIDEBAR_COMMAND = 'baton.sidebar.refresh';

export interface TaskSidebarSetup {
  sidebar: SidebarViewProvider;
  engines: ContextEngines;
  settings: ContextSettingsReader;
  secrets: vscode.SecretStorage;
  workspaces: BatonWorkspaces;
  activity: RunActivity;
  log: vscode.LogOutputChannel;
}

/** The task tree, ledger, timeline and roles in the sidebar, the node's status bar item and their commands. */
export function registerTaskSidebar(setup: TaskSidebarSetup): vscode.Disposable {
  const statusBar = new NodeBudgetStatusBar();
  const tasks = new TaskSidebar({ ...setup, statusBar });
  return vscode.Disposable.from(
    statusBar,
    new DecisionStatusBar(setup.activity),
    tasks,
    vscode.workspace.registerTextDocumentContentProvider(PRE_IMAGE_SCHEME, new CheckpointPreImages(() => vscode.workspace.workspaceFolders?.[0]?.uri, setup.workspaces)),
    vscode.commands.registerCommand(REVEAL_NODE_COMMAND, (nodeId?: unknown) => tasks.reveal(nodeIdArgument(nodeId))),
    vscode.commands.registerCommand(REFRESH_SIDEBAR_COMMAND, () => tasks.reload()),
  );
}
