import * as vscode from 'vscode';
import { TaskTreeError, type TaskEdit, type TaskNode } from '../../core/tasks/taskTree';
import { labelText } from '../../core/security/untrustedText';
import { notifyError, notifyInfo } from '../notifications';
import type { BatonWorkspace } from '../../core/workspace/batonWorkspace';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import { firstFolder, loadTree, nodeFromArgument } from '../workspaceTree';

/**
 * "Baton: Edit Task": a node's title, then its goal, each in an input box filled with what it says
 * now. Escape at either leaves the node as it was. Argument: the node id (or the sidebar's node).
 */
export async function editNode(workspaces: BatonWorkspaces, nodeArgument?: unknown): Promise<TaskNode | undefined> {
  const folder = firstFolder();
  const tree = folder && (await loadTree(workspaces.for(folder).tree));
  if (!folder || !tree) return undefined;
  const node = await nodeFromArgument(tree, nodeArgument, { title: 'Baton: Edit Task', placeHolder: 'Which task?' });
  if (!node) return undefined;
  const title = await vscode.window.showInputBox({
    title: `Baton: title of "${labelText(node.title)}" (1 of 2)`,
    value: node.title,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A title of a few words.'),
  });
  if (title === undefined) return undefined;
  const goal = await vscode.window.showInputBox({
    title: `Baton: goal of "${labelText(title)}" (2 of 2)`,
    prompt: 'What the subtask must achieve; the maker and the breaker read it.',
    value: node.goal,
    ignoreFocusOut: true,
  });
  if (goal === undefined) return undefined;
  return saveEdit(workspaces.for(folder), node, { title: title.trim(), goal: goal.trim() }, 'saved');
}

/**
 * "Keep for Me" / "Delegate": who does the node. Keeping asks why (the reason the tree records);
 * delegating asks for a yes, since the maker then gets it on the next run. Argument: the node id.
 */
export async function setNodeMode(workspaces: BatonWorkspaces, mode: TaskNode['mode'], nodeArgument?: unknown): Promise<TaskNode | undefined> {
  const folder = firstFolder();
  const tree = folder && (await loadTree(workspaces.for(folder).tree));
  if (!folder || !tree) return undefined;
  const verb = mode === 'keep' ? 'Keep for Me' : 'Delegate';
  const node = await nodeFromArgument(tree, nodeArgument, { title: `Baton: ${verb}`, placeHolder: 'Which task?', filter: (n) => n.mode !== mode });
  if (!node) return undefined;
  if (node.mode === mode) {
    void notifyInfo(`Baton: "${node.title}" is already ${mode === 'keep' ? 'kept for you' : 'delegated'}.`);
    return node;
  }
  if (mode === 'keep') {
    const reason = await vscode.window.showInputBox({
      title: `Baton: keep "${labelText(node.title)}" for yourself`,
      prompt: 'Why it stays with you (an architecture, security or naming decision, ...). The run then only prepares its context.',
      value: node.keepReason ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Say in a few words why you keep it.'),
    });
    if (reason === undefined) return undefined;
    return saveEdit(workspaces.for(folder), node, { mode, keepReason: reason.trim() }, 'kept for you');
  }
  const yes = `Delegate "${labelText(node.title)}"`;
  const picked = await vscode.window.showQuickPick([yes, 'Cancel'], { title: 'Baton: Delegate', placeHolder: 'The maker gets this subtask on its next run.' });
  if (picked !== yes) return undefined;
  return saveEdit(workspaces.for(folder), node, { mode }, 'delegated');
}

async function saveEdit(workspace: BatonWorkspace, node: TaskNode, changes: TaskEdit, done: string): Promise<TaskNode | undefined> {
  try {
    const changed = await workspace.tree.update((newest) => newest.edit(node.id, changes));
    const after = changed.get(node.id);
    void notifyInfo(`Baton: "${after.title}" ${done}.`);
    return after;
  } catch (err) {
    const why = err instanceof TaskTreeError ? err.message : `could not be saved (${(err as Error).message})`;
    void notifyError(`Baton: "${node.title}" was not changed: ${why}.`);
    return undefined;
  }
}
