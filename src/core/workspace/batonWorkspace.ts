import { CheckpointStore } from '../checkpoints/checkpointStore';
import type { Clock, Logger, ReleaseLock, SigningKey, StateStore, WorkspaceFiles } from '../ports';
import { JournalStore } from '../run/journalStore';
import { PendingReviews } from '../run/pendingReview';
import { settleInterruptedRuns } from '../tasks/interruptedRuns';
import type { TaskTree } from '../tasks/taskTree';
import { TaskTreeStore } from '../tasks/treeStore';
import { ContextPreferenceStore } from './contextPreferenceStore';
import { RunInProgressError, StateLockedError } from './stateConflicts';

// The one owner of a workspace folder's Baton state (`.baton/`): made once per folder when the
// extension activates, and once per command-line invocation, so every command shares the same
// stores and their queues. What another process does to the same folder is kept apart by locks in
// `.baton/`: the tree changes through update(), checkpoints are numbered under a lock, and one run
// at a time holds the run lock.

export interface BatonWorkspacePorts {
  files: WorkspaceFiles;
  state: StateStore;
  clock: Clock;
  /** Signs checkpoints and pending reviews: only those this machine wrote for this folder count. */
  key: SigningKey;
  log?: Logger;
}

/** `.baton/run.lock`: held for the whole of a run, review included. */
const RUN_LOCK = 'run';

export class BatonWorkspace {
  readonly tree: TaskTreeStore;
  readonly checkpoints: CheckpointStore;
  readonly journal: JournalStore;
  readonly preferences: ContextPreferenceStore;
  readonly pendingReviews: PendingReviews;
  /** The node this process is running, if any. */
  private runningHere: string | undefined;

  constructor(private readonly ports: BatonWorkspacePorts) {
    this.tree = new TaskTreeStore(ports.state, ports.clock);
    this.checkpoints = new CheckpointStore(ports);
    this.journal = new JournalStore(ports.state, ports.clock);
    this.preferences = new ContextPreferenceStore(ports.state);
    this.pendingReviews = new PendingReviews(ports.state, ports.key);
  }

  /**
   * Starts a run of `nodeId`, or refuses with RunInProgressError naming the node already running
   * (here, in another window or by the command line). Once it holds the run lock, any node still
   * saved as running was interrupted (its window or process closed) and is marked failed.
   * Resolves with the release, to call when the run is over.
   */
  async beginRun(nodeId: string): Promise<ReleaseLock> {
    const here = this.runningHere;
    if (here !== undefined) throw new RunInProgressError(await this.labelOf(here), 'here');
    this.runningHere = nodeId; // taken before the first await: a second call in this process is refused
    let release: ReleaseLock;
    try {
      release = await this.ports.state.lock(RUN_LOCK);
    } catch (err) {
      this.runningHere = undefined;
      if (err instanceof StateLockedError) throw new RunInProgressError(await this.runningElsewhere(), 'elsewhere');
      throw err;
    }
    const end: ReleaseLock = async () => {
      if (this.runningHere === nodeId) this.runningHere = undefined;
      await release();
    };
    try {
      await this.tree.update((tree) => settleInterruptedRuns(tree, new Set()));
    } catch (err) {
      await end();
      throw err;
    }
    return end;
  }

  /**
   * The saved tree with every interrupted run marked failed, when no run is under way anywhere
   * (a node another window is running stays running); before a person picks what to run.
   */
  async settleInterruptedRuns(): Promise<TaskTree> {
    if (this.runningHere !== undefined) return (await this.tree.load()).tree;
    let release: ReleaseLock;
    try {
      release = await this.ports.state.lock(RUN_LOCK);
    } catch (err) {
      if (err instanceof StateLockedError) return (await this.tree.load()).tree;
      throw err;
    }
    try {
      return await this.tree.update((tree) => settleInterruptedRuns(tree, new Set()));
    } finally {
      await release();
    }
  }

  private async labelOf(nodeId: string): Promise<string> {
    return (await this.savedTree())?.label(nodeId) ?? `(${nodeId})`;
  }

  /** The node another process is running, as far as the saved tree tells. */
  private async runningElsewhere(): Promise<string | undefined> {
    const tree = await this.savedTree();
    const node = tree?.depthFirst().find((n) => n.state === 'running') ?? tree?.depthFirst().find((n) => n.state === 'review');
    return node && tree?.label(node.id);
  }

  /** The saved tree for a message; none when it cannot be read (the refusal is what matters). */
  private savedTree(): Promise<TaskTree | undefined> {
    return this.tree.load().then(
      (loaded) => loaded.tree,
      () => undefined,
    );
  }
}
