// A run saves its node as `running` while it works; a window closed or a process killed mid-run
// leaves it so. Such a node is no longer running: it is failed (with why), so it can be run again.
import type { TaskTree } from './taskTree';

/** The tree with every `running` node that no run here is working on marked failed; the same tree when there is none. */
export function settleInterruptedRuns(tree: TaskTree, runningHere: ReadonlySet<string>): TaskTree {
  return tree
    .depthFirst()
    .filter((node) => node.state === 'running' && !runningHere.has(node.id))
    .reduce(
      (next, node) =>
        next.edit(node.id, {
          state: 'failed',
          notes: `Interrupted: its run stopped without finishing (the window or process closed). ${node.notes ?? ''}`.trim(),
        }),
      tree,
    );
}
