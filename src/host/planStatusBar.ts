import * as vscode from 'vscode';
import type { PlanView } from '../protocol';
import { FOCUS_SIDEBAR } from './commandIds';

/** `Baton: used/budget` after a plan; a click brings up the sidebar with its ledger. */
export class PlanStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('baton.contextPlan', vscode.StatusBarAlignment.Left, 10);

  constructor() {
    this.item.name = 'Baton Context Plan';
    this.item.command = FOCUS_SIDEBAR;
  }

  show(plan: PlanView): void {
    this.item.text = `Baton: ${plan.used}/${plan.budget}`;
    this.item.tooltip = `Context plan: ${plan.used} of ${plan.budget} tokens (${plan.encoding}), ${plan.items.length} items. Click to see the ledger.`;
    this.item.accessibilityInformation = { label: `Baton context plan, ${plan.used} of ${plan.budget} tokens`, role: 'button' };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
