import * as vscode from 'vscode';
import { commandTable, type CommandTable } from './commands/commandTable';
import { JournalDocuments } from './commands/showJournalCommand';
import { ContextEngines } from './contextEngines';
import { JOURNAL_SCHEME, PRE_IMAGE_SCHEME, type DocumentScheme } from './documentSchemes';
import type { EditorSignalTracker } from './editorSignals';
import { planContextTool } from './planContextTool';
import { PlanStatusBar } from './planStatusBar';
import { watchProviderSettings } from './providerSettingsCheck';
import { DiffReview } from './review/diffReview';
import { KeyDestinations } from './keyDestinations';
import { RunActivity } from './runActivity';
import { ContextSettingsReader } from './settings';
import { registerTaskSidebar } from './sidebar/registerTaskSidebar';
import { SidebarViewProvider } from './sidebar/sidebarView';
import { BatonWorkspaces } from './state/batonWorkspaces';
import { ContextPreferences } from './state/contextPreferences';
import { JournalRecorder } from './state/journalRecorder';

/** Baton's parts in a window, made on first use (the sidebar, a command, the tool, a document): what activation registered calls into. */
export interface BatonServices {
  sidebar: SidebarViewProvider;
  commands: CommandTable;
  planContextTool: vscode.LanguageModelTool<unknown>;
  documents: Record<DocumentScheme, vscode.TextDocumentContentProvider>;
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

/**
 * Makes Baton's services; what they hold is disposed with the extension. If making them fails
 * part way, what was made is disposed at once, so a second attempt registers nothing twice.
 */
export function startServices({ context, log, signals }: ActivationParts): BatonServices {
  const made: vscode.Disposable[] = [];
  const own = <T extends vscode.Disposable>(d: T): T => (made.push(d), d);
  try {
    const sidebar = new SidebarViewProvider(context.extensionUri, log);
    // The index cache: the workspace's storage, or the global one when no workspace is open (never the workspace itself).
    const engines = own(new ContextEngines(log, context.storageUri ?? context.globalStorageUri));
    const statusBar = own(new PlanStatusBar());
    const settings = new ContextSettingsReader(log);
    // The one owner of each folder's .baton/: every command, the sidebar and the runs share it.
    const workspaces = new BatonWorkspaces(context.secrets, log);
    const contextPreferences = own(new ContextPreferences(workspaces));
    const journal = new JournalRecorder(workspaces, log);
    const journalDocuments = own(new JournalDocuments(journal));
    own(watchProviderSettings(log));
    const diffReview = own(new DiffReview(log));
    const activity = own(new RunActivity());
    const keys = new KeyDestinations(context.workspaceState);
    const { tasks, preImages, registration } = registerTaskSidebar({ sidebar, engines, settings, secrets: context.secrets, keys, workspaces, activity, log });
    own(registration);
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
      keys,
      sidebar,
      tasks,
      statusBar,
      log,
    });
    own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // The index is rebuilt with the new limit on the next plan (ContextEngines compares it).
        if (e.affectsConfiguration('baton.context.maxFileBytes')) log.info('baton.context.maxFileBytes changed: the next plan re-indexes.');
      }),
    );
    context.subscriptions.push(...made);
    return {
      sidebar,
      commands,
      planContextTool: planContextTool(engines, settings),
      documents: { [JOURNAL_SCHEME]: journalDocuments, [PRE_IMAGE_SCHEME]: preImages },
      diffReview,
      contextPreferences,
      journal,
      workspaces,
    };
  } catch (err) {
    for (const d of made.reverse()) d.dispose();
    throw err;
  }
}
