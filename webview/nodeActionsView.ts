// The selected node's actions, as buttons where the person is looking (the same as its context
// menu): what the node's state allows, each a tab stop and pressed with Enter or Space.
import type { NodeAction, TaskNodeView } from '../src/protocol';
import { button } from './components';
import { el } from './dom';

const LABELS: Record<NodeAction, string> = {
  decompose: 'Decompose',
  run: 'Run',
  retry: 'Retry',
  stop: 'Stop',
  keep: 'Keep for Me',
  delegate: 'Delegate',
  edit: 'Edit Title and Goal',
  editBudget: 'Edit Budget',
  editSplit: 'Edit Split Policy',
  showLedger: 'Show Ledger',
  showLog: 'Show Log',
};

/**
 * The actions a node in this state offers, the one that moves it on first. While a decision about
 * it waits (the test command before its run starts, a restore), the decision is what moves it on:
 * a second Run would only ask again.
 */
export function actionsFor(node: TaskNodeView, running: boolean, deciding: boolean): NodeAction[] {
  if (running) return ['stop', 'showLog'];
  const first: NodeAction[] = deciding
    ? []
    : node.state === 'failed'
      ? ['retry', 'decompose']
      : node.state === 'pending' || node.state === 'planned' || node.state === 'kept'
        ? ['run', 'decompose']
        : [];
  // Only a node with subtasks has a budget to split among them.
  const budget: NodeAction[] = node.childCount > 0 ? ['editBudget', 'editSplit'] : ['editBudget'];
  return [...first, node.mode === 'keep' ? 'delegate' : 'keep', 'edit', ...budget, 'showLedger', 'showLog'];
}

export function renderNodeActions(node: TaskNodeView, running: boolean, deciding: boolean, act: (nodeId: string, action: NodeAction) => void): HTMLElement {
  const bar = el('div', 'actions node-actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', `Actions on ${node.title}`);
  actionsFor(node, running, deciding).forEach((action, i) =>
    bar.append(button(LABELS[action], () => act(node.id, action), { secondary: i > 0, ariaLabel: `${LABELS[action]}: ${node.title}`, data: { action } })),
  );
  return bar;
}
