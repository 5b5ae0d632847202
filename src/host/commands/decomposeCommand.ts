import { CancellationError, isCancellation } from '../../core/batonError';
import { describeIndexing } from '../../core/context/sharedIndexing';
import * as vscode from 'vscode';
import { formatLedger } from '../../core/context/ledger';
import { journalEventFromCall, journalSubject } from '../../core/run/nodeRunJournal';
import type { FinishedCall } from '../../core/providers/callObserver';
import type { PreflightEstimate, PriceTable } from '../../core/providers/prices';
import { planTask, type PlannedTask } from '../../core/tasks/planner';
import { applyPlan } from '../../core/tasks/plannerSchema';
import type { TaskNode, TaskTree } from '../../core/tasks/taskTree';
import { recordUsage } from '../../core/tasks/usage';
import { COMMANDS } from '../commandIds';
import type { ContextEngines } from '../contextEngines';
import type { RunActivity } from '../runActivity';
import type { EditorSignalTracker } from '../editorSignals';
import type { KeyDestinations } from '../keyDestinations';
import { createRoleRouter } from '../roleRouter';
import type { ContextSettingsReader } from '../settings';
import { engineWithPreferences } from '../../core/context/contextPreferences';
import type { ContextPreferences } from '../state/contextPreferences';
import { describeModelError, offerModelErrorFixes } from '../modelErrors';
import type { JournalRecorder } from '../state/journalRecorder';
import type { BatonWorkspace } from '../../core/workspace/batonWorkspace';
import type { BatonWorkspaces } from '../state/batonWorkspaces';
import { firstFolder, loadTree, nodeFromArgument } from '../workspaceTree';
import { notifyError, notifyInfo, withProgressNotification } from '../notifications';

export interface DecomposeDependencies {
  workspaces: BatonWorkspaces;
  secrets: vscode.SecretStorage;
  keys: KeyDestinations;
  engines: ContextEngines;
  settings: ContextSettingsReader;
  signals: EditorSignalTracker;
  preferences: ContextPreferences;
  journal: JournalRecorder;
  log: vscode.LogOutputChannel;
  /** Shows the node as being planned in the sidebar, with its Stop. */
  activity?: RunActivity;
}

/**
 * "Baton: Decompose": the planner role splits a task into subtasks with budgets (planTask). The
 * planner's context ledger and pre-flight estimate go to the log before the call; progress shows
 * and cancel stops the call. Argument: the node id. Resolves with the subtasks added.
 */
export async function decompose(deps: DecomposeDependencies, nodeArgument?: unknown): Promise<TaskNode[] | undefined> {
  const folder = firstFolder();
  if (!folder) return undefined;
  const tree = await loadTree(deps.workspaces.for(folder).tree);
  if (!tree) return undefined;
  const node = await nodeFromArgument(tree, nodeArgument, {
    title: 'Baton: Decompose',
    placeHolder: 'Which task should the planner split into subtasks?',
    filter: (n) => n.state !== 'done' && n.state !== 'cancelled',
  });
  if (!node) return undefined;

  return withProgressNotification(`Baton: decomposing "${node.title}"`, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort(new CancellationError('Cancelled: no subtasks were added.')));
    const shown = deps.activity?.startRun(node.id, controller);
    shown?.step('planning', 0, 'asking the planner');
    try {
      return await splitNode(deps, folder, tree, node, progress, controller);
    } finally {
      shown?.end();
    }
  });
}

