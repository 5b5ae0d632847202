import * as vscode from 'vscode';
import { SidebarViewProvider } from './sidebarView';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Baton', { log: true });
  context.subscriptions.push(
    log,
    vscode.window.registerWebviewViewProvider(SidebarViewProvider.viewId, new SidebarViewProvider(context.extensionUri, log)),
    vscode.commands.registerCommand('baton.showContextPlan', () => vscode.commands.executeCommand('baton.sidebar.focus')),
  );
}

export function deactivate(): void {}
