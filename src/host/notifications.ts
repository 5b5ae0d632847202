import * as vscode from 'vscode';
import { plainText } from '../core/security/untrustedText';
import { withQuestionDocument } from './questionDocuments';

// Every message Baton shows goes through here. VS Code renders `[x](command:...)` in a
// notification as a link that runs the command on one click, and Baton's messages quote text from
// the model and the workspace (titles, findings, labels, paths, errors), so each message is made
// inert first (progress notifications too). A lint rule keeps the window's show*Message and
// withProgress calls in this file.

export function notifyInfo<T extends string>(message: string, ...buttons: T[]): Thenable<T | undefined> {
  return vscode.window.showInformationMessage(plainText(message), ...buttons);
}

export function notifyWarning<T extends string>(message: string, ...buttons: T[]): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(plainText(message), ...buttons);
}

export function notifyError<T extends string>(message: string, ...buttons: T[]): Thenable<T | undefined> {
  return vscode.window.showErrorMessage(plainText(message), ...buttons);
}

// VS Code shows at most this many characters of a notification's message and cuts the rest
// (NotificationViewItem.MAX_MESSAGE_LENGTH).
const NOTIFICATION_ROOM = 1000;

/** Whether a notification shows this message whole. */
export function fitsNotification(message: string): boolean {
  return plainText(message).length <= NOTIFICATION_ROOM;
}

/**
 * A question answered by one of `choices` (the last one the "no"; dismissing it, or `signal`
 * aborting, answers no), shown whole: in a warning notification when it fits one; else the
 * notification asks `heading` and the question is open whole in a read-only editor beside it. A
 * cut-off notification would hide the end of a long list or command, where a hostile one puts what
 * matters.
 */
export async function askWhole<T extends string>(question: { text: string; heading: string; signal?: AbortSignal }, ...choices: T[]): Promise<T | undefined> {
  const { signal } = question;
  if (signal?.aborted) return undefined;
  const aborted = new Promise<undefined>((resolve) => signal?.addEventListener('abort', () => resolve(undefined), { once: true }));
  const ask = (message: string): Promise<T | undefined> => Promise.race([notifyWarning(message, ...choices), aborted]);
  if (fitsNotification(question.text)) return ask(question.text);
  return withQuestionDocument(question.text, (name) =>
    ask(`Baton: ${question.heading} The question is too long for a notification: it is open whole in the editor ("${name}"); read it there before you answer.`),
  );
}

/**
 * A modal question, for changes nothing else in the flow has asked about (settings or endpoints
 * given as command arguments). It names what changes in full: a notification would cut it short.
 * Only `button` says yes; Cancel, Escape and closing say no.
 */
export async function askModal(message: string, detail: string, button: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(plainText(message), { modal: true, detail: plainText(detail) }, button);
  return answer === button;
}

/** A cancellable progress notification whose title and every message are made inert too. */
export function withProgressNotification<R>(
  title: string,
  task: (progress: { report(message: string): void }, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: plainText(title), cancellable: true }, (progress, token) =>
    task({ report: (message) => progress.report({ message: plainText(message) }) }, token),
  );
}
