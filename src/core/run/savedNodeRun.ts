// A node run as the editor and the command line both do it: the journal records what happens, the
// node is saved after the run, and after a failure too (with every call so far and the step it
// stopped at), so nothing is lost whichever front end started it. A run writes only its own node
// (state, usage, notes, save state) into the newest tree: what the person changed elsewhere in the
// tree meanwhile (a task added, a budget set) stays.
import { BatonError, errorKind, isCancellation } from '../batonError';
import type { NewJournalEvent } from './journalEvent';
import { journalEventFromOutcome, journalEventFromRun, journalSubject } from './nodeRunJournal';
import type { TaskTree } from '../tasks/taskTree';
import type { TaskTreeStore } from '../tasks/treeStore';
import { runNode, type NodeRunDependencies, type NodeRunProgress, type NodeRunResult, type ReviewedRound } from './nodeRun';

export interface SavedRunPorts {
  store: TaskTreeStore;
  /** Appends to the journal; never throws (recording must not get in the way of the work). */
  journal?(event: NewJournalEvent): void;
}

/**
 * A run that stopped: the original error as `cause`, and where it stopped ("the maker step (round
 * 2)"). Its kind is the cause's, or 'cancelled' whenever the run's signal was aborted.
 */
export class NodeRunFailure extends BatonError {
  constructor(
    readonly where: string,
    override readonly cause: unknown,
    cancelled: boolean,
  ) {
    super(cancelled ? 'cancelled' : errorKind(cause), `stopped at ${where}: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * Runs the node (or resumes its deferred review), journals it and saves the tree; failures throw
 * NodeRunFailure. `prepare` builds the run's dependencies: a failure there counts as the run's.
 */
export async function runSavedNode(
  tree: TaskTree,
  nodeId: string,
  prepare: () => Promise<NodeRunDependencies>,
  ports: SavedRunPorts,
  resumed?: ReviewedRound,
): Promise<NodeRunResult> {
  const node = tree.get(nodeId);
  const subject = journalSubject(tree, nodeId);
  // The step under way, and the tree with every call so far: a failure saves both, losing no usage.
  let last: NodeRunProgress | undefined;
  let latest = tree;
  let savedState = node.state;
  // Saves made as the run goes, in order: the last save (result or failure) waits for them.
  let saving: Promise<void> = Promise.resolve();
  // A resumed run is the same run: its node was journalled when it started.
  if (!resumed) ports.journal?.({ ...subject, kind: 'node', mode: node.mode, ...(node.keepReason ? { reason: node.keepReason } : {}), source: 'run' });
  let signal: AbortSignal | undefined;
  try {
    const deps = await prepare();
    signal = deps.signal;
    const result = await runNode(
      tree,
      nodeId,
      {
        ...deps,
        onEvent: (event) => {
          ports.journal?.(journalEventFromRun(subject, event));
          deps.onEvent?.(event);
        },
        onProgress: (p) => {
          last = p;
          latest = p.tree;
          // The node's state on disk follows the run (running, waiting for review), so the sidebar shows it.
          const state = p.tree.get(nodeId).state;
          if (state !== savedState) {
            savedState = state;
            // A save that fails here is only a late display: the run's last save says what went wrong.
            saving = saving.then(() => saveNode(ports.store, p.tree, nodeId)).catch(() => undefined);
          }
          deps.onProgress?.(p);
        },
        onUsage: (t) => {
          latest = t;
          deps.onUsage?.(t);
        },
      },
      resumed,
    );
    await saving;
    await saveNode(ports.store, result.tree, nodeId);
    ports.journal?.(journalEventFromOutcome(subject, result.outcome.kind));
    return result;
  } catch (err) {
    const where = last ? `the ${last.step} step${last.round ? ` (round ${last.round})` : ''}` : 'starting';
    // Whatever a stopped step threw (its own cancel, the provider's, an abort), a run whose signal
    // was aborted was cancelled: the node goes back to its state before the run, every call kept.
    const cancelled = signal?.aborted === true || isCancellation(err);
    await saving;
    const stopped = cancelled ? { state: node.state } : { state: 'failed' as const, notes: `Failed at ${where}: ${(err as Error).message}` };
    await saveNode(ports.store, latest.edit(nodeId, stopped), nodeId).catch(() => undefined);
    ports.journal?.(journalEventFromOutcome(subject, cancelled ? 'cancelled' : 'failed'));
    throw new NodeRunFailure(where, err, cancelled);
  }
}

/** The node as the run left it, written into the newest saved tree; nothing else of `run` is. */
async function saveNode(store: TaskTreeStore, run: TaskTree, nodeId: string): Promise<void> {
  const node = run.get(nodeId);
  await store.update((newest) => {
    if (!newest.has(nodeId)) return newest; // removed by the person meanwhile: nothing to keep it on
    const { state, notes, saveState } = node;
    return newest.edit(nodeId, { state, notes, saveState }).withUsage(nodeId, node.usage);
  });
}
