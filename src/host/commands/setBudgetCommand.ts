import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import type { TaskNode } from '../../core/tasks/taskTree';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import { firstFolder, loadTree, nodeFromArgument, treeChangeRefusal } from '../workspaceTree';
import { notifyError, notifyInfo } from '../notifications';
import { labelText } from '../../core/security/untrustedText';

const EDIT_SPLIT = 'Edit Split Policy';

/**
 * "Baton: Set Budget": a node's token budget (TaskTree.setBudget). A refusal (a child whose parent
 * splits its budget, a split that would not fit) is shown as the tree words it, and nothing is saved;
 * when the parent's split is what refused it, the notice offers to change that split.
 * Arguments: (nodeId, tokens).
 */
export async function setBudget(workspaces: BatonWorkspaces, nodeArgument?: unknown, tokensArgument?: unknown): Promise<TaskNode | undefined> {
  const folder = firstFolder();
  if (!folder) return undefined;
  const store = workspaces.for(folder).tree;
  const tree = await loadTree(store);
  if (!tree) return undefined;
  const node = await nodeFromArgument(tree, nodeArgument, { title: 'Baton: Set Budget', placeHolder: "Which task's budget?" });
  if (!node) return undefined;
  let tokens = typeof tokensArgument === 'number' ? tokensArgument : undefined;
  if (tokens === undefined) {
    const typed = await vscode.window.showInputBox({
      title: `Baton: budget of "${labelText(node.title)}"`,
      prompt: 'Tokens of the whole prompt for this task (its subtasks share them by its split).',
      value: String(node.budget.allocated),
      ignoreFocusOut: true,
      validateInput: (v) => (/^\s*\d+\s*$/.test(v) && Number(v) > 0 ? undefined : 'A whole number of tokens, more than 0.'),
    });
    if (typed === undefined) return undefined;
    tokens = Number(typed.trim());
  }
  try {
    const changed = await store.update((newest) => newest.setBudget(node.id, tokens));
    const after = changed.get(node.id);
    void notifyInfo(`Baton: "${after.title}" now has ${after.budget.allocated} tokens.`);
    return after;
  } catch (err) {
    const why = treeChangeRefusal(err);
    const parent = node.parentId === null ? undefined : tree.find(node.parentId);
    const fix = parent && parent.budget.policy.kind !== 'fixed' ? EDIT_SPLIT : undefined;
    void notifyError(`Baton: the budget of "${node.title}" was not changed: ${why}.`, ...(fix ? [fix] : [])).then((choice) => {
      if (choice === EDIT_SPLIT && parent) void vscode.commands.executeCommand(COMMANDS.setSplitPolicy, parent.id);
    });
    return undefined;
  }
}
