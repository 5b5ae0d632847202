import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { DiffReview } from '../review/diffReview';
import { parseProposalUri } from '../review/proposalDocuments';
import { notifyError } from '../notifications';

// The review's commands. Each takes its file and hunk as arguments (CodeLenses and tests pass them)
// or, without them, works on the file and hunk under the cursor (palette, keybindings). Buttons in
// the editor title pass the document's URI instead of a path.

/** The review's part of the command table: each shows its failure and rethrows it. */
export function reviewCommands(review: DiffReview) {
  const reported =
    (run: (...args: never[]) => unknown) =>
    async (...args: never[]): Promise<unknown> => {
      try {
        return await run(...args);
      } catch (err) {
        // Shown to the person, and rethrown so a caller of executeCommand (a test) sees it too.
        void notifyError(`Baton review: ${(err as Error).message}`);
        throw err;
      }
    };
  return {
    [COMMANDS.acceptHunk]: reported((file?: unknown, index?: number) => review.acceptHunk(pathOf(file), index)),
    [COMMANDS.rejectHunk]: reported((file?: unknown, index?: number) => review.rejectHunk(pathOf(file), index)),
    [COMMANDS.acceptFile]: reported((file?: unknown) => review.acceptFile(pathOf(file))),
    [COMMANDS.rejectFile]: reported((file?: unknown) => review.rejectFile(pathOf(file))),
    [COMMANDS.acceptAll]: reported(() => review.acceptAll()),
    [COMMANDS.rejectAll]: reported(() => review.rejectAll()),
    [COMMANDS.showReviewFile]: reported((file?: unknown) => review.showFile(file instanceof vscode.Uri ? undefined : pathOf(file))),
    [COMMANDS.applyReview]: reported((options?: unknown) => review.apply(isApplyOptions(options) ? options : undefined)),
  };
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
