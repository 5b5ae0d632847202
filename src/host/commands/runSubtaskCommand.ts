import { describeIndexing } from '../../core/context/sharedIndexing';
import * as vscode from 'vscode';
import { CancellationError, errorKind } from '../../core/batonError';
import { CheckpointError } from '../../core/checkpoints/checkpointError';
import type { CheckpointStore } from '../../core/checkpoints/checkpointStore';
import type { TaskNode, TaskTree } from '../../core/tasks/taskTree';
import { revertFollowingTree } from '../../core/tasks/treeAfterRevert';
import type { TaskTreeStore } from '../../core/tasks/treeStore';
import { CutOffAnswerError } from '../../core/proposals/maker';
import { type NodeRunOutcome, type TestStep } from '../../core/run/nodeRun';
import { NodeRunFailure, runSavedNode } from '../../core/run/savedNodeRun';
import type { NewJournalEvent } from '../../core/run/journalEvent';
import { formatTestFailureForMaker, runTestCommand } from '../../core/verify/testCommand';
import { ChangedSinceProposalError, type ChangeApplier, type ReviewPort } from '../../core/proposals/types';
import { NodeExec } from '../../node/nodeExec';
import { engineWithPreferences } from '../../core/context/contextPreferences';
import { COMMANDS } from '../commandIds';
import type { ContextPreferences } from '../state/contextPreferences';
import type { JournalRecorder } from '../state/journalRecorder';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import { RunInProgressError } from '../../core/workspace/stateConflicts';
import type { ReleaseLock } from '../../core/ports';
import type { ContextEngines } from '../contextEngines';
import type { KeyDestinations } from '../keyDestinations';
import { createRoleRouter } from '../roleRouter';
import type { ContextSettingsReader } from '../settings';
import { approvedTestCommand } from '../testApproval';
import { SensitiveChangeConfirmation } from '../sensitiveChangeConfirmation';
import { VsCodeWorkspaceFiles } from '../vscodeWorkspaceFiles';
import { restoreGates } from '../restoreConfirmation';
import { NOTIFICATION_ONLY, type Asking, type RunActivity } from '../runActivity';
import { offerModelErrorFixes } from '../modelErrors';
import { notifyError, notifyInfo, notifyWarning, withProgressNotification } from '../notifications';
import { labelText } from '../../core/security/untrustedText';

export interface RunSubtaskDependencies {
  context: vscode.ExtensionContext;
  /** Where the person said a stored key may go. */
  keys: KeyDestinations;
  engines: ContextEngines;
  settings: ContextSettingsReader;
  review: ReviewPort;
  /** Writes what the person accepted, through the same files (so a link approved once is not asked about again). */
  applierFor(files: VsCodeWorkspaceFiles): ChangeApplier;
  /** Each folder's state: the tree, checkpoints, and the run lock (one run per folder at a time). */
  workspaces: BatonWorkspaces;
  log: vscode.LogOutputChannel;
  /** Pinned and excluded files, honoured by the maker's context plan. */
  preferences?: ContextPreferences;
  /** Where what happened is recorded (.baton/journal.jsonl). */
  journal?: JournalRecorder;
  /** The run's step and its questions, shown on its node in the sidebar (and Stop from there). */
  activity?: RunActivity;
}

/**
 * "Baton: Run Subtask" / "Run Next Subtask": runs one node of the saved task tree end to end, with
 * progress and cancel at every step, saving the tree after it (and after a failure: nothing is lost).
 */
/** A roll back takes back the node's files, and the saved tree follows. */
interface RollBackStores {
  checkpoints: CheckpointStore;
  store: TaskTreeStore;
}

export class RunSubtaskCommand {
  constructor(private readonly deps: RunSubtaskDependencies) {}

