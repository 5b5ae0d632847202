import * as vscode from 'vscode';

/** Writes each `baton.<key>` into the workspace settings, in order; undefined removes it. */
export async function setBatonSettings(values: Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('baton');
  for (const [key, value] of Object.entries(values)) await config.update(key, value, vscode.ConfigurationTarget.Workspace);
}
