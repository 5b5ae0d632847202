import * as vscode from 'vscode';
import type { ContextPreferenceSet } from '../../core/context/contextPreferences';
import type { ContextChoice } from '../../core/workspace/contextPreferenceStore';
import type { BatonWorkspaces } from './batonWorkspaces';

// Pinning and excluding files from the editor (core/workspace/contextPreferenceStore.ts writes the
// file, core/context/contextPreferences.ts reads it and makes plans honour it), with an event for
// the views that show them.

export class ContextPreferences implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the folder whose preferences changed (through this class). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly workspaces: BatonWorkspaces) {}

  get(folder: vscode.Uri): Promise<ContextPreferenceSet> {
    return this.workspaces.for(folder).preferences.get();
  }

  /** Pins, excludes, or clears one path; choosing one undoes the other. Resolves with the choice it replaced. */
  async set(folder: vscode.Uri, path: string, choice: ContextChoice): Promise<ContextChoice> {
    const previous = await this.workspaces.for(folder).preferences.set(path, choice);
    this.changed.fire(folder);
    return previous;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