async function splitNode(
  deps: DecomposeDependencies,
  folder: vscode.Uri,
  tree: TaskTree,
  node: TaskNode,
  progress: { report(message: string): void },
  controller: AbortController,
): Promise<TaskNode[] | undefined> {
  let planned: PlannedTask;
  const subject = journalSubject(tree, node.id);
  // Each planner call is journalled as it finishes, and kept on the node even when planning fails.
  const calls: FinishedCall[] = [];
  let prices: PriceTable | undefined;
  try {
    const base = createRoleRouter(
      deps.secrets,
      deps.log,
      (d) => deps.keys.mayGoTo(d, true),
      (message) => progress.report(message),
    );
    const router = base.observed((call) => {
      calls.push(call);
      void deps.journal.record(folder, journalEventFromCall(subject, call, base.prices));
    });
    prices = base.prices;
    progress.report('indexing the folder…');
    const lease = await deps.engines.get(folder, deps.settings.read(folder).maxFileBytes, {
      signal: controller.signal,
      onProgress: (p) => progress.report(describeIndexing(p)),
    });
    const engine = engineWithPreferences(lease.engine, await deps.preferences.get(folder));
    controller.signal.throwIfAborted();
    progress.report('asking the planner…');
    planned = await planTask({
      router,
      engine,
      tree,
      nodeId: node.id,
      signals: deps.signals.signalsFor(folder),
      signal: controller.signal,
      onPrompt: (prompt) => {
        deps.log.info(`Planner prompt for "${node.title}" (context plan):\n${formatLedger(prompt.plan.ledger, { omittedRows: 5 })}`);
        deps.log.info(`Planner pre-flight: ${formatPreflight(prompt.preflight)}`);
        progress.report(`asking the planner (${prompt.promptTokens} prompt tokens, at most $${prompt.preflight.cost.toFixed(4)})…`);
      },
    });
    controller.signal.throwIfAborted();
  } catch (err) {
    if (calls.length > 0 && prices) await saveCallsOnNode(deps.workspaces.for(folder), node.id, calls, prices, deps.log);
    const cancelled = controller.signal.aborted || isCancellation(err);
    const message = cancelled ? 'Cancelled: no subtasks were added.' : describeModelError(err);
    deps.log.error(`Decompose "${node.title}": ${message}`);
    if (cancelled) void notifyInfo(`Baton: ${message}`);
    else void offerModelErrorFixes(err, message, 'planner', deps.log);
    return undefined;
  }
  // The plan goes onto the newest tree: whatever changed while the planner thought stays.
  let added: TaskNode[];
  try {
    added = await addSubtasks(deps.workspaces.for(folder), node.id, planned);
  } catch (err) {
    void notifyError(`Baton: the subtasks were not saved: ${(err as Error).message}`);
    return undefined;
  }
  void deps.journal.record(
    folder,
    ...added.map((n) => ({
      ...subject,
      nodeId: n.id,
      kind: 'node' as const,
      mode: n.mode,
      ...(n.keepReason ? { reason: n.keepReason } : {}),
      source: 'plan' as const,
    })),
  );
  const kept = added.filter((n) => n.mode === 'keep').length;
  deps.log.info(
    `Decomposed "${node.title}" into ${added.length} subtasks (${kept} kept for you): ${added.map((n) => `${n.id} ${n.title} [${n.mode}, ${n.budget.allocated}]`).join('; ')}`,
  );
  void notifyInfo(`Baton: "${node.title}" is split into ${added.length} subtasks (${kept} kept for you).`, 'Run Next Subtask').then((choice) => {
    if (choice) void vscode.commands.executeCommand(COMMANDS.runNextSubtask);
  });
  return added;
}

function formatPreflight(p: PreflightEstimate): string {
  return `${p.promptTokens} prompt + up to ${p.maxOutputTokens} answer tokens${p.fitsContext ? '' : ' (OVER the context window)'}, at most $${p.cost.toFixed(4)}, attention ${p.attention.toFixed(2)}`;
}

/** The planned subtasks, and the planner's calls on the node, added to the newest saved tree. */
async function addSubtasks(workspace: BatonWorkspace, nodeId: string, planned: PlannedTask): Promise<TaskNode[]> {
  let added: TaskNode[] = [];
  await workspace.tree.update((newest) => {
    const applied = applyPlan(newest.withUsage(nodeId, planned.tree.get(nodeId).usage), nodeId, planned.plan);
    added = applied.added;
    return applied.tree;
  });
  return added;
}

/** The calls a failed planning made, on the node that asked for them (the tree as saved now, nothing else changed). */
async function saveCallsOnNode(
  workspace: BatonWorkspace,
  nodeId: string,
  calls: readonly FinishedCall[],
  prices: PriceTable,
  log: vscode.LogOutputChannel,
): Promise<void> {
  try {
    await workspace.tree.update((tree) =>
      tree.has(nodeId)
        ? calls.reduce(
            (t, call) => recordUsage(t, nodeId, { model: call.model, inputTokens: call.usage.inputTokens, outputTokens: call.usage.outputTokens }, prices).tree,
            tree,
          )
        : tree,
    );
  } catch (err) {
    log.warn(`The planner's calls could not be recorded on the node: ${(err as Error).message}`);
  }
}
