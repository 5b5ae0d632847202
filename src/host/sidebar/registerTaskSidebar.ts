import * as vscode from 'vscode';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import type { ContextEngines } from '../contextEngines';
import type { ContextSettingsReader } from '../settings';
import type { RunActivity } from '../runActivity';
import type { SidebarViewProvider } from './sidebarView';
import { DecisionStatusBar } from './decisionStatusBar';
import { CheckpointPreImages } from './checkpointPreImages';
import { NodeBudgetStatusBar } from './nodeBudgetStatusBar';
import type { KeyDestinations } from '../keyDestinations';
import { TaskSidebar } from './taskSidebar';

export interface TaskSidebarSetup {
  sidebar: SidebarViewProvider;
  engines: ContextEngines;
  settings: ContextSettingsReader;
  secrets: vscode.SecretStorage;
  keys: KeyDestinations;
  workspaces: BatonWorkspaces;
  activity: RunActivity;
  log: vscode.LogOutputChannel;
}

/**
 * The task tree, ledger, timeline and roles in the sidebar, the node's status bar items (their
 * commands are in the command table) and the checkpoints' pre-images its timeline compares with.
 */
export function registerTaskSidebar(setup: TaskSidebarSetup): { tasks: TaskSidebar; preImages: CheckpointPreImages; registration: vscode.Disposable } {
  const statusBar = new NodeBudgetStatusBar();
  const tasks = new TaskSidebar({ ...setup, statusBar });
  const registration = vscode.Disposable.from(statusBar, new DecisionStatusBar(setup.activity), tasks);
  const preImages = new CheckpointPreImages(() => vscode.workspace.workspaceFolders?.[0]?.uri, setup.workspaces);
  return { tasks, preImages, registration };
}
