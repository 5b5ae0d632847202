import * as vscode from 'vscode';
import { changedSinceProposal } from '../../core/proposals/changedSinceProposal';
import { sameBytes, textBytes } from '../../core/fileText';
import { ChangedSinceProposalError, type AcceptedChange, type ChangeApplier } from '../../core/proposals/types';
import type { VsCodeWorkspaceFiles } from '../vscodeWorkspaceFiles';

// Accepted changes go into the editor as one WorkspaceEdit, so a single Undo takes all of them
// back, and are then saved so the project's tests (run from disk) see them. The edit goes to where
// each path really leads, once the path policy allowed it (the person approved any link on the way).

export class WorkspaceEditApplier implements ChangeApplier {
  constructor(
    private readonly files: VsCodeWorkspaceFiles,
    private readonly log?: vscode.LogOutputChannel,
  ) {}

  async apply(changes: AcceptedChange[]): Promise<void> {
    // Every path and every file is checked before anything is written: a refusal leaves the folder untouched.
    const resolved = await this.files.prepare(
      changes.map((c) => c.path),
      'write',
    );
    const realPaths = new Map(resolved.map((r) => [r.path, r.realPath]));
    const changed = await changedSinceProposal(changes, this.files);
    if (changed.length > 0) throw new ChangedSinceProposalError(changed);

    const edit = new vscode.WorkspaceEdit();
    const edited: vscode.TextDocument[] = [];
    for (const change of changes) {
      const uri = this.files.uriOf(realPaths.get(change.path) ?? change.path);
      if (change.baseHash === '') {
        // The exact bytes, whatever the editor's default line ending; undoing the edit deletes the file.
        edit.createFile(uri, { overwrite: false, contents: textBytes(change.text) });
        continue;
      }
      const document = await vscode.workspace.openTextDocument(uri);
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      const eol = endOfLineOf(change.text);
      // The editor keeps a byte-order mark outside the text (and writes it back on save); the text goes in without it.
      const text = change.text.startsWith('\uFEFF') ? change.text.slice(1) : change.text;
      // A document has one line ending and normalises inserted text to it; set the proposal's.
      edit.set(uri, eol === undefined ? [vscode.TextEdit.replace(whole, text)] : [vscode.TextEdit.replace(whole, text), vscode.TextEdit.setEndOfLine(eol)]);
      edited.push(document);
    }
    if (!(await vscode.workspace.applyEdit(edit))) {
      throw new Error(
        `VS Code refused the edit of ${changes.map((c) => `"${c.path}"`).join(', ')} (a file may be read-only or open in a conflicting editor); nothing was applied.`,
      );
    }

    for (const document of edited) {
      if (document.isDirty && !(await document.save()))
        throw new Error(`Saving "${vscode.workspace.asRelativePath(document.uri)}" failed after applying the proposal; it is applied but unsaved.`);
    }
    await this.writeWhereTheEditorCouldNot(changes);
  }

  /**
   * A document cannot hold mixed line endings (nor drop a byte-order mark), so such a file's saved
   * bytes can differ from the accepted text; those files are written byte for byte, at the cost of
   * the editor's Undo for them.
   */
  private async writeWhereTheEditorCouldNot(changes: AcceptedChange[]): Promise<void> {
    for (const change of changes) {
      const expected = textBytes(change.text);
      const actual = await this.files.read(change.path);
      if (actual !== undefined && sameBytes(actual, expected)) continue;
      this.log?.warn(
        `"${change.path}" was saved with different bytes than accepted (mixed line endings or a byte-order mark); writing it directly, so Undo in the editor does not cover it. Its checkpoint does.`,
      );
      await this.files.write(change.path, expected);
    }
  }
}

function endOfLineOf(text: string): vscode.EndOfLine | undefined {
  if (text.includes('\r\n')) return vscode.EndOfLine.CRLF;
  if (text.includes('\n')) return vscode.EndOfLine.LF;
  return undefined;
}
