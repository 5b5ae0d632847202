import type { HistoryEntry } from '../../core/checkpoints/history';
import type { TaskTree } from '../../core/tasks/taskTree';
import { usageRollUp } from '../../core/tasks/usage';
import type { CheckpointView, RoleView, TaskNodeView, TasksView } from '../../protocol';

const MAX_TEXT = 2000;
const MAX_CHECKPOINTS = 200;

export interface TasksInput {
  tree: TaskTree | undefined;
  treeError: string | null;
  selectedId: string | null;
  history: readonly HistoryEntry[];
  checkpointError: string | null;
  roles: RoleView[];
}

/** What the sidebar's tree, timeline and roles show, within the sizes the protocol accepts. */
export function toTasksView(input: TasksInput): TasksView {
  const { tree } = input;
  return {
    treeError: input.treeError ? clip(input.treeError, 5000) : null,
    nodes: tree ? toNodeViews(tree) : [],
    selectedId: tree && input.selectedId && tree.has(input.selectedId) ? input.selectedId : null,
    checkpoints: input.history.slice(0, MAX_CHECKPOINTS).map((entry) => toCheckpointView(entry, tree)),
    checkpointError: input.checkpointError ? clip(input.checkpointError, 5000) : null,
    roles: input.roles,
  };
}

export function toNodeViews(tree: TaskTree): TaskNodeView[] {
  const usage = usageRollUp(tree);
  return tree.depthFirst().map((node) => {
    const total = usage.get(node.id)?.total;
    const parent = node.parentId === null ? undefined : tree.find(node.parentId);
    return {
      id: node.id,
      parentId: node.parentId,
      title: clip(node.title, MAX_TEXT),
      state: node.state,
      mode: node.mode,
      ...(node.keepReason !== undefined ? { keepReason: clip(node.keepReason, MAX_TEXT) } : {}),
      used: total ? total.inputTokens + total.outputTokens : 0,
      allocated: node.budget.allocated,
      cost: total?.cost ?? 0,
      budgetEditable: !parent || parent.budget.policy.kind === 'fixed',
    };
  });
}

function toCheckpointView(entry: HistoryEntry, tree: TaskTree | undefined): CheckpointView {
  return {
    id: entry.id,
    time: entry.time,
    nodeId: entry.nodeId,
    nodeTitle: tree?.find(entry.nodeId)?.title.slice(0, MAX_TEXT) ?? null,
    label: clip(entry.label, MAX_TEXT),
    kind: entry.kind,
    files: entry.files.slice(0, 500).map((f) => ({ path: f.path, change: f.change })),
    tokens: entry.tokens,
    cost: entry.cost,
    complete: entry.complete,
    undone: entry.undone,
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
