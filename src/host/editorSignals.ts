import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EditorSignals } from '../core/context/rank';

const MAX_RECENT = 50;

/** What the editor knows that the task text does not: files open in tabs, files edited lately. */
export class EditorSignalTracker implements vscode.Disposable {
  // Most recently edited first, keyed by URI string.
  private recent: vscode.Uri[] = [];
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
      const key = e.document.uri.toString();
      this.recent = [e.document.uri, ...this.recent.filter((u) => u.toString() !== key)].slice(0, MAX_RECENT);
    });
  }

  /** The signals for one folder, as workspace-relative '/' paths (files outside it are left out). */
  signalsFor(folder: vscode.Uri): EditorSignals {
    return {
      open: unique(openTabUris().map((u) => relativeTo(folder, u))),
      recent: unique(this.recent.map((u) => relativeTo(folder, u))),
    };
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

function openTabUris(): vscode.Uri[] {
  const uris: vscode.Uri[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputNotebook) uris.push(input.uri);
      else if (input instanceof vscode.TabInputTextDiff) uris.push(input.modified);
    }
  }
  return uris;
}

/** `uri` relative to `folder` with '/' separators, or undefined when it is not a file inside it. */
export function relativeTo(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  if (uri.scheme !== folder.scheme || uri.authority !== folder.authority) return undefined;
  const rel = path.relative(folder.fsPath, uri.fsPath);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

function unique(paths: (string | undefined)[]): string[] {
  return [...new Set(paths.filter((p): p is string => !!p))];
}
