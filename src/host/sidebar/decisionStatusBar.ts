import * as vscode from 'vscode';
import type { RunActivity } from '../runActivity';
import { COMMANDS } from '../commandIds';

/** "Baton: a decision is waiting" while one is: a question is never only in a notification that slid away. */
export class DecisionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('baton.decisionWaiting', vscode.StatusBarAlignment.Left, 11);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly activity: RunActivity) {
    this.item.name = 'Baton Decision Waiting';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.subscription = activity.onDidChange(() => this.update());
  }

  private update(): void {
    const waiting = this.activity.pending;
    const first = waiting[0];
    if (!first) {
      this.item.hide();
      return;
    }
    const count = waiting.length === 1 ? 'a decision is' : `${waiting.length} decisions are`;
    this.item.text = `$(bell-dot) Baton: ${count} waiting`;
    this.item.tooltip = 'Baton waits for your answer. Click to see it in the sidebar.';
    this.item.accessibilityInformation = { label: `Baton: ${count} waiting for your answer`, role: 'button' };
    this.item.command = { command: COMMANDS.revealNode, title: 'Show the Decision', arguments: first.nodeId ? [first.nodeId] : [] };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
