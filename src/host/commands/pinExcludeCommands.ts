import * as vscode from 'vscode';
import { relativeTo } from '../editorSignals';
import { ContextPreferencesError } from '../../core/context/contextPreferences';
import type { ContextChoice } from '../../core/workspace/contextPreferenceStore';
import type { ContextPreferences } from '../state/contextPreferences';
import { firstFolder } from '../workspaceTree';
import { notifyError, notifyInfo } from '../notifications';

const VERB: Record<Exclude<ContextChoice, 'none'>, { done: string; undo: string }> = {
  pin: { done: 'pinned: every context plan shows it', undo: 'Unpin' },
  exclude: { done: 'excluded: no context plan shows it', undo: 'Include Again' },
};

/**
 * "Baton: Pin File to Context" / "Exclude File from Context", from the explorer (the clicked file,
 * or every selected one), the editor's context menu, or the palette (the active editor's file).
 * Arguments: a Uri, a list of Uris, or workspace-relative paths. Resolves with the paths changed.
 */
export async function setFileChoice(preferences: ContextPreferences, choice: 'pin' | 'exclude', clicked?: unknown, selected?: unknown): Promise<string[]> {
  const folder = firstFolder();
  if (!folder) return [];
  const targets = targetUris(folder, clicked, selected);
  if (targets.length === 0) {
    void notifyInfo(`Baton: open the file to ${choice}, or right-click it in the explorer.`);
    return [];
  }
  const paths: string[] = [];
  for (const uri of targets) {
    const path = relativeTo(folder, uri);
    if (!path) {
      void notifyError(
        `Baton: ${uri.fsPath || uri.toString()} is not a file of ${folder.fsPath}; only files of the first workspace folder can be ${choice === 'pin' ? 'pinned' : 'excluded'}.`,
      );
      continue;
    }
    paths.push(path);
  }
  const previous = new Map<string, ContextChoice>();
  try {
    for (const path of paths) previous.set(path, await preferences.set(folder, path, choice));
  } catch (err) {
    const message = err instanceof ContextPreferencesError ? err.message : `the choice could not be saved (${(err as Error).message})`;
    void notifyError(`Baton: ${message}`);
    return [];
  }
  if (paths.length) {
    const what = paths.length === 1 ? paths[0] : `${paths.length} files`;
    void notifyInfo(`Baton: ${what} ${VERB[choice].done} (.baton/context.json).`, VERB[choice].undo).then(async (undo) => {
      if (undo) for (const [path, was] of previous) await preferences.set(folder, path, was);
    });
  }
  return paths;
}

function targetUris(folder: vscode.Uri, clicked: unknown, selected: unknown): vscode.Uri[] {
  const asUri = (value: unknown): vscode.Uri | undefined =>
    value instanceof vscode.Uri ? value : typeof value === 'string' && value.trim() ? vscode.Uri.joinPath(folder, value.trim()) : undefined;
  // The explorer passes the clicked file and the whole selection; the selection wins when it holds the clicked one.
  const many = Array.isArray(selected) ? selected.map(asUri).filter((u): u is vscode.Uri => !!u) : [];
  if (many.length) return many;
  if (Array.isArray(clicked)) return clicked.map(asUri).filter((u): u is vscode.Uri => !!u);
  const one = asUri(clicked) ?? vscode.window.activeTextEditor?.document.uri;
  return one && one.scheme === 'file' ? [one] : [];
}
