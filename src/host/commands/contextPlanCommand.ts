import { isCancellation } from '../../core/batonError';
import * as vscode from 'vscode';
import { BudgetError } from '../../core/context/budgetError';
import type { ContextPlan } from '../../core/context/engine';
import type { PlanView } from '../../protocol';
import { ContextPreferencesError, withPreferences } from '../../core/context/contextPreferences';
import { describeIndexing } from '../../core/context/sharedIndexing';
import { FOCUS_SIDEBAR } from '../commandIds';
import type { ContextPreferences } from '../state/contextPreferences';
import type { ContextEngines, EngineLease } from '../contextEngines';
import type { EditorSignalTracker } from '../editorSignals';
import type { PlanStatusBar } from '../planStatusBar';
import { toPlanView } from '../planView';
import type { ContextSettingsReader } from '../settings';
import type { SidebarViewProvider } from '../sidebar/sidebarView';
import { notifyError, notifyInfo, withProgressNotification } from '../notifications';

export interface ContextPlanDeps {
  engines: ContextEngines;
  signals: EditorSignalTracker;
  settings: ContextSettingsReader;
  sidebar: SidebarViewProvider;
  statusBar: PlanStatusBar;
  log: vscode.LogOutputChannel;
  /** The person's pinned and excluded files (Pin File to Context / Exclude File from Context). */
  preferences?: ContextPreferences;
}

/**
 * "Baton: Show Context Plan": asks for a task (or takes it as the argument, for tests and
 * scripts), plans context for it on the first workspace folder and shows the ledger in the
 * sidebar. Resolves with what the sidebar shows, or undefined when nothing was planned.
 */
export class ContextPlanCommand {
  private lastTask = '';
  private runs = 0;

  constructor(private readonly deps: ContextPlanDeps) {}

  async run(taskArg?: unknown): Promise<PlanView | undefined> {
    const { log, sidebar } = this.deps;
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void notifyError('Baton: open a folder first; a context plan is made from the files of the first workspace folder.');
      return undefined;
    }
    let task = typeof taskArg === 'string' ? taskArg.trim() : '';
    if (!task) {
      await vscode.commands.executeCommand(FOCUS_SIDEBAR);
      const typed = await vscode.window.showInputBox({
        title: 'Baton: Show Context Plan',
        prompt: `What is the task? Baton picks what a model would see for it from ${folder.name}, within the token budget (baton.context.budget).`,
        placeHolder: 'e.g. parse_line should accept "3 cup flour" as well as "3 cups flour"',
        value: this.lastTask,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Describe the task in a few words.'),
      });
      if (typed === undefined) return undefined;
      task = typed.trim();
    }
    this.lastTask = task;
    const run = ++this.runs;
    const settings = this.deps.settings.read(folder.uri);
    sidebar.setPlanning(task);

    const started = performance.now();
    let result: { plan: ContextPlan; lease: EngineLease } | undefined;
    try {
      result = await withProgressNotification('Baton', async (progress, token) => {
        progress.report(`indexing ${folder.name}…`);
        const cancel = new AbortController();
        token.onCancellationRequested(() => cancel.abort());
        const lease = await this.deps.engines.get(folder.uri, settings.maxFileBytes, {
          signal: cancel.signal,
          onProgress: (p) => progress.report(describeIndexing(p)),
        });
        if (token.isCancellationRequested) return undefined;
        progress.report(`planning context within ${settings.budget} tokens…`);
        const preferences = (await this.deps.preferences?.get(folder.uri)) ?? { pinned: [], excluded: [] };
        const plan = await lease.engine.plan(
          withPreferences({ task, budget: settings.budget, model: settings.model, signals: this.deps.signals.signalsFor(folder.uri) }, preferences),
        );
        // The engine cannot be interrupted; cancelling drops its result.
        return token.isCancellationRequested ? undefined : { plan, lease };
      });
    } catch (err) {
      if (run === this.runs) sidebar.setPlanning(null);
      if (isCancellation(err)) {
        log.info(`Context plan for ${JSON.stringify(short(task))} cancelled while indexing ${folder.name}.`);
        void notifyInfo(`Baton: ${(err as Error).message}`);
        return undefined;
      }
      const message =
        err instanceof BudgetError
          ? `Baton: ${err.message.replace(/\.$/, '')} (setting baton.context.budget: ${settings.budget}).`
          : err instanceof ContextPreferencesError
            ? `Baton: ${err.message}`
            : `Baton could not plan context for ${folder.name}: ${err instanceof Error ? err.message : String(err)}`;
      log.error(err instanceof BudgetError ? message : `${message}\n${err instanceof Error ? err.stack : ''}`);
      // Not awaited: the command is done; the message stays until the person answers it.
      void notifyError(message, err instanceof BudgetError ? 'Open Settings' : 'Show Log').then((choice) => {
        if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'baton.context.budget');
        if (choice === 'Show Log') log.show(true);
      });
      return undefined;
    }
    if (!result) {
      if (run === this.runs) sidebar.setPlanning(null);
      log.info(`Context plan for ${JSON.stringify(short(task))} cancelled.`);
      return undefined;
    }
    if (run !== this.runs) {
      log.info(`Context plan for ${JSON.stringify(short(task))} dropped: a newer one was started.`);
      return undefined;
    }

    const { plan, lease } = result;
    const view = toPlanView(task, folder.name, plan, lease.indexMs);
    sidebar.showPlan({ folder: folder.uri, view });
    this.deps.statusBar.show(view);
    log.info(
      `Context plan for ${JSON.stringify(short(task))} on ${folder.name}: ${view.used}/${view.budget} tokens (${view.encoding}, ` +
        `${settings.model}), ${view.items.length} items, ${plan.ledger.omitted.length} left out; index ${ms(lease.indexMs)} ` +
        `(${lease.built ? 'built' : 'kept'}), rank ${ms(plan.timings.rankMs)}, pack ${ms(plan.timings.packMs)}, ` +
        `total ${ms(performance.now() - started)}`,
    );
    await vscode.commands.executeCommand(FOCUS_SIDEBAR);
    return view;
  }
}

function short(task: string): string {
  const line = task.split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
