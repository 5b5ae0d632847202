import * as vscode from 'vscode';
import type { TaskNode } from '../../core/tasks/taskTree';
import { COMMANDS } from '../commandIds';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import type { ContextSettingsReader } from '../settings';
import type { JournalRecorder } from '../state/journalRecorder';
import { firstFolder } from '../workspaceTree';
import { notifyError, notifyInfo } from '../notifications';

export interface NewTaskArguments {
  task?: string;
  /** Tokens for the whole task; default baton.context.budget. */
  budget?: number;
}

/**
 * "Baton: New Task": the task as a new root of `.baton/tree.json`, with the budget from
 * baton.context.budget. Weighted, so Decompose splits the budget by the planner's shares.
 * Arguments: the task text, or { task, budget }.
 */
export async function newTask(
  workspaces: BatonWorkspaces,
  settings: ContextSettingsReader,
  journal: JournalRecorder,
  argument?: unknown,
): Promise<TaskNode | undefined> {
  const folder = firstFolder();
  if (!folder) return undefined;
  const args: NewTaskArguments =
    typeof argument === 'string' ? { task: argument } : typeof argument === 'object' && argument !== null ? (argument as NewTaskArguments) : {};
  const budget = args.budget ?? settings.read(folder).budget;
  let text = args.task?.trim();
  if (!text) {
    text = (
      await vscode.window.showInputBox({
        title: 'Baton: New Task',
        prompt: `What should be done in ${vscode.workspace.workspaceFolders?.[0]?.name ?? 'the folder'}? It gets ${budget} tokens (baton.context.budget); Decompose splits it into subtasks.`,
        placeHolder: 'e.g. Accept dotted unit abbreviations like "tbsp." when parsing ingredient lines',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Describe the task in a few words.'),
      })
    )?.trim();
    if (!text) return undefined;
  }
  try {
    const title = text.split('\n', 1)[0]!.slice(0, 120);
    const tree = await workspaces
      .for(folder)
      .tree.update((newest) => newest.addChild(null, { title, goal: text, budget, policy: { kind: 'weighted', weights: {} } }).tree);
    const node = tree.roots().at(-1)!; // a new root goes last
    void journal.record(folder, { taskId: node.id, taskTitle: title, nodeId: node.id, kind: 'node', mode: 'delegate', source: 'person' });
    void notifyInfo(`Baton: task "${title}" (${node.id}) saved with ${budget} tokens. Next: Decompose it, or run it as it is.`, 'Decompose').then((choice) => {
      if (choice) void vscode.commands.executeCommand(COMMANDS.decompose, node.id);
    });
    return node;
  } catch (err) {
    void notifyError(`Baton: the task was not saved: ${(err as Error).message}`);
    return undefined;
  }
}
