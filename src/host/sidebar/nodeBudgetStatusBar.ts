import * as vscode from 'vscode';
import type { TaskNodeView } from '../../protocol';
import { COMMANDS } from '../commandIds';

/** `Baton task: used/allocated` of the running node (or the one waiting for the person's review), else the selected one; a click shows its ledger. */
export class NodeBudgetStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('baton.nodeBudget', vscode.StatusBarAlignment.Left, 9);

  constructor() {
    this.item.name = 'Baton Task Budget';
  }

  show(nodes: readonly TaskNodeView[], selectedId: string | null): void {
    const node = nodes.find((n) => n.state === 'running') ?? nodes.find((n) => n.state === 'review') ?? nodes.find((n) => n.id === selectedId);
    if (!node) {
      this.item.hide();
      return;
    }
    const running = node.state === 'running' ? ' (running)' : node.state === 'review' ? ' (waiting for your review)' : '';
    this.item.text = `Baton task: ${node.used}/${node.allocated}`;
    this.item.tooltip = `"${node.title}"${running}: ${node.used} of ${node.allocated} tokens, $${node.cost.toFixed(4)}. Click to see its ledger.`;
    this.item.accessibilityInformation = { label: `Baton task ${node.title}${running}, ${node.used} of ${node.allocated} tokens`, role: 'button' };
    this.item.command = { command: COMMANDS.revealNode, title: 'Show the Ledger', arguments: [node.id] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
