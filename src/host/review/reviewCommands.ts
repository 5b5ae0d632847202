import * as vscode from 'vscode';
import type { DiffReview } from './diffReview';
import { parseProposalUri } from './proposalDocuments';
import { notifyError } from '../notifications';

// The review's commands. Each takes its file and hunk as arguments (CodeLenses and tests pass them)
// or, without them, works on the file and hunk under the cursor (palette, keybindings). Buttons in
// the editor title pass the document's URI instead of a path.

export function registerReviewCommands(review: DiffReview): vscode.Disposable {
  const register = (id: string, run: (...args: never[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await run(...args);
      } catch (err) {
        // Shown to the person, and rethrown so a caller of executeCommand (a test) sees it too.
        void notifyError(`Baton review: ${(err as Error).message}`);
        throw err;
      }
    });
  return vscode.Disposable.from(
    register('baton.review.acceptHunk', (file?: unknown, index?: number) => review.acceptHunk(pathOf(file), index)),
    register('baton.review.rejectHunk', (file?: unknown, index?: number) => review.rejectHunk(pathOf(file), index)),
    register('baton.review.acceptFile', (file?: unknown) => review.acceptFile(pathOf(file))),
    register('baton.review.rejectFile', (file?: unknown) => review.rejectFile(pathOf(file))),
    register('baton.review.acceptAll', () => review.acceptAll()),
    register('baton.review.rejectAll', () => review.rejectAll()),
    register('baton.review.showFile', (file?: unknown) => review.showFile(file instanceof vscode.Uri ? undefined : pathOf(file))),
    register('baton.review.apply', (options?: unknown) => review.apply(isApplyOptions(options) ? options : undefined)),
  );
}

/** A workspace-relative path, from a path or from a proposal document's URI (editor title buttons). */
function pathOf(file: unknown): string | undefined {
  if (typeof file === 'string') return file;
  if (file instanceof vscode.Uri) return parseProposalUri(file)?.path;
  return undefined;
}

function isApplyOptions(value: unknown): value is { confirmUndecided?: boolean } {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && 'confirmUndecided' in value;
}
