import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { BatonError } from '../core/batonError';
import { plainText } from '../core/security/untrustedText';

// A question too long for a notification (VS Code shows 1,000 characters of one) is shown whole in
// a read-only editor beside it: the notification carries the answers, the document all they approve.
const QUESTION_SCHEME = 'baton-question';
// Lines no wider than this, so nothing sits past the editor's edge (it does not wrap by default)
// or past the length it stops drawing a line at.
const LINE_WIDTH = 100;

const questions = new Map<string, string>();
const changed = new vscode.EventEmitter<vscode.Uri>();
// A window's questions are its own: a tab of an earlier window's, restored, never shows a new one.
const session = randomUUID().slice(0, 8);
let next = 1;

/** Serves the questions' text; registered at activation, so a tab restored after a reload resolves. */
export function registerQuestionDocuments(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(QUESTION_SCHEME, {
    onDidChange: changed.event,
    provideTextDocumentContent: (uri) => questions.get(uri.path) ?? 'Baton: this question was answered or withdrawn.',
  });
}

/**
 * Opens `text` whole (made inert, as a notification would show it, and wrapped) in a read-only
 * editor beside the current one, asks with `ask` (given the editor's name), and closes it once
 * answered. When the editor cannot be shown, nothing is asked: it throws, refused.
 */
export async function withQuestionDocument<T>(text: string, ask: (name: string) => Promise<T>): Promise<T> {
  const name = `Baton question ${next++}`;
  const uri = vscode.Uri.from({ scheme: QUESTION_SCHEME, path: `/${session}/${name}` });
  questions.set(uri.path, wrapped(plainText(text)));
  try {
    await vscode.window.showTextDocument(uri, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
  } catch (err) {
    questions.delete(uri.path);
    throw new BatonError('refused', `Baton could not show a question whole (${(err as Error).message}), so it did not ask it: nothing was run or written.`);
  }
  try {
    return await ask(name);
  } finally {
    questions.delete(uri.path);
    changed.fire(uri);
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
    await Promise.resolve(vscode.window.tabGroups.close(tabs)).catch(() => undefined);
  }
}

/** Lines of at most LINE_WIDTH characters, broken at a space where there is one. */
function wrapped(text: string): string {
  return text
    .split('\n')
    .flatMap((line) => {
      const out: string[] = [];
      let rest = line;
      while (rest.length > LINE_WIDTH) {
        const space = rest.lastIndexOf(' ', LINE_WIDTH);
        const cut = space > LINE_WIDTH / 2 ? space + 1 : LINE_WIDTH;
        out.push(rest.slice(0, cut).trimEnd());
        rest = rest.slice(cut);
      }
      out.push(rest);
      return out;
    })
    .join('\n');
}
