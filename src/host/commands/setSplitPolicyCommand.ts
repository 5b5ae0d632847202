import * as vscode from 'vscode';
import type { BudgetPolicy } from '../../core/tasks/budgets';
import type { TaskNode } from '../../core/tasks/taskTree';
import { labelText } from '../../core/security/untrustedText';
import { notifyError, notifyInfo } from '../notifications';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import { firstFolder, loadTree, nodeFromArgument, treeChangeRefusal } from '../workspaceTree';

const WEIGHT = /^\s*\d+(\.\d+)?\s*$/;

/**
 * "Baton: Set Split Policy": how a node shares its budget among its subtasks (TaskTree.setPolicy):
 * equally, by weights, or fixed (each subtask keeps its own budget, set with Set Budget, and they
 * must fit in the parent's). Switching to fixed keeps each subtask's current share as its budget.
 * Arguments: (nodeId, policy), policy as in tree.json ({ kind: 'weighted', weights: { childId: 2 } }).
 */
export async function setSplitPolicy(workspaces: BatonWorkspaces, nodeArgument?: unknown, policyArgument?: unknown): Promise<TaskNode | undefined> {
  const folder = firstFolder();
  if (!folder) return undefined;
  const store = workspaces.for(folder).tree;
  const tree = await loadTree(store);
  if (!tree) return undefined;
  const node = await nodeFromArgument(tree, nodeArgument, {
    title: 'Baton: Set Split Policy',
    placeHolder: "Which task's split among its subtasks?",
    filter: (n) => tree.children(n.id).length > 0,
  });
  if (!node) return undefined;
  const children = tree.children(node.id);
  if (!children.length) {
    void notifyInfo(`Baton: "${node.title}" has no subtasks, so it has no budget to split; decompose it first.`);
    return undefined;
  }
  const policy = policyArgument === undefined ? await askPolicy(node, children) : policyFromArgument(policyArgument);
  if (!policy) return undefined;
  try {
    const changed = await store.update((newest) => newest.setPolicy(node.id, policy));
    const after = changed.get(node.id);
    const shares = changed
      .children(node.id)
      .map((c) => `${c.title} ${c.budget.allocated}`)
      .join(', ');
    void notifyInfo(`Baton: "${after.title}" now ${splitWords(policy)} its ${after.budget.allocated} tokens: ${shares}.`);
    return after;
  } catch (err) {
    const why = treeChangeRefusal(err);
    void notifyError(`Baton: the split of "${node.title}" was not changed: ${why}.`);
    return undefined;
  }
}

/** How a split reads in a sentence: "<node> now ... its tokens". */
export function splitWords(policy: BudgetPolicy): string {
  return policy.kind === 'equal' ? 'shares equally' : policy.kind === 'weighted' ? 'shares by weights' : 'gives each subtask its own budget from';
}

async function askPolicy(node: TaskNode, children: TaskNode[]): Promise<BudgetPolicy | undefined> {
  const current = node.budget.policy.kind;
  const now = children.map((c) => `${labelText(c.title)} ${c.budget.allocated}`).join(', ');
  const items: (vscode.QuickPickItem & { policyKind: BudgetPolicy['kind'] })[] = [
    {
      policyKind: 'fixed',
      label: 'Fixed',
      description: current === 'fixed' ? '(current)' : undefined,
      detail: `Each subtask keeps its own budget (now ${now}); set each with Set Budget. Together they must fit in ${node.budget.allocated}.`,
    },
    {
      policyKind: 'equal',
      label: 'Equal',
      description: current === 'equal' ? '(current)' : undefined,
      detail: `The ${node.budget.allocated} tokens are shared equally among the ${children.length} subtasks.`,
    },
    {
      policyKind: 'weighted',
      label: 'Weighted',
      description: current === 'weighted' ? '(current)' : undefined,
      detail: 'The tokens are shared by a weight you give each subtask (2 gets twice what 1 gets).',
    },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Baton: split of "${labelText(node.title)}"`,
    placeHolder: 'How this task shares its budget among its subtasks',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.policyKind !== 'weighted') return { kind: picked.policyKind };
  const before = node.budget.policy.kind === 'weighted' ? node.budget.policy.weights : {};
  const typed = await vscode.window.showInputBox({
    title: `Baton: weights of the subtasks of "${labelText(node.title)}"`,
    prompt: `One weight per subtask, in order, separated by commas: ${children.map((c) => labelText(c.title)).join(', ')}.`,
    value: children.map((c) => String(before[c.id] ?? 1)).join(', '),
    ignoreFocusOut: true,
    validateInput: (v) => (parseWeights(v, children.length) ? undefined : `${children.length} numbers, 0 or more, separated by commas.`),
  });
  const weights = typed === undefined ? undefined : parseWeights(typed, children.length);
  return weights && { kind: 'weighted', weights: Object.fromEntries(children.map((c, i) => [c.id, weights[i]!])) };
}

function parseWeights(typed: string, count: number): number[] | undefined {
  const parts = typed.split(',');
  if (parts.length !== count || !parts.every((p) => WEIGHT.test(p))) return undefined;
  return parts.map(Number);
}

/** A policy given to the command by a script: the shape tree.json keeps; anything else is refused, naming it. */
function policyFromArgument(argument: unknown): BudgetPolicy | undefined {
  const kind = typeof argument === 'string' ? argument : (argument as { kind?: unknown } | null)?.kind;
  if (kind === 'equal' || kind === 'fixed') return { kind };
  const weights = (argument as { weights?: unknown } | null)?.weights;
  if (kind === 'weighted' && typeof weights === 'object' && weights !== null && Object.values(weights).every((w) => typeof w === 'number')) {
    return { kind, weights: weights as Record<string, number> };
  }
  void notifyError(
    `Baton: ${JSON.stringify(argument)} is not a split policy; give "equal", "fixed" or { kind: "weighted", weights: { <subtask id>: <number> } }.`,
  );
  return undefined;
}
