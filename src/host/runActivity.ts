import * as vscode from 'vscode';
import { CancellationError } from '../core/batonError';
import { plainText } from '../core/security/untrustedText';
import { DECISION_HEADINGS, DECISION_TEXT_MAX, type DecisionView, type RunningView, type RunStep } from '../protocol';
import { COMMANDS } from './commandIds';
import { askWhole, fitsNotification, notifyWarning } from './notifications';

/** A question to the person: its words, and the answers (the first goes ahead). */
export type DecisionRequest = Omit<DecisionView, 'id'>;

/** Asks the person; resolves with the answer chosen, or undefined when dismissed or cancelled. */
export type AskDecision = (request: DecisionRequest, signal?: AbortSignal) => Promise<string | undefined>;

/** How a step asks, and the node its questions are about (null: not one node). */
export interface Asking {
  ask: AskDecision;
  nodeId: string | null;
}

/** Asks with a notification alone (no sidebar to show it in); one too long for it is open whole in an editor beside it. */
export const askByNotification: AskDecision = (request, signal) =>
  askWhole({ text: request.text, heading: DECISION_HEADINGS[request.kind], signal }, ...request.choices);

export const NOTIFICATION_ONLY: Asking = { ask: askByNotification, nodeId: null };

interface PendingDecision {
  view: DecisionView;
  answer(choice: string | undefined): void;
}

/**
 * What is under way, for the sidebar and the status bar: the node being run with its current step
 * (and how to stop it), and the decisions waiting for the person. A decision is asked both as a
 * notification and on its node in the sidebar; whichever is answered first settles it, once.
 */
export class RunActivity implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private running: { view: RunningView; stop: AbortController } | undefined;
  private readonly decisions = new Map<string, PendingDecision>();
  private nextId = 1;

  get runningNode(): RunningView | null {
    return this.running?.view ?? null;
  }

  get pending(): DecisionView[] {
    return [...this.decisions.values()].map((d) => d.view);
  }

  /** A run starts on the node; `stop` aborts it. The returned functions report its steps and its end. */
  startRun(nodeId: string, stop: AbortController): { step(step: RunStep, round: number, message: string): void; end(): void } {
    const run = { view: { nodeId, step: 'starting' as RunStep, round: 0, message: '' }, stop };
    this.running = run;
    this.changed.fire();
    return {
      step: (step, round, message) => {
        run.view = { nodeId, step, round, message: message.slice(0, 2000) };
        if (this.running === run) this.changed.fire();
      },
      end: () => {
        if (this.running !== run) return;
        this.running = undefined;
        this.changed.fire();
      },
    };
  }

  /** Stops the node's run (the Stop button): as the notification's Cancel, nothing unreviewed is written. */
  stop(nodeId: string): boolean {
    if (this.running?.view.nodeId !== nodeId) return false;
    this.running.stop.abort(new CancellationError('Cancelled: nothing unreviewed was written.'));
    return true;
  }

  /**
   * Asks in the sidebar and as a notification at once; the first answer is the answer. A question a
   * notification would cut short is answered in the sidebar, which shows it whole, and the
   * notification only points there (dismissing it answers no, as dismissing the question would);
   * one too long for the sidebar too is asked beside an editor showing it whole.
   */
  readonly ask: AskDecision = async (request, signal) => {
    if (signal?.aborted) return undefined;
    const shown = plainText(request.text); // as the sidebar shows it, which can be longer
    if (shown.length > DECISION_TEXT_MAX) return askByNotification(request, signal);
    const id = `decision-${this.nextId++}`;
    const answered = new Promise<string | undefined>((resolve) => {
      this.decisions.set(id, { view: { id, ...request, text: shown }, answer: resolve });
      signal?.addEventListener('abort', () => resolve(undefined), { once: true });
      if (fitsNotification(request.text)) void notifyWarning(request.text, ...request.choices).then(resolve);
      else void this.pointToSidebar(request).then((seen) => seen || resolve(undefined));
    });
    this.changed.fire();
    try {
      return await answered;
    } finally {
      this.decisions.delete(id);
      this.changed.fire();
    }
  };

  /** Says where the question waits; true once the person asked to see it, false when they dismissed it. */
  private async pointToSidebar(request: DecisionRequest): Promise<boolean> {
    const show = 'Show Question';
    const choice = await notifyWarning(
      `Baton waits for your answer in the Baton sidebar: ${DECISION_HEADINGS[request.kind]} It is too long to show here whole.`,
      show,
    );
    if (choice !== show) return false;
    await Promise.resolve(vscode.commands.executeCommand(COMMANDS.revealNode, ...(request.nodeId ? [request.nodeId] : []))).catch(() => undefined);
    return true;
  }

  /** The sidebar's answer; a decision already settled (or a choice it does not offer) is ignored. */
  answer(decisionId: string, choice: string): boolean {
    const decision = this.decisions.get(decisionId);
    if (!decision || !decision.view.choices.includes(choice)) return false;
    decision.answer(choice);
    return true;
  }

  dispose(): void {
    for (const d of this.decisions.values()) d.answer(undefined);
    this.decisions.clear();
    this.changed.dispose();
  }
}
