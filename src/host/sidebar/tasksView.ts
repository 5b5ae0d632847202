import type { z } from 'zod';
import { FOREIGN_CHECKPOINT, type HistoryEntry } from '../../core/checkpoints/history';
import type { TaskTree } from '../../core/tasks/taskTree';
import { usageRollUp } from '../../core/tasks/usage';
import { CheckpointView, TASKS_VIEW_LIMITS, TaskNodeView, type RoleView, type TasksView } from '../../protocol';

const MAX_TEXT = 2000;
const MAX_GOAL = 4000;
const { nodes: MAX_NODES, checkpoints: MAX_CHECKPOINTS, notes: MAX_NOTES } = TASKS_VIEW_LIMITS;

export interface TasksInput {
  tree: TaskTree | undefined;
  treeError: string | null;
  selectedId: string | null;
  history: readonly HistoryEntry[];
  checkpointError: string | null;
  roles: RoleView[];
}

/**
 * What the sidebar's tree, timeline and roles show, within the sizes the protocol accepts. The
 * tree and the checkpoints come from files a repository can ship: a node or checkpoint that does
 * not fit (an over-long id, say) is left out with a note saying why, and the rest is shown.
 */
export function toTasksView(input: TasksInput): TasksView {
  const { tree } = input;
  const notes: string[] = [];
  const nodes = tree ? fitNodes(toNodeViews(tree), notes) : [];
  const checkpoints = fitCheckpoints(
    input.history.map((entry) => toCheckpointView(entry, tree)),
    notes,
  );
  const selectedId = input.selectedId && nodes.some((n) => n.id === input.selectedId) ? input.selectedId : null;
  return {
    treeError: input.treeError ? clip(input.treeError, 5000) : null,
    nodes,
    selectedId,
    checkpoints,
    checkpointError: input.checkpointError ? clip(input.checkpointError, 5000) : null,
    roles: input.roles,
    notes: notes.length > MAX_NOTES ? [...notes.slice(0, MAX_NOTES - 1), `${notes.length - MAX_NOTES + 1} more nodes or checkpoints are not shown.`] : notes,
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
      goal: node.goal === node.title ? '' : clip(node.goal, MAX_GOAL),
      state: node.state,
      mode: node.mode,
      ...(node.keepReason !== undefined ? { keepReason: clip(node.keepReason, MAX_TEXT) } : {}),
      used: total ? total.inputTokens + total.outputTokens : 0,
      allocated: node.budget.allocated,
      cost: total?.cost ?? 0,
      budgetEditable: !parent || parent.budget.policy.kind === 'fixed',
      split: node.budget.policy.kind,
      childCount: tree.childrenIds(node.id).length,
    };
  });
}

/** Nodes in depth-first order; one that does not fit is left out with everything below it. */
function fitNodes(views: TaskNodeView[], notes: string[]): TaskNodeView[] {
  const fitting: TaskNodeView[] = [];
  const left = new Map<string, { reason: string; below: number }>(); // by the id of the node left out first
  const leftBecause = new Map<string, string>(); // any node left out -> that first node
  for (const view of views) {
    const ancestor = view.parentId === null ? undefined : leftBecause.get(view.parentId);
    if (ancestor !== undefined) {
      left.get(ancestor)!.below += 1;
      leftBecause.set(view.id, ancestor);
      continue;
    }
    const problem = problemOf(TaskNodeView.safeParse(view));
    if (problem === undefined && fitting.length < MAX_NODES) {
      fitting.push(view);
      continue;
    }
    left.set(view.id, { reason: problem ?? `the sidebar shows at most ${MAX_NODES} nodes`, below: 0 });
    leftBecause.set(view.id, view.id);
  }
  for (const [id, { reason, below }] of left) {
    notes.push(`Task node ${quote(id)}${below ? ` and the ${below} node${below === 1 ? '' : 's'} below it are` : ' is'} not shown: ${reason}.`);
  }
  return fitting;
}

function fitCheckpoints(views: CheckpointView[], notes: string[]): CheckpointView[] {
  const fitting: CheckpointView[] = [];
  let beyond = 0;
  for (const view of views) {
    const problem = problemOf(CheckpointView.safeParse(view));
    if (problem !== undefined) notes.push(`Checkpoint ${quote(view.id)} is not shown: ${problem}.`);
    else if (fitting.length < MAX_CHECKPOINTS) fitting.push(view);
    else beyond += 1;
  }
  if (beyond > 0) notes.push(`${beyond} more checkpoint${beyond === 1 ? ' is' : 's are'} not shown: the sidebar shows the first ${MAX_CHECKPOINTS}.`);
  return fitting;
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
    foreign: entry.foreign === undefined ? null : clip(`${FOREIGN_CHECKPOINT} (${entry.foreign})`, 500),
  };
}

function problemOf(result: z.ZodSafeParseResult<unknown>): string | undefined {
  const issue = result.error?.issues[0];
  return issue && `${issue.path.join('.') || 'it'}: ${issue.message}`;
}

function quote(id: string): string {
  return JSON.stringify(clip(id, 40));
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
