// The context plan in the sidebar: the task, tokens used of the budget, the items (each opens its
// file when clicked) and what was left out. Workspace text (paths, reasons, the task) is untrusted:
// it goes in through textContent and attributes only.
import type { PlanItemView, PlanView } from '../src/protocol';
import { el, formatRanges, pathText } from './dom';
import { budgetWords, emptyPlanWords, leftOutWords } from './ledgerWords';

export function renderPlan(plan: PlanView, openItem: (path: string) => void): HTMLElement {
  const section = el('section', 'plan');
  section.setAttribute('aria-label', 'Context plan for a typed task');
  // Not a node's ledger: the task was typed in Show Context Plan.
  section.append(el('h2', '', 'Context plan for a typed task'), el('p', 'task', plan.task), ...renderBudget(plan));

  section.append(el('h2', '', `Items (${plan.items.length})`));
  const list = el('ol', 'items');
  for (const item of plan.items) list.append(renderItem(item, openItem));
  if (!plan.items.length) list.append(el('li', 'muted', emptyPlanWords(plan)));
  section.append(list, renderLeftOut(plan));

  const t = plan.timings;
  section.append(el('p', 'timings muted', `${plan.folderName} · index ${ms(t.indexMs)} · rank ${ms(t.rankMs)} · pack ${ms(t.packMs)}`));
  return section;
}

function renderBudget(plan: PlanView): HTMLElement[] {
  const r = plan.reserved;
  const context = Math.max(0, plan.used - r.instructions - r.task);
  const figure = el('div', 'figure');
  figure.append(el('strong', 'used', `${plan.used} / ${plan.budget} tokens`), el('span', 'muted', plan.encoding));

  const bar = el('div', 'bar');
  bar.setAttribute('role', 'meter');
  bar.setAttribute('aria-label', 'Tokens used of the budget');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', String(plan.budget));
  bar.setAttribute('aria-valuenow', String(plan.used));
  const share = (n: number): string => `${plan.budget ? Math.min(100, (100 * n) / plan.budget) : 0}%`;
  for (const [cls, n] of [
    ['reserved', r.instructions + r.task],
    ['context', context],
    ['answer', r.answer],
  ] as const) {
    const seg = el('span', cls);
    seg.style.width = share(n);
    bar.append(seg);
  }

  const legend = el('p', 'legend muted');
  for (const [cls, label] of [
    ['reserved', `instructions ${r.instructions} + task ${r.task}`],
    ['context', `context ${context}`],
    ['answer', `answer ${r.answer} (reserved)`],
  ] as const) {
    const entry = el('span', 'entry');
    entry.append(el('i', cls), document.createTextNode(label));
    legend.append(entry, document.createTextNode(' '));
  }
  const words = el('ul', 'budget-words');
  for (const line of budgetWords(plan, null)) words.append(el('li', '', line));
  return [figure, bar, legend, words];
}

function renderItem(item: PlanItemView, openItem: (path: string) => void): HTMLElement {
  const li = el('li');
  const button = el('button', 'item');
  button.type = 'button';
  button.dataset.path = item.path;
  const ranges = item.tier === 'whole' ? '' : formatRanges(item.ranges);
  button.title = `Open ${item.path}${ranges ? ` at line ${item.ranges[0]?.[0] ?? 1}` : ''}\nscore ${item.score.toFixed(2)}\n${item.reasons.map((r) => `${r.signal}: ${r.detail}`).join('\n')}${rangeNotes(item)}`;

  const row = el('div', 'row');
  const path = pathText(item.path);
  if (ranges) path.append(el('span', 'ranges', ` ${ranges}`));
  row.append(el('span', `tier ${item.tier}`, item.tier), path, el('span', 'tokens', String(item.tokens)));
  button.append(row);
  if (item.reasons.length) button.append(el('div', 'why', item.reasons.map((r) => r.detail).join('; ')));
  if (item.shown) button.append(el('div', 'shown muted', item.shown));
  button.addEventListener('click', () => openItem(item.path));
  li.append(button);
  return li;
}

function renderLeftOut(plan: PlanView): HTMLElement {
  const box = el('div', 'left-out');
  box.append(el('h2', '', 'Left out'));
  const words = leftOutWords(plan.omittedByReason);
  if (!words) {
    box.append(el('p', 'muted', 'Nothing: every ranked file is in the plan.'));
    return box;
  }
  box.append(el('p', '', `${words}.`));
  if (plan.budgetCut.length) {
    box.append(el('p', 'muted', 'Cut for the budget, best first:'));
    const list = el('ul');
    for (const cut of plan.budgetCut) {
      const li = el('li');
      li.append(pathText(cut.path));
      li.title = `${cut.path}\n${cut.detail}`;
      li.append(el('span', 'muted', ` (score ${cut.score.toFixed(2)})`));
      list.append(li);
    }
    box.append(list);
  }
  return box;
}

function ms(n: number): string {
  return `${Math.round(n)} ms`;
}

/** Why each range was chosen, one line per range, for the item's tooltip. */
function rangeNotes(item: PlanItemView): string {
  return (item.notes ?? []).map((n) => `\nlines ${n.range[0]}-${n.range[1]}: ${n.why}`).join('');
}
