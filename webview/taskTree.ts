// The task tree as an ARIA tree: one tab stop (roving tabindex), arrow keys move and open/close,
// Home/End jump, Enter or a click selects (which shows the node's ledger).
import type { TaskNodeView } from '../src/protocol';
import { budgetMeter, el, formatCost } from './dom';

const STATE_GLYPHS: Record<TaskNodeView['state'], string> = {
  pending: '○',
  planned: '◔',
  running: '▶',
  review: '◆',
  done: '✓',
  failed: '✕',
  kept: '⚑',
  cancelled: '⊘',
};

/** What is under way on the nodes: the running one with its step, those with a decision waiting. */
export interface TreeActivity {
  runningId: string | null;
  step: string | null;
  waiting: ReadonlySet<string>;
}

const NO_ACTIVITY: TreeActivity = { runningId: null, step: null, waiting: new Set() };

export interface TaskTreeCallbacks {
  select(nodeId: string): void;
  setCollapsed(nodeId: string, collapsed: boolean): void;
}

export class TaskTreeView {
  readonly element = el('ul', 'task-tree');
  private nodes: TaskNodeView[] = [];
  private selectedId: string | null = null;
  private collapsed = new Set<string>();
  private activity: TreeActivity = NO_ACTIVITY;
  /** The item holding the tab stop; focus returns to it after a re-render. */
  private activeId: string | null = null;

  constructor(private readonly callbacks: TaskTreeCallbacks) {
    this.element.setAttribute('role', 'tree');
    this.element.setAttribute('aria-label', 'Task tree');
    this.element.addEventListener('keydown', (event) => this.onKey(event));
  }

  render(nodes: TaskNodeView[], selectedId: string | null, collapsed: ReadonlySet<string>, activity: TreeActivity = NO_ACTIVITY): void {
    const hadFocus = this.element.contains(document.activeElement);
    // The running node is running whatever the tree file last said.
    this.nodes = nodes.map((n) => (n.id === activity.runningId ? { ...n, state: 'running' } : n));
    this.activity = activity;
    this.selectedId = selectedId;
    this.collapsed = new Set(collapsed);
    if (!this.activeId || !nodes.some((n) => n.id === this.activeId)) this.activeId = selectedId ?? nodes[0]?.id ?? null;
    // A selected node inside a collapsed parent would be invisible: open its ancestors.
    for (let at = nodes.find((n) => n.id === selectedId); at?.parentId; at = nodes.find((n) => n.id === at!.parentId)) this.collapsed.delete(at.parentId);
    this.element.replaceChildren(...this.childrenOf(null).map((n) => this.renderItem(n, 1)));
    this.updateTabStop();
    if (hadFocus) this.itemElement(this.activeId)?.focus();
  }

  private childrenOf(parentId: string | null): TaskNodeView[] {
    return this.nodes.filter((n) => n.parentId === parentId);
  }

  private renderItem(node: TaskNodeView, level: number): HTMLElement {
    const children = this.childrenOf(node.id);
    const expanded = children.length > 0 && !this.collapsed.has(node.id);
    const li = el('li', 'task-item');
    li.id = `node-${cssSafe(node.id)}`;
    li.dataset.nodeId = node.id;
    li.setAttribute('role', 'treeitem');
    li.setAttribute('aria-level', String(level));
    li.setAttribute('aria-selected', String(node.id === this.selectedId));
    if (children.length) li.setAttribute('aria-expanded', String(expanded));
    li.setAttribute('aria-label', describe(node, this.stepOf(node), this.activity.waiting.has(node.id)));
    li.tabIndex = -1;
    // The node's context menu (package.json webview/context) runs its commands with this context.
    li.dataset.vscodeContext = JSON.stringify({
      webviewSection: 'taskNode',
      nodeId: node.id,
      nodeState: node.state,
      nodeMode: node.mode,
      nodeHasSubtasks: children.length > 0,
      // A decision about it waits (its run's approval): the menu offers no second Run, Retry or Decompose.
      nodeDeciding: this.activity.waiting.has(node.id),
      preventDefaultContextMenuItems: true,
    });

    const row = el('div', 'node-row');
    row.style.paddingLeft = `${(level - 1) * 14 + 4}px`;
    const twisty = el('span', 'twisty', children.length ? (expanded ? '▾' : '▸') : '');
    twisty.setAttribute('aria-hidden', 'true');
    twisty.addEventListener('click', (event) => {
      event.stopPropagation();
      this.setExpanded(node.id, !expanded);
    });
    const icon = el('span', `state-icon state-${node.state}`, STATE_GLYPHS[node.state]);
    icon.setAttribute('role', 'img');
    icon.setAttribute('aria-label', `state: ${node.state}`);
    icon.title = node.state;
    const badge = el('span', `badge ${node.mode}`, node.mode === 'keep' ? 'KEEP' : 'delegate');
    if (node.keepReason) badge.title = node.keepReason;
    // Cut with an ellipsis when narrow: the tooltip holds the whole title and the goal.
    const title = el('span', 'node-title', node.title);
    title.title = node.goal ? `${node.title}\n${node.goal}` : node.title;
    row.append(twisty, icon, title, badge);

    const budget = el('div', 'node-budget');
    budget.style.paddingLeft = `${(level - 1) * 14 + 22}px`;
    budget.append(
      budgetMeter(node.used, node.allocated, `Tokens used of the budget of ${node.title}`),
      figures(node),
      el('span', 'cost', formatCost(node.cost)),
    );
    li.append(row, budget);
    const step = this.stepOf(node);
    if (step !== null || this.activity.waiting.has(node.id)) {
      const status = el('div', 'node-step');
      status.style.paddingLeft = budget.style.paddingLeft;
      if (step !== null) status.append(el('span', 'step', `▶ ${step}`));
      if (this.activity.waiting.has(node.id)) status.append(el('span', 'waiting', '● decision waiting'));
      li.append(status);
    }
    li.addEventListener('click', (event) => {
      event.stopPropagation();
      this.activeId = node.id;
      this.updateTabStop();
      li.focus();
      this.callbacks.select(node.id);
    });

    if (expanded) {
      const group = el('ul', 'task-group');
      group.setAttribute('role', 'group');
      group.append(...children.map((c) => this.renderItem(c, level + 1)));
      li.append(group);
    }
    return li;
  }

