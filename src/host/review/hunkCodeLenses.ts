import * as vscode from 'vscode';
import { looseMatchLabel } from '../../core/proposals/hunkMatches';
import type { FileChange, Hunk } from '../../core/proposals/types';
import { labelText } from '../../core/security/untrustedText';
import { COMMANDS, type CommandId } from '../commandIds';
import { parseProposalUri } from './proposalDocuments';
import { describeCounts, type ReviewDecisions } from './reviewDecisions';

// "Accept hunk" / "Reject hunk" above each hunk of the proposed side, showing the current decision,
// and a file line on top (accept or reject the file, move on, apply). The lenses call the same
// commands a test or the palette does, with the file and hunk as arguments.

// Lens text is one colour, so a decision is told by its mark and its word, not by an icon's colour.
export const DECISION_MARKS = { accepted: '✓ accepted', rejected: '✕ rejected', pending: '○ undecided' } as const;

export interface ReviewLookup {
  decisionsFor(proposalId: string): ReviewDecisions | undefined;
  /** The proposal's change of a file, and what the person should know of the proposal as a whole. */
  changeFor(proposalId: string, path: string): { change: FileChange; notes: readonly string[] } | undefined;
}

export class HunkCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly reviews: ReviewLookup) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const address = parseProposalUri(document.uri);
    if (address?.side !== 'proposed') return [];
    const decisions = this.reviews.decisionsFor(address.proposalId);
    const fileIndex = decisions?.files.findIndex((f) => f.path === address.path) ?? -1;
    const file = decisions?.files[fileIndex];
    const proposed = this.reviews.changeFor(address.proposalId, address.path);
    if (!decisions || !file || !proposed) return [];

    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      label(top, `$(files) File ${fileIndex + 1} of ${decisions.files.length}: ${describeCounts(decisions.counts(file.path))}`),
      lens(top, '$(check) Accept file', COMMANDS.acceptFile, file.path),
      lens(top, '$(close) Reject file', COMMANDS.rejectFile, file.path),
    ];
    if (decisions.files.length > 1) lenses.push(lens(top, '$(arrow-right) Other files…', COMMANDS.showReviewFile));
    lenses.push(lens(top, '$(check-all) Apply accepted hunks', COMMANDS.applyReview));
    // Notes are sentences: on the lens row they would push the actions out of a narrow editor, so
    // the row says how many and the hover holds them (they are also in Baton's log).
    if (proposed.notes.length) {
      const count = proposed.notes.length === 1 ? '1 note' : `${proposed.notes.length} notes`;
      lenses.push(label(top, `$(info) ${count}`, proposed.notes.map(labelText).join('\n\n')));
    }

    for (const hunk of file.hunks) {
      const at = new vscode.Range(lensLine(hunk, document.lineCount), 0, lensLine(hunk, document.lineCount), 0);
      // A search block matched loosely is said on its hunk, so the person looks twice.
      const loose = looseMatchLabel(proposed.change, hunk);
      const hunkLabel = `Hunk ${hunk.index + 1} of ${file.hunks.length}${loose ? ` (${loose})` : ''}`;
      const decision = decisions.get(file.path, hunk.index);
      lenses.push(label(at, `${hunkLabel}: ${DECISION_MARKS[decision]}`));
      if (decision !== 'accepted') lenses.push(lens(at, '$(check) Accept hunk', COMMANDS.acceptHunk, file.path, hunk.index));
      if (decision !== 'rejected') lenses.push(lens(at, '$(close) Reject hunk', COMMANDS.rejectHunk, file.path, hunk.index));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** 0-based line of the hunk on the proposed side; a pure deletion sits on the line after it. */
export function lensLine(hunk: Hunk, lineCount: number): number {
  return Math.min(Math.max(hunk.afterStart - 1, 0), Math.max(lineCount - 1, 0));
}

function lens(range: vscode.Range, title: string, command: CommandId, ...args: unknown[]): vscode.CodeLens {
  return new vscode.CodeLens(range, { title, command, arguments: args });
}

/** A lens with an empty command id: it shows state, and its hover text, without doing anything on click. */
function label(range: vscode.Range, title: string, tooltip?: string): vscode.CodeLens {
  return new vscode.CodeLens(range, { title, command: '', ...(tooltip ? { tooltip } : {}) });
}
