import * as vscode from 'vscode';
import { plainText } from '../core/security/untrustedText';

// A question too long for a notification (VS Code shows 1,000 characters of one) is shown whole in
// a read-only editor: the notification carries the answers, the document all they approve.
const QUESTION_SCHEME = 'baton-question';

const questions = new Map<string, string>();
let next = 1;

/** Serves the questions' text; registered at activation, so a tab restored after a reload resolves. */
export function registerQuestionDocuments(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(QUESTION_SCHEME, {
    provideTextDocumentContent: (uri) => questions.get(uri.path) ?? 'Baton: this question was answered or withdrawn.',
  });
}

/**
 * Opens `text` whole (made inert, as a notification would show it) in a read-only editor named for
 * the question, asks with `ask` (given that name), and forgets the text once answered.
 */
export async function withQuestionDocument<T>(text: string, ask: (name: string) => Thenable<T>): Promise<T> {
  const name = `Baton question ${next++}`;
  const path = `/${name}`;
  questions.set(path, plainText(text));
  try {
    await vscode.window.showTextDocument(vscode.Uri.from({ scheme: QUESTION_SCHEME, path }), { preview: false, preserveFocus: true });
    return await ask(name);
  } finally {
    questions.delete(path);
  }
}
