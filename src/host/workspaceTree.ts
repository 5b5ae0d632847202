import * as vscode from 'vscode';
import { TaskTreeError, type TaskNode, type TaskTree } from '../core/tasks/taskTree';
import type { TaskTreeStore } from '../core/tasks/treeStore';
import { notifyError, notifyInfo } from './notifications';
import { labelText } from '../core/security/untrustedText';

// What the task commands share: the first workspace folder and its saved tree (its stores come
// from the folder's BatonWorkspace).

export function firstFolder(): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) void notifyError("Baton: open a folder first; Baton keeps its tasks in the folder's .baton/.");
  return folder;
}

/** The saved tree, or undefined after telling the person why it cannot be read (the file is left as it is). */
export async function loadTree(store: TaskTreeStore): Promise<TaskTree | undefined> {
  try {
    return (await store.load()).tree;
  } catch (err) {
    void notifyError(`Baton: ${(err as Error).message}`);
    return undefined;
  }
}

/**
 * A node id given to a command: the id itself, or the context of a task node in the sidebar (a
 * webview context menu passes the element's data-vscode-context). Anything else: undefined.
 */
export function nodeIdArgument(argument: unknown): string | undefined {
  if (typeof argument === 'string') return argument;
  const nodeId = typeof argument === 'object' && argument !== null ? (argument as { nodeId?: unknown }).nodeId : undefined;
  return typeof nodeId === 'string' ? nodeId : undefined;
}

/** The node named by a command argument (its id), else one the person picks; undefined if none. */
export async function nodeFromArgument(
  tree: TaskTree,
  nodeArgument: unknown,
  pick: { title: string; placeHolder: string; filter?(node: TaskNode): boolean },
): Promise<TaskNode | undefined> {
  const argument = nodeIdArgument(nodeArgument);
  if (argument !== undefined) {
    const node = tree.find(argument);
    if (!node) void notifyError(`Baton: there is no task "${argument}" in .baton/tree.json.`);
    return node;
  }
  const candidates = tree.depthFirst().filter((n) => pick.filter?.(n) ?? true);
  if (candidates.length === 0) {
    void notifyInfo('Baton: there are no tasks yet: run "Baton: New Task" first.');
    return undefined;
  }
  const depth = (n: TaskNode): number => tree.ancestors(n.id).length;
  const picked = await vscode.window.showQuickPick(
    candidates.map((n) => ({
      label: `${'  '.repeat(depth(n))}${labelText(n.title)}`,
      description: `${labelText(n.id)} · ${n.mode} · budget ${n.budget.allocated} · ${n.state}`,
      id: n.id,
    })),
    { title: pick.title, placeHolder: pick.placeHolder, matchOnDescription: true },
  );
  return picked && tree.get(picked.id);
}

/** Why a change to the tree was not made: the tree's own refusal as it words it, or what failed in saving. */
export function treeChangeRefusal(err: unknown): string {
  return err instanceof TaskTreeError || err instanceof RangeError ? err.message : `could not be saved (${(err as Error).message})`;
}
