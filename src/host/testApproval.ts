import * as vscode from 'vscode';
import { labelText, shownCommand } from '../core/security/untrustedText';
import { testRunDecision } from '../core/verify/testCommand';
import type { DetectedTestCommand } from '../core/verify/detectedTestCommand';
import { chooseTestCommand } from '../core/verify/testCommandDetection';
import { notifyWarning } from './notifications';
import { NOTIFICATION_ONLY, type Asking } from './runActivity';

const APPROVED_KEY = 'baton.approvedTestCommands';

/**
 * The project's test command for a folder, if the person allows it: the setting or what the
 * workspace suggests, never in an untrusted workspace, and confirmed (exactly as it will run)
 * before its first run. Returns undefined when no tests should run.
 */
export async function approvedTestCommand(
  folder: vscode.Uri,
  state: vscode.Memento,
  log: vscode.LogOutputChannel,
  asking: Asking = NOTIFICATION_ONLY,
): Promise<DetectedTestCommand | undefined> {
  const configured = vscode.workspace.getConfiguration('baton', folder).get<string>('tests.command');
  const chosen = await chooseTestCommand(configured, folderFiles(folder));
  if (!chosen) {
    log.info('No test command set or detected: changes are applied without running tests.');
    return undefined;
  }
  const approved = state.get<string[]>(APPROVED_KEY, []);
  const decision = testRunDecision({ command: chosen.command, workspaceTrusted: vscode.workspace.isTrusted, approvedCommands: approved });
  if (decision.action === 'refuse') {
    log.warn(decision.reason);
    void notifyWarning(`Baton: ${decision.reason}`);
    return undefined;
  }
  if (decision.action === 'confirm') {
    // A notification and the node in the sidebar, not a modal: the run waits on the answer either
    // way, and dismissing it runs nothing.
    const run = 'Run It';
    const edit = 'Edit Command…';
    const choice = await asking.ask({
      nodeId: asking.nodeId,
      kind: 'testCommand',
      // The command comes last, so nothing after it can pass for Baton's words.
      text:
        `Baton will run, in ${folder.fsPath}, after each change you accept (${chosen.reason}), with your permissions ` +
        `(change it with the setting baton.tests.command): ${shownCommand(decision.command)}`,
      choices: [run, edit, 'Not Now'],
    });
    if (choice === edit) return editedTestCommand(folder, chosen, state, approved);
    if (choice !== run) return undefined;
    await state.update(APPROVED_KEY, [...approved, decision.command]);
  }
  return chosen;
}

/** The person's own command, prefilled with the one found: it runs, and the setting keeps it for the next runs. */
async function editedTestCommand(
  folder: vscode.Uri,
  found: DetectedTestCommand,
  state: vscode.Memento,
  approved: string[],
): Promise<DetectedTestCommand | undefined> {
  // A command with parts a one-line box would hide (blanks, line breaks) is not offered to accept with Enter.
  const plain = shownCommand(found.command) === found.command;
  const typed = await vscode.window.showInputBox({
    title: 'Baton: test command',
    prompt: labelText(
      `Runs in ${folder.fsPath} after each change you accept. Saved to baton.tests.command. Found (${found.reason}): ${shownCommand(found.command)}`,
    ),
    value: plain ? found.command : '',
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'Type a command, or press Escape to run no tests.'),
  });
  const command = typed?.trim();
  if (!command) return undefined;
  await vscode.workspace.getConfiguration('baton', folder).update('tests.command', command, vscode.ConfigurationTarget.Workspace);
  await state.update(APPROVED_KEY, [...approved, command]);
  return { command, reason: 'typed by you' };
}

function folderFiles(folder: vscode.Uri) {
  const uri = (path: string) => vscode.Uri.joinPath(folder, ...path.split('/'));
  return {
    exists: async (path: string) =>
      await vscode.workspace.fs.stat(uri(path)).then(
        () => true,
        () => false,
      ),
    readText: async (path: string) =>
      vscode.workspace.fs.readFile(uri(path)).then(
        (b) => new TextDecoder().decode(b),
        () => undefined,
      ),
    list: async (path: string) =>
      vscode.workspace.fs.readDirectory(uri(path)).then(
        (entries) => entries.map(([name]) => name),
        () => undefined,
      ),
  };
}