  async run(which: 'pick' | 'next', nodeId?: unknown): Promise<NodeRunOutcome | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void notifyError('Baton: open a folder first.');
      return undefined;
    }
    const workspace = this.deps.workspaces.for(folder.uri);
    let tree: TaskTree;
    try {
      tree = await workspace.settleInterruptedRuns();
    } catch (err) {
      void notifyError(`Baton: ${(err as Error).message}`);
      return undefined;
    }
    const node = typeof nodeId === 'string' ? tree.find(nodeId) : which === 'next' ? tree.nextRunnable() : await pickNode(tree);
    if (!node) {
      if (which === 'next' || typeof nodeId === 'string') {
        void notifyInfo(
          typeof nodeId === 'string'
            ? `Baton: no subtask "${nodeId}" in .baton/tree.json.`
            : 'Baton: no subtask is ready to run (each waits for its dependencies, or the tree is empty: plan a task first with `baton plan --save`).',
        );
      }
      return undefined;
    }
    let endRun: ReleaseLock;
    try {
      endRun = await workspace.beginRun(node.id);
      // The tree as it is now that the run is ours (the pick may have taken a while).
      tree = (await workspace.tree.load()).tree;
    } catch (err) {
      if (err instanceof RunInProgressError) void notifyWarning(`Baton: "${node.title}" was not started: ${err.message}`);
      else void notifyError(`Baton: ${(err as Error).message}`);
      return undefined;
    }
    try {
      if (!tree.has(node.id)) {
        void notifyError(`Baton: "${node.title}" is no longer in .baton/tree.json: nothing was run.`);
        return undefined;
      }
      return await this.runNode(folder, tree, node, workspace.tree, workspace.checkpoints);
    } finally {
      await endRun();
    }
  }

  private async runNode(
    folder: vscode.WorkspaceFolder,
    tree: TaskTree,
    node: TaskNode,
    store: TaskTreeStore,
    folderCheckpoints: CheckpointStore,
  ): Promise<NodeRunOutcome | undefined> {
    const files = new VsCodeWorkspaceFiles(folder.uri);
    // The run's own files: a link approved during it is asked about again on the next run.
    const checkpoints = folderCheckpoints.withFiles(files);
    const asking = this.askingAbout(node.id);
    const testCommand = await approvedTestCommand(folder.uri, this.deps.context.workspaceState, this.deps.log, asking);
    const exec = new NodeExec();
    const tests: TestStep | undefined = testCommand && {
      command: testCommand.command,
      run: async (signal) => {
        const result = await runTestCommand(exec, testCommand.command, { cwd: folder.uri.fsPath, signal, onOutput: (t) => this.deps.log.trace(t) });
        this.deps.log.info(result.summary);
        return { passed: result.passed, summary: result.summary, output: result.output, forMaker: formatTestFailureForMaker(result) };
      },
    };

    return withProgressNotification(`Baton: ${node.title}`, async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort(new CancellationError('Cancelled: nothing unreviewed was written.')));
      const journal = (event: NewJournalEvent): void => void this.deps.journal?.record(folder.uri, event);
      const shown = this.deps.activity?.startRun(node.id, controller);
      try {
        const result = await runSavedNode(
          tree,
          node.id,
          async () => {
            const router = createRoleRouter(
              this.deps.context.secrets,
              this.deps.log,
              (d) => this.deps.keys.mayGoTo(d, true),
              (message) => progress.report(message),
            );
            const { engine } = await this.deps.engines.get(folder.uri, this.deps.settings.read(folder.uri).maxFileBytes, {
              signal: controller.signal,
              onProgress: (p) => progress.report(describeIndexing(p)),
            });
            const preferences = (await this.deps.preferences?.get(folder.uri)) ?? { pinned: [], excluded: [] };
            return {
              router,
              engine: engineWithPreferences(engine, preferences),
              files,
              checkpoints,
              review: this.deps.review,
              applier: this.deps.applierFor(files),
              tests,
              sensitiveChanges: new SensitiveChangeConfirmation(asking), // a second yes for .vscode/, CI, package scripts, env files
              signal: controller.signal,
              onProgress: (p) => {
                this.deps.log.info(p.message);
                progress.report(p.message);
                shown?.step(p.step, p.round, p.message);
              },
              onPrompt: (prompt) =>
                this.deps.log.info(
                  `maker prompt: ${prompt.promptTokens}/${prompt.budget} tokens, ${prompt.plan.ledger.items.length} context items, at most $${prompt.preflight.cost.toFixed(4)}`,
                ),
            };
          },
          { store, journal },
        );
        this.report(result.outcome, { checkpoints, store }, node).catch((err: unknown) =>
          this.deps.log.error(`Reporting the run of ${node.id} failed: ${String(err)}`),
        );
        return result.outcome;
      } catch (err) {
        if (!(err instanceof NodeRunFailure)) throw err;
        return this.fail(err.cause, node, err.where);
      } finally {
        shown?.end();
      }
    });
  }

  private async report(outcome: NodeRunOutcome, stores: RollBackStores, node: TaskNode): Promise<void> {
    switch (outcome.kind) {
      case 'done':
        void notifyInfo(`Baton: "${node.title}" is done (checkpoint saved).`);
        break;
      case 'kept':
        void notifyInfo(`Baton: "${node.title}" is kept for you: its context plan is ready (${outcome.prompt.plan.ledger.items.length} items).`);
        break;
      case 'rejected':
        void notifyInfo(`Baton: nothing of "${node.title}" was applied.`);
        break;
      case 'breaker-failed':
        void notifyWarning(
          `Baton: the breaker still finds problems in "${node.title}" after the last round: ${outcome.review.findings.map((f) => f.problem).join('; ')}`,
        );
        break;
      case 'tests-failed': {
        const rollBack = 'Roll Back';
        const choice = await notifyError(`Baton: the tests still fail after the last round of "${node.title}".`, rollBack);
        if (choice === rollBack) await this.rollBack(stores, node);
        break;
      }
    }
  }

  /** Takes back every round of the node (each round built on the one before), never other nodes' changes. */
  private async rollBack({ checkpoints, store }: RollBackStores, node: TaskNode, force = false): Promise<void> {
    try {
      // The same gates as a restore: the person's yes to every file it writes, and sensitive files twice.
      const result = await revertFollowingTree(store, (treeState) =>
        checkpoints.undoNode(node.id, { force, treeState, ...restoreGates(node.title, this.askingAbout(node.id)) }),
      );
      const count = result.written.length + result.deleted.length;
      this.deps.log.info(
        `Rolled back "${node.title}": ${result.reverted.length} checkpoint(s), wrote ${result.written.join(', ') || 'nothing'}, deleted ${result.deleted.join(', ') || 'nothing'}`,
      );
      void notifyInfo(`Baton: rolled back every change of "${node.title}" (${count} file${count === 1 ? '' : 's'}); the roll back is itself a checkpoint.`);
      void vscode.commands.executeCommand(COMMANDS.refreshSidebar).then(undefined, () => undefined);
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      if (err.code === 'declined') return; // the person said no
      this.deps.log.warn(`Roll back of ${node.id} refused: ${err.message}`);
      const anyway = err.code === 'changed-since' && !force ? ['Roll Back Anyway'] : [];
      // The person's click on "Roll Back Anyway" is the yes to losing the later edits it names.
      if (await notifyError(`Baton: roll back refused: ${err.message}`, ...anyway)) await this.rollBack({ checkpoints, store }, node, true);
    }
  }

  /** Questions about the node: on it in the sidebar too, when there is one. */
  private askingAbout(nodeId: string): Asking {
    return this.deps.activity ? { ask: this.deps.activity.ask, nodeId } : NOTIFICATION_ONLY;
  }

  private fail(err: unknown, node: TaskNode, where: string): undefined {
    const kind = errorKind(err);
    if (kind === 'cancelled') {
      // The person's own stop: the node is back as it was before the run, so no failure is shown.
      this.deps.log.info(`"${node.title}" was cancelled at ${where}: ${(err as Error).message}`);
      void notifyInfo(`Baton: "${node.title}" was cancelled at ${where}; nothing unreviewed was written.`);
      return undefined;
    }
    const message = `"${node.title}" stopped at ${where}: ${(err as Error).message}`;
    this.deps.log.error(message);
    if (err instanceof ChangedSinceProposalError) {
      void notifyWarning(`Baton: ${message}`, 'Request Fresh Proposal').then((choice) => {
        if (choice) void vscode.commands.executeCommand(COMMANDS.runSubtask, node.id);
      });
    } else if (err instanceof CutOffAnswerError) {
      // The work does not fit one answer: the planner can split the node, with the person's click.
      void notifyError(`Baton: ${message}`, 'Split This Node', 'Show Log').then((choice) => {
        if (choice === 'Split This Node') void vscode.commands.executeCommand(COMMANDS.decompose, node.id);
        else if (choice) this.deps.log.show();
      });
    } else if (kind === 'provider') {
      void offerModelErrorFixes(err, message, 'maker', this.deps.log);
    } else {
      void notifyError(`Baton: ${message}`, 'Show Log').then((c) => c && this.deps.log.show());
    }
    return undefined;
  }
}

async function pickNode(tree: TaskTree): Promise<TaskNode | undefined> {
  const candidates = tree
    .depthFirst()
    .filter((n) => tree.childrenIds(n.id).length === 0 && (n.state === 'pending' || n.state === 'planned' || n.state === 'failed'));
  const picked = await vscode.window.showQuickPick(
    candidates.map((n) => ({
      label: labelText(n.title),
      description: `${n.mode === 'keep' ? 'keep' : 'delegate'}, budget ${n.budget.allocated}, ${n.state}`,
      id: n.id,
    })),
    { title: 'Baton: Run Subtask', placeHolder: 'Which subtask?' },
  );
  return picked && tree.get(picked.id);
}
