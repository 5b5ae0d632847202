import * as vscode from 'vscode';
import type { DiffReview } from './diffReview';

// The review's commands. Each takes its file and hunk as arguments (CodeLenses and tests pass them)
// or, without them, works on the file and hunk under the cursor (palette, keybindings, editor title).

export function registerReviewCommands(review: DiffReview): vscode.Disposable {
  const register = (id: string, run: (...args: never[]) => unknown): vscode.Disposable =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        return await run(...args);
      } catch (err) {
        // Shown to the person, and rethrown so a caller of executeCommand (a test) sees it too.
        void vscode.window.showErrorMessage(`Baton review: ${(err as Error).message}`);
        throw err;
      }
    });
  return vscode.Disposable.from(
    register('baton.review.acceptHunk', (path?: string, index?: number) => review.acceptHunk(path, index)),
    register('baton.review.rejectHunk', (path?: string, index?: number) => review.rejectHunk(path, index)),
    register('baton.review.acceptFile', (path?: string) => review.acceptFile(path)),
    register('baton.review.rejectFile', (path?: string) => review.rejectFile(path)),
    register('baton.review.acceptAll', () => review.acceptAll()),
    register('baton.review.rejectAll', () => review.rejectAll()),
    register('baton.review.showFile', (path?: string) => review.showFile(path)),
    register('baton.review.apply', () => review.apply()),
  );
}
