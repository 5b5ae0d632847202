import * as vscode from 'vscode';
import { ContextEngines } from './contextEngines';
import { ContextPlanCommand } from './contextPlanCommand';
import { EditorSignalTracker } from './editorSignals';
import { PlanStatusBar } from './planStatusBar';
import { watchProviderSettings } from './providerSettingsCheck';
import { setApiKey } from './setApiKeyCommand';
import { ContextSettingsReader } from './settings';
import { SidebarViewProvider } from './sidebarView';
import { VsCodeSecretStore } from './vscodeSecretStore';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Baton', { log: true });
  const sidebar = new SidebarViewProvider(context.extensionUri, log);
  const engines = new ContextEngines(log);
  const signals = new EditorSignalTracker();
  const statusBar = new PlanStatusBar();
  const command = new ContextPlanCommand({ engines, signals, settings: new ContextSettingsReader(log), sidebar, statusBar, log });
  const providerSettings = watchProviderSettings(log);
  context.subscriptions.push(
    log,
    providerSettings,
    engines,
    signals,
    statusBar,
    vscode.window.registerWebviewViewProvider(SidebarViewProvider.viewId, sidebar),
    vscode.commands.registerCommand('baton.showContextPlan', (task?: unknown) => command.run(task)),
    vscode.commands.registerCommand('baton.setApiKey', () => setApiKey(new VsCodeSecretStore(context.secrets), log)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The index is rebuilt with the new limit on the next plan (ContextEngines compares it).
      if (e.affectsConfiguration('baton.context.maxFileBytes')) log.info('baton.context.maxFileBytes changed: the next plan re-indexes.');
    }),
  );
}

export function deactivate(): void {}
