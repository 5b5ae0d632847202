import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'baton.gettingStarted';

/** "Baton: Open Walkthrough": the getting-started steps (provider, a first context plan, decompose and run). */
export async function openWalkthrough(context: vscode.ExtensionContext): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
}