  private stepOf(node: TaskNodeView): string | null {
    return node.id === this.activity.runningId ? this.activity.step : null;
  }

  private onKey(event: KeyboardEvent): void {
    const visible = this.visibleIds();
    const at = this.activeId ? visible.indexOf(this.activeId) : -1;
    const node = this.nodes.find((n) => n.id === this.activeId);
    const hasChildren = !!node && this.childrenOf(node.id).length > 0;
    const expanded = hasChildren && !this.collapsed.has(node!.id);
    let target: string | undefined;
    switch (event.key) {
      case 'ArrowDown':
        target = visible[Math.min(visible.length - 1, at + 1)];
        break;
      case 'ArrowUp':
        target = visible[Math.max(0, at - 1)];
        break;
      case 'Home':
        target = visible[0];
        break;
      case 'End':
        target = visible.at(-1);
        break;
      case 'ArrowRight':
        if (!node) return;
        if (hasChildren && !expanded) this.setExpanded(node.id, true);
        else if (expanded) target = this.childrenOf(node.id)[0]?.id;
        break;
      case 'ArrowLeft':
        if (!node) return;
        if (expanded) this.setExpanded(node.id, false);
        else if (node.parentId) target = node.parentId;
        break;
      case 'Enter':
      case ' ':
        if (node) this.callbacks.select(node.id);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target) this.moveTo(target);
  }

  private moveTo(id: string): void {
    this.activeId = id;
    this.updateTabStop();
    const item = this.itemElement(id);
    item?.focus();
    item?.scrollIntoView({ block: 'nearest' });
  }

  private setExpanded(id: string, expanded: boolean): void {
    if (expanded) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.callbacks.setCollapsed(id, !expanded);
    this.activeId = id;
    this.element.replaceChildren(...this.childrenOf(null).map((n) => this.renderItem(n, 1)));
    this.updateTabStop();
    this.itemElement(id)?.focus();
  }

  /** Ids of the items a person can see, top to bottom. */
  private visibleIds(): string[] {
    const ids: string[] = [];
    const visit = (parentId: string | null): void => {
      for (const n of this.childrenOf(parentId)) {
        ids.push(n.id);
        if (!this.collapsed.has(n.id)) visit(n.id);
      }
    };
    visit(null);
    return ids;
  }

  private updateTabStop(): void {
    for (const item of Array.from(this.element.querySelectorAll<HTMLElement>('[role="treeitem"]')))
      item.tabIndex = item.dataset.nodeId === this.activeId ? 0 : -1;
  }

  private itemElement(id: string | null): HTMLElement | undefined {
    if (id === null) return undefined;
    return Array.from(this.element.querySelectorAll<HTMLElement>('[role="treeitem"]')).find((item) => item.dataset.nodeId === id);
  }
}

function describe(node: TaskNodeView, step: string | null, waiting: boolean): string {
  const mode = node.mode === 'keep' ? 'kept for you' : 'delegated';
  const now = `${step === null ? '' : `, ${step}`}${waiting ? ', a decision is waiting' : ''}`;
  return `${node.title}, ${node.state}${now}, ${mode}, ${node.used} of ${node.allocated} tokens, ${formatCost(node.cost)}`;
}

function cssSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** "used / budget", with its meaning in its tooltip. */
function figures(node: TaskNodeView): HTMLElement {
  const span = el('span', 'figures', `${node.used} / ${node.allocated}`);
  span.title = `${node.used} tokens used (this node and its subtasks) of its ${node.allocated}-token budget`;
  return span;
}
