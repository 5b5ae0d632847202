// The selected node's ledger: what its prompt holds (tier, path and line ranges, tokens, reasons),
// with Pin and Drop per item and the node's budget, which is set with Enter.
import type { NodeLedgerView, PlanItemView, TaskNodeView } from '../src/protocol';
import { el, formatRanges, pathText } from './dom';
import { button, numberField, progressRing } from './components';
import { budgetWords, emptyPlanWords, leftOutWords } from './ledgerWords';

export interface LedgerCallbacks {
  setChoice(nodeId: string, path: string, choice: 'pin' | 'drop' | 'none'): void;
  setBudget(nodeId: string, tokens: number): void;
  invalidBudget(nodeId: string, typed: string): void;
  /** Opens the split policy editor of this node (its parent's, when the budget comes from there). */
  editSplit(nodeId: string): void;
}

/** How a node with subtasks shares its budget among them, in a sentence. */
function splitWords(node: TaskNodeView): string {
  const subtasks = `${node.childCount} subtask${node.childCount === 1 ? '' : 's'}`;
  if (node.split === 'fixed') return `Fixed split: each of its ${subtasks} has its own budget, and together they fit in this one.`;
  return `Shares its budget ${node.split === 'equal' ? 'equally' : 'by weights'} among its ${subtasks}.`;
}

export function renderLedger(node: TaskNodeView, ledger: NodeLedgerView | null, planning: boolean, callbacks: LedgerCallbacks): HTMLElement {
  const section = el('section', 'ledger');
  section.setAttribute('aria-label', `Ledger of node ${node.title}`);
  const title = el('p', 'ledger-node', node.title);
  if (node.goal) title.title = `${node.title}\n${node.goal}`;
  // The title right under the heading, then what kind of ledger it is (a typed task's plan is the other kind).
  section.append(el('h2', '', 'Ledger'), title, el('p', 'muted ledger-kind', 'Of the selected node: what its run would see.'));

  const budgetRow = el('div', 'budget-edit');
  const field = numberField('node-budget', 'Budget (tokens)', node.allocated, (typed) => {
    const tokens = Number(typed.trim());
    if (typed.trim() === '' || !Number.isSafeInteger(tokens) || tokens < 0) callbacks.invalidBudget(node.id, typed);
    else callbacks.setBudget(node.id, tokens);
  });
  budgetRow.append(field, el('span', 'muted', node.budgetEditable ? 'Enter sets it' : "Comes from the parent's split"));
  if (!node.budgetEditable && node.parentId !== null) {
    const parentId = node.parentId;
    budgetRow.append(
      button("Edit Parent's Split", () => callbacks.editSplit(parentId), {
        secondary: true,
        ariaLabel: "Edit the split policy of this node's parent",
        data: { action: 'edit-parent-split' },
      }),
    );
  }
  section.append(budgetRow);
  if (node.childCount > 0) section.append(el('p', 'muted split-words', splitWords(node)));

  if (planning) {
    const note = el('div', 'planning');
    note.append(progressRing('Planning the ledger'), el('span', '', 'Planning the ledger…'));
    section.append(note);
  }
  if (!ledger || ledger.nodeId !== node.id) return section;
  if (ledger.note) section.append(el('p', 'muted ledger-note', ledger.note));
  if (ledger.error) section.append(el('p', 'notice error', ledger.error));
  const plan = ledger.plan;
  if (plan) {
    section.append(el('p', 'figure', `${ledger.source === 'maker' ? 'Maker prompt' : 'Context plan'} · ${plan.encoding}`));
    const words = el('ul', 'budget-words');
    for (const line of budgetWords(plan, ledger.window)) words.append(el('li', '', line));
    section.append(words);
    const list = el('ol', 'ledger-items');
    for (const item of plan.items) list.append(renderItem(ledger, item, callbacks));
    if (!plan.items.length) list.append(el('li', 'muted', emptyPlanWords(plan)));
    section.append(list);
    const leftOut = leftOutWords(plan.omittedByReason);
    if (leftOut) section.append(el('p', 'muted left-out-words', `Left out: ${leftOut}.`));
  }
  // Pins the ranking had no room for still show, so they can be unpinned.
  const shown = new Set(plan?.items.map((i) => i.path) ?? []);
  const hiddenPins = ledger.pinned.filter((p) => !shown.has(p));
  if (hiddenPins.length) section.append(renderChoiceList('Pinned, not in the prompt', hiddenPins, 'Unpin', ledger.nodeId, callbacks));
  if (ledger.dropped.length) section.append(renderChoiceList('Dropped', ledger.dropped, 'Bring back', ledger.nodeId, callbacks));
  return section;
}

function renderItem(ledger: NodeLedgerView, item: PlanItemView, callbacks: LedgerCallbacks): HTMLElement {
  const pinned = ledger.pinned.includes(item.path);
  const li = el('li', 'ledger-item');
  li.dataset.path = item.path;
  const row = el('div', 'row');
  const path = pathText(item.path);
  const ranges = item.tier === 'whole' ? '' : formatRanges(item.ranges);
  if (ranges) path.append(el('span', 'ranges', ` ${ranges}`));
  row.append(el('span', `tier ${item.tier}`, item.tier), path, el('span', 'tokens', String(item.tokens)));
  const actions = el('div', 'item-actions');
  actions.append(
    button(pinned ? 'Unpin' : 'Pin', () => callbacks.setChoice(ledger.nodeId, item.path, pinned ? 'none' : 'pin'), {
      secondary: true,
      ariaLabel: `${pinned ? 'Unpin' : 'Pin'} ${item.path}`,
      data: { action: pinned ? 'unpin' : 'pin', path: item.path },
    }),
    button('Drop', () => callbacks.setChoice(ledger.nodeId, item.path, 'drop'), {
      secondary: true,
      ariaLabel: `Drop ${item.path}`,
      data: { action: 'drop', path: item.path },
    }),
  );
  li.append(row);
  if (item.reasons.length) li.append(el('div', 'why', item.reasons.map((r) => r.detail).join('; ')));
  if (item.shown) li.append(el('div', 'shown muted', item.shown));
  li.append(actions);
  return li;
}

function renderChoiceList(title: string, paths: string[], action: string, nodeId: string, callbacks: LedgerCallbacks): HTMLElement {
  const box = el('div', 'choices');
  box.append(el('h3', '', title));
  const list = el('ul');
  for (const path of paths) {
    const li = el('li');
    li.append(
      pathText(path),
      button(action, () => callbacks.setChoice(nodeId, path, 'none'), { secondary: true, ariaLabel: `${action} ${path}`, data: { action: 'none', path } }),
    );
    list.append(li);
  }
  box.append(list);
  return box;
}
