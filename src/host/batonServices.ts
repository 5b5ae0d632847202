import * as vscode from 'vscode';
import { commandTable, type CommandTable } from './commands/commandTable';
import { JOURNAL_SCHEME, JournalDocuments } from './commands/showJournalCommand';
import { ContextEngines } from './contextEngines';
import type { EditorSignalTracker } from './editorSignals';
import { planContextTool } from './planContextTool';
import { PlanStatusBar } from './planStatusBar';
import { watchProviderSettings } from './providerSettingsCheck';
import { DiffReview } from './review/diffReview';
import { RunActivity } from './runActivity';
import { ContextSettingsReader } from './settings';
import { registerTaskSidebar } from './sidebar/registerTaskSidebar';
import { SidebarViewProvider } from './sidebar/sidebarView';
import { BatonWorkspaces } from './state/batonWorkspaces';
import { ContextPreferences } from './state/contextPreferences';
import { JournalRecorder } from './state/journalRecorder';

/** Baton's parts in a window, made on first use (the sidebar, a command, the tool): what activation registered calls into. */
export interface BatonServices {
  sidebar: SidebarViewProvider;
  commands: CommandTable;
  planContextTool: vscode.LanguageModelTool<unknown>;
  diffReview: DiffReview;
  /** Pinned and excluded files per folder (.baton/context.json), for the sidebar and tests. */
  contextPreferences: ContextPreferences;
  journal: JournalRecorder;
  /** Each folder's Baton state: tree, checkpoints (signed with the folder's key), journal, preferences. */
  workspaces: BatonWorkspaces;
}

export interface ActivationParts {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  signals: EditorSignalTracker;
}

/** Makes Baton's services; what they hold is disposed with the extension. */
export function startServices({ context, log, signals }: ActivationParts): BatonServices {
  const sidebar = new SidebarViewProvider(context.extensionUri, log);
  // The index cache: the workspace's storage, or the global one when no workspace is open (never the workspace itself).
  const engines = new ContextEngines(log, context.storageUri ?? context.globalStorageUri);
  const statusBar = new PlanStatusBar();
  const settings = new ContextSettingsReader(log);
  // The one owner of each folder's .baton/: every command, the sidebar and the runs share it.
  const workspaces = new BatonWorkspaces(context.secrets, log);
  const contextPreferences = new ContextPreferences(workspaces);
  const journal = new JournalRecorder(workspaces, log);
  const journalDocuments = new JournalDocuments(journal);
  const providerSettings = watchProviderSettings(log);
  const diffReview = new DiffReview(log);
  const activity = new RunActivity();
  const { tasks, registration } = registerTaskSidebar({ sidebar, engines, settings, secrets: context.secrets, workspaces, activity, log });
  const commands = commandTable({
    context,
    engines,
    settings,
    signals,
    preferences: contextPreferences,
    journal,
    journalDocuments,
    review: diffReview,
    workspaces,
    activity,
    sidebar,
    tasks,
    statusBar,
    log,
  });
  context.subscriptions.push(
    activity,
    providerSettings,
    engines,
    statusBar,
    diffReview,
    contextPreferences,
    journalDocuments,
    vscode.workspace.registerTextDocumentContentProvider(JOURNAL_SCHEME, journalDocuments),
    registration,
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The index is rebuilt with the new limit on the next plan (ContextEngines compares it).
      if (e.affectsConfiguration('baton.context.maxFileBytes')) log.info('baton.context.maxFileBytes changed: the next plan re-indexes.');
    }),
  );
  return { sidebar, commands, planContextTool: planContextTool(engines, settings), diffReview, contextPreferences, journal, workspaces };
}
