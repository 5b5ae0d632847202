// After a restore or a roll back the task tree says what the files hold: a node whose step was taken
// back is pending again (Run Next Subtask picks it up), and taking back a restore or a roll back
// brings back the node states it had replaced, which its checkpoint saved.
import type { RevertResult } from '../checkpoints/checkpointStore';
import type { JsonValue } from '../checkpoints/manifest';
import { TASK_STATES, type TaskState, type TaskTree } from './taskTree';
import type { TaskTreeStore } from './treeStore';

/** A checkpoint a revert took back: a node's step, or an earlier revert (saved with the tree as it was then). */
export interface RevertedWork {
  kind: 'step' | 'restore' | 'undoNode';
  nodeId: string;
  treeState: unknown;
}

/**
 * Runs a restore or a roll back (given the tree to keep in its own checkpoint, so taking it back
 * brings the states back too), then puts each node in the newest tree in the state its files are
 * in. An unreadable tree is left alone: the files come first.
 */
export async function revertFollowingTree(store: TaskTreeStore, revert: (treeState: JsonValue) => Promise<RevertResult>): Promise<RevertResult> {
  const tree = await store.load().then(
    (loaded) => loaded.tree,
    () => undefined,
  );
  const result = await revert(tree ? (JSON.parse(JSON.stringify(tree.toSnapshot())) as JsonValue) : null);
  if (!tree) return result;
  try {
    await store.update((newest) => treeAfterRevert(newest, result.revertedSteps));
  } catch (err) {
    throw new Error(
      `The files were restored, but .baton/tree.json could not be updated to match them (${(err as Error).message}): mark the nodes whose work was taken back as pending yourself.`,
      { cause: err },
    );
  }
  return result;
}

/** `reverted` oldest first, as the checkpoint store lists them. */
export function treeAfterRevert(tree: TaskTree, reverted: readonly RevertedWork[]): TaskTree {
  let next = tree;
  // Newest first: the files now stand as before the oldest one, so it has the last word.
  for (const work of [...reverted].reverse()) {
    if (work.kind === 'step') next = toRunAgain(next, work.nodeId);
    else for (const [id, state] of savedStates(work.treeState)) if (next.has(id) && next.get(id).state !== state) next = next.edit(id, { state });
  }
  return next;
}

function toRunAgain(tree: TaskTree, nodeId: string): TaskTree {
  // A manual checkpoint's node, or one removed since, is not in the tree.
  if (!tree.has(nodeId)) return tree;
  const node = tree.get(nodeId);
  if (node.mode === 'keep' || node.state === 'cancelled' || node.state === 'pending') return tree;
  return tree.edit(nodeId, { state: 'pending' });
}

/** Each node's state in a saved tree; a run under way then is not under way now, so it is pending. */
function savedStates(treeState: unknown): Map<string, TaskState> {
  const states = new Map<string, TaskState>();
  const nodes = isRecord(treeState) && Array.isArray(treeState.nodes) ? treeState.nodes : [];
  for (const node of nodes) {
    if (!isRecord(node) || typeof node.id !== 'string' || !isTaskState(node.state)) continue;
    states.set(node.id, node.state === 'running' || node.state === 'review' ? 'pending' : node.state);
  }
  return states;
}

function isTaskState(value: unknown): value is TaskState {
  return (TASK_STATES as readonly unknown[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
