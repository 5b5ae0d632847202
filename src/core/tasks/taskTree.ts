// The task tree: what the person asked for, split into small tasks, each with its own budget.
// A TaskTree is a value: every operation returns a new tree and leaves the old one as it was, so
// the sidebar, the runner and the store can hold a tree without watching it change under them.
// Operations that would break the tree (a cycle, a child budget that does not fit) are refused
// with a TaskTreeError naming the nodes involved; the tree stays as it was.
import type { Clock } from '../ports';
import { assertTokenCount, assertWeight, describeOverAllocation, splitBudget, type BudgetPolicy } from './budgets';
import type { SaveState } from './saveState';
import { BatonError } from '../batonError';

export type TaskMode = 'delegate' | 'keep';
export const TASK_STATES = ['pending', 'planned', 'running', 'review', 'done', 'failed', 'kept', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export interface TaskUsage {
  inputTokens: number;
  outputTokens: number;
  cost: number;
  calls: number;
}

export const NO_USAGE: TaskUsage = Object.freeze({ inputTokens: 0, outputTokens: 0, cost: 0, calls: 0 });

export interface TaskBudget {
  /** Tokens this node may use for a prompt, and shares among its children. */
  allocated: number;
  /** How `allocated` is split among the children. */
  policy: BudgetPolicy;
}

export interface TaskNode {
  readonly id: string;
  readonly parentId: string | null;
  readonly title: string;
  readonly goal: string;
  readonly acceptance: readonly string[];
  readonly likelyFiles: readonly string[];
  /** Nodes that must be done before this one runs; their save states become its context. */
  readonly dependsOn: readonly string[];
  readonly mode: TaskMode;
  /** Why the node stays with the person; present whenever mode is 'keep'. */
  readonly keepReason?: string;
  readonly state: TaskState;
  readonly budget: Readonly<TaskBudget>;
  /** This node's own calls only; totals with the descendants come from usageRollUp (usage.ts). */
  readonly usage: Readonly<TaskUsage>;
  readonly saveState?: SaveState;
  readonly notes?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What a person or the planner gives to add a node; everything else has a default. */
export interface NewTask {
  id?: string;
  title: string;
  goal?: string;
  acceptance?: readonly string[];
  likelyFiles?: readonly string[];
  dependsOn?: readonly string[];
  mode?: TaskMode;
  keepReason?: string;
  state?: TaskState;
  /** A root's budget, or a child's own budget under a parent with a fixed split. */
  budget?: number;
  /** The child's weight under a parent with a weighted split (default 1). */
  weight?: number;
  policy?: BudgetPolicy;
  notes?: string;
}

/** Fields a person edits directly. Budgets and policies have their own operations. */
export type TaskEdit = Partial<
  Pick<TaskNode, 'title' | 'goal' | 'acceptance' | 'likelyFiles' | 'dependsOn' | 'mode' | 'keepReason' | 'state' | 'saveState' | 'notes'>
>;

/** A plain-data copy of the tree: what the store writes and fromSnapshot rebuilds. */
export interface TaskTreeSnapshot {
  nextSeq: number;
  roots: readonly string[];
  nodes: ReadonlyArray<TaskNode & { children: readonly string[] }>;
}

/** A change the tree cannot take (an unknown node, a budget over its parent's, a dependency cycle), or a snapshot that breaks its rules. */
export class TaskTreeError extends BatonError {
  constructor(message: string) {
    super('input', message);
  }
}

const ROOT = ''; // the key of the roots' list in the children map; ids are never empty

export class TaskTree {
  private constructor(
    private readonly clock: Clock,
    private readonly nodesById: ReadonlyMap<string, TaskNode>,
    private readonly childIds: ReadonlyMap<string, readonly string[]>,
    private readonly nextSeq: number,
  ) {}

  static empty(clock: Clock): TaskTree {
    return new TaskTree(clock, new Map(), new Map([[ROOT, []]]), 1);
  }

  /** Rebuilds a tree from a snapshot, checking every link, order, dependency and budget. */
  static fromSnapshot(snapshot: TaskTreeSnapshot, clock: Clock): TaskTree {
    const nodes = new Map<string, TaskNode>();
    const children = new Map<string, readonly string[]>([[ROOT, [...snapshot.roots]]]);
    for (const { children: kids, ...node } of snapshot.nodes) {
      if (!node.id) throw new TaskTreeError('a node has an empty id');
      if (nodes.has(node.id)) throw new TaskTreeError(`two nodes have the id "${node.id}"`);
      nodes.set(node.id, node);
      children.set(node.id, [...kids]);
    }
    const tree = new TaskTree(clock, nodes, children, snapshot.nextSeq);
    tree.checkConsistency();
    return tree;
  }

  toSnapshot(): TaskTreeSnapshot {
    return {
      nextSeq: this.nextSeq,
      roots: [...this.childrenIds(null)],
      nodes: this.depthFirst().map((node) => ({ ...node, children: [...this.childrenIds(node.id)] })),
    };
  }

  // ---- reading ---------------------------------------------------------------------------------

  get size(): number {
    return this.nodesById.size;
  }

  has(id: string): boolean {
    return this.nodesById.has(id);
  }

  /** The node, or a TaskTreeError naming the id when there is none. */
  get(id: string): TaskNode {
    const node = this.nodesById.get(id);
    if (!node) throw new TaskTreeError(`no task with id "${id}" in the tree`);
    return node;
  }

  find(id: string): TaskNode | undefined {
    return this.nodesById.get(id);
  }

  roots(): TaskNode[] {
    return this.children(null);
  }

  /** Children in the order the person sees them (`null`: the roots). */
  children(parentId: string | null): TaskNode[] {
    return this.childrenIds(parentId).map((id) => this.get(id));
  }

  childrenIds(parentId: string | null): readonly string[] {
    if (parentId !== null) this.get(parentId);
    return this.childIds.get(parentId ?? ROOT) ?? [];
  }

  /** From the parent up to the root. */
  ancestors(id: string): TaskNode[] {
    const result: TaskNode[] = [];
    for (let node = this.get(id); node.parentId !== null;) {
      node = this.get(node.parentId);
      result.push(node);
    }
    return result;
  }

  /** Every node below `id`, depth first, in order. */
  descendants(id: string): TaskNode[] {
    const result: TaskNode[] = [];
    const visit = (parent: string): void => {
      for (const child of this.childrenIds(parent)) {
        result.push(this.get(child));
        visit(child);
      }
    };
    visit(id);
    return result;
  }

  /** Every node, depth first, children in order. */
  depthFirst(): TaskNode[] {
    return this.roots().flatMap((root) => [root, ...this.descendants(root.id)]);
  }

  /** A short label for messages: the title and the id. */
  label(id: string): string {
    const node = this.nodesById.get(id);
    return node ? `"${node.title}" (${id})` : `(${id})`;
  }

  /**
   * The children of `parentId` in an order that runs each after the siblings it depends on,
   * otherwise keeping the person's order. Dependencies outside the siblings do not affect it.
   */
  siblingsInDependencyOrder(parentId: string | null): TaskNode[] {
    const siblings = this.children(parentId);
    const ids = new Set(siblings.map((s) => s.id));
    const done = new Set<string>();
    const ordered: TaskNode[] = [];
    while (ordered.length < siblings.length) {
      const next = siblings.find((s) => !done.has(s.id) && s.dependsOn.every((d) => !ids.has(d) || done.has(d)));
      if (!next) {
        const stuck = siblings.filter((s) => !done.has(s.id));
        const cycle = findDependencyCycle(
          stuck.map((s) => s.id),
          (id) => this.get(id).dependsOn.filter((d) => ids.has(d)),
        );
        throw new TaskTreeError(`these tasks depend on each other in a cycle: ${(cycle ?? stuck.map((s) => s.id)).map((id) => this.label(id)).join(' -> ')}`);
      }
      done.add(next.id);
      ordered.push(next);
    }
    return ordered;
  }

  /**
   * The first task the runner may start: a leaf to delegate, pending or planned, whose own and
   * whose ancestors' dependencies are all done. Nothing under a 'keep' or cancelled node runs.
   */
  nextRunnable(): TaskNode | undefined {
    const visit = (parentId: string | null): TaskNode | undefined => {
      for (const node of this.siblingsInDependencyOrder(parentId)) {
        if (node.mode === 'keep' || node.state === 'cancelled' || node.state === 'done') continue;
        if (!node.dependsOn.every((d) => this.get(d).state === 'done')) continue;
        if (this.childrenIds(node.id).length === 0) {
          if (node.state === 'pending' || node.state === 'planned') return node;
          continue;
        }
        const found = visit(node.id);
        if (found) return found;
      }
      return undefined;
    };
    return visit(null);
  }

  // ---- changing --------------------------------------------------------------------------------

  /** Adds a node under `parentId` (`null`: a new root) at `position` (default: last). */
  addChild(parentId: string | null, task: NewTask, position?: number): { tree: TaskTree; node: TaskNode } {
    const draft = this.draft();
    const id = task.id ?? draft.freshId();
    if (!id) throw new TaskTreeError('a task id must not be empty');
    if (draft.nodes.has(id)) throw new TaskTreeError(`a task with id "${id}" is already in the tree`);
    const parent = parentId === null ? undefined : this.get(parentId);
    if (task.budget !== undefined) assertTokenCount(task.budget, `the budget of "${task.title}"`);
    if (parent && parent.budget.policy.kind !== 'fixed' && task.budget !== undefined) {
      throw new TaskTreeError(
        `${this.label(parent.id)} splits its budget ${parent.budget.policy.kind === 'equal' ? 'equally' : 'by weights'}, so "${task.title}" cannot bring its own; ` +
          `give it a weight, or switch the parent to a fixed split`,
      );
    }
    const mode = task.mode ?? 'delegate';
    const now = this.clock.now();
    const node: TaskNode = {
      id,
      parentId,
      title: requireText(task.title, 'title'),
      goal: task.goal ?? '',
      acceptance: [...(task.acceptance ?? [])],
      likelyFiles: [...(task.likelyFiles ?? [])],
      dependsOn: [...(task.dependsOn ?? [])],
      mode,
      ...(task.keepReason !== undefined ? { keepReason: task.keepReason } : {}),
      state: task.state ?? (mode === 'keep' ? 'kept' : 'pending'),
      budget: { allocated: task.budget ?? 0, policy: task.policy ?? { kind: 'equal' } },
      usage: { ...NO_USAGE },
      ...(task.notes !== undefined ? { notes: task.notes } : {}),
      createdAt: now,
      updatedAt: now,
    };
    checkKeepReason(node);
    if (task.policy) checkPolicy(task.policy, [], `"${task.title}"`);
    draft.nodes.set(id, node);
    draft.children.set(id, []);
    draft.insertChild(parentId, id, position);
    if (parent && task.weight !== undefined && parent.budget.policy.kind === 'weighted') {
      assertWeight(task.weight);
      draft.update(parent.id, { budget: { ...parent.budget, policy: { kind: 'weighted', weights: { ...parent.budget.policy.weights, [id]: task.weight } } } });
    }
    draft.checkDependencies(id);
    if (parentId !== null) draft.rebalance(parentId);
    const tree = draft.finish();
    return { tree, node: tree.get(id) };
  }

  /**
   * Removes the node and everything below it. Refused while nodes outside the subtree depend on
   * it, unless `dropDependencies` is set, which removes those dependencies too.
   */
  remove(id: string, options: { dropDependencies?: boolean } = {}): TaskTree {
    const node = this.get(id);
    const removed = new Set([id, ...this.descendants(id).map((d) => d.id)]);
    const dependents = [...this.nodesById.values()].filter((n) => !removed.has(n.id) && n.dependsOn.some((d) => removed.has(d)));
    if (dependents.length > 0 && !options.dropDependencies) {
      throw new TaskTreeError(
        `cannot remove ${this.label(id)}: ${dependents.map((n) => this.label(n.id)).join(', ')} depend on it or on a task under it; ` +
          `remove those dependencies first or remove with dropDependencies`,
      );
    }
    const draft = this.draft();
    for (const gone of removed) {
      draft.nodes.delete(gone);
      draft.children.delete(gone);
    }
    draft.detachChild(node.parentId, id);
    for (const dependent of dependents) draft.update(dependent.id, { dependsOn: dependent.dependsOn.filter((d) => !removed.has(d)) });
    if (node.parentId !== null) draft.forgetWeight(node.parentId, id);
    if (node.parentId !== null) draft.rebalance(node.parentId);
    return draft.finish();
  }

  /**
   * Moves a node (with its subtree) to `position` among the children of `newParentId`: reordering
   * among siblings when the parent stays, re-parenting otherwise. Refused when the node would end
   * up under itself or its budget would not fit a fixed split.
   */
  move(id: string, newParentId: string | null, position?: number): TaskTree {
    const node = this.get(id);
    if (newParentId !== null) {
      this.get(newParentId);
      if (newParentId === id || this.ancestors(newParentId).some((a) => a.id === id)) {
        throw new TaskTreeError(`cannot move ${this.label(id)} under ${this.label(newParentId)}: a task cannot sit inside itself`);
      }
    }
    const draft = this.draft();
    draft.detachChild(node.parentId, id);
    draft.insertChild(newParentId, id, position);
    if (node.parentId !== newParentId) {
      draft.update(id, { parentId: newParentId });
      if (node.parentId !== null) draft.forgetWeight(node.parentId, id);
      // A new place can turn a dependency into one on an ancestor or a subtask: check them all.
      for (const other of draft.nodes.keys()) draft.checkDependencies(other);
      if (node.parentId !== null) draft.rebalance(node.parentId);
    }
    if (newParentId !== null) draft.rebalance(newParentId);
    return draft.finish();
  }

  /** Changes what a person edits directly: text, lists, dependencies, mode, state, notes. */
  edit(id: string, changes: TaskEdit): TaskTree {
    const node = this.get(id);
    const draft = this.draft();
    const next: Partial<Mutable<TaskNode>> = { ...changes };
    if (changes.title !== undefined) next.title = requireText(changes.title, 'title');
    // Keep and delegate carry their own state: a kept task waits for the person, not the runner.
    if (changes.mode === 'keep' && changes.state === undefined && (node.state === 'pending' || node.state === 'planned')) next.state = 'kept';
    if (changes.mode === 'delegate' && changes.state === undefined && node.state === 'kept') next.state = 'pending';
    draft.update(id, next);
    checkKeepReason(draft.nodes.get(id)!);
    if (changes.dependsOn !== undefined) draft.checkDependencies(id);
    return draft.finish();
  }

  /**
   * Sets a node's budget. A root or a child of a fixed split sets its own; a child of an equal or
   * weighted split gets its share from its parent, so this is refused there.
   */
  setBudget(id: string, tokens: number): TaskTree {
    assertTokenCount(tokens, `the budget of ${this.label(id)}`);
    const node = this.get(id);
    const parent = node.parentId === null ? undefined : this.get(node.parentId);
    if (parent && parent.budget.policy.kind !== 'fixed') {
      throw new TaskTreeError(
        `${this.label(id)} gets its budget from ${this.label(parent.id)}, which splits ${parent.budget.policy.kind === 'equal' ? 'equally' : 'by weights'}; ` +
          `set the budget of ${this.label(parent.id)} instead (in its ledger, or with Baton: Set Budget), and this node's share follows, ` +
          `or switch ${this.label(parent.id)} to a fixed split (Baton: Set Split Policy) to give each subtask its own budget`,
      );
    }
    const draft = this.draft();
    draft.update(id, { budget: { ...node.budget, allocated: tokens } });
    draft.rebalance(parent ? parent.id : id);
    return draft.finish();
  }

  /** Changes how a node splits its budget among its children, and re-splits below it. */
  setPolicy(id: string, policy: BudgetPolicy): TaskTree {
    const node = this.get(id);
    checkPolicy(policy, this.childrenIds(id), this.label(id));
    const draft = this.draft();
    draft.update(id, { budget: { ...node.budget, policy } });
    draft.rebalance(id);
    return draft.finish();
  }

  /** For usage.ts and the runner: replaces a node's own usage. */
  withUsage(id: string, usage: TaskUsage): TaskTree {
    const draft = this.draft();
    this.get(id);
    draft.update(id, { usage: { ...usage } });
    return draft.finish();
  }

  // ---- internals -------------------------------------------------------------------------------

  private draft(): TreeDraft {
    const build = (nodes: Map<string, TaskNode>, children: Map<string, readonly string[]>, nextSeq: number): TaskTree =>
      new TaskTree(this.clock, nodes, children, nextSeq);
    return new TreeDraft(new Map(this.nodesById), new Map(this.childIds), this.nextSeq, this.clock, build);
  }

  private checkConsistency(): void {
    const seen = new Set<string>();
    const walk = (parentId: string | null, path: readonly string[]): void => {
      for (const childId of this.childIds.get(parentId ?? ROOT) ?? []) {
        const child = this.nodesById.get(childId);
        if (!child)
          throw new TaskTreeError(`${parentId === null ? 'the roots list' : this.label(parentId)} lists a child "${childId}" that is not in the tree`);
        if (path.includes(childId)) throw new TaskTreeError(`${this.label(childId)} sits inside itself`);
        if (seen.has(childId)) throw new TaskTreeError(`${this.label(childId)} is listed under more than one parent`);
        if (child.parentId !== parentId) {
          throw new TaskTreeError(
            `${this.label(childId)} is listed under ${parentId === null ? 'the roots' : this.label(parentId)} but names ${child.parentId === null ? 'no parent' : this.label(child.parentId)} as its parent`,
          );
        }
        seen.add(childId);
        walk(childId, [...path, childId]);
      }
    };
    walk(null, []);
    for (const node of this.nodesById.values()) {
      if (!seen.has(node.id)) throw new TaskTreeError(`${this.label(node.id)} is not listed under its parent, so it cannot be reached`);
      checkKeepReason(node);
      assertTokenCount(node.budget.allocated, `the budget of ${this.label(node.id)}`);
      checkPolicy(node.budget.policy, undefined, this.label(node.id));
    }
    const draft = this.draft();
    for (const node of this.nodesById.values()) draft.checkDependencies(node.id);
    for (const node of this.nodesById.values()) {
      const kids = this.children(node.id);
      const sum = kids.reduce((n, k) => n + k.budget.allocated, 0);
      if (sum > node.budget.allocated) {
        throw new TaskTreeError(
          describeOverAllocation(
            this.label(node.id),
            { parentBudget: node.budget.allocated, childrenTotal: sum, children: kids.map((k) => ({ id: k.id, allocated: k.budget.allocated })) },
            (cid) => this.label(cid),
          ),
        );
      }
    }
    const numbered = [...this.nodesById.keys()]
      .map((id) => /^t(\d+)$/.exec(id)?.[1])
      .filter((n) => n !== undefined)
      .map(Number);
    if (numbered.some((n) => n >= this.nextSeq)) throw new TaskTreeError(`nextSeq ${this.nextSeq} would reuse an existing task id`);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The mutable working copy behind one operation; `finish` freezes it into a new TaskTree. */
class TreeDraft {
  constructor(
    readonly nodes: Map<string, TaskNode>,
    readonly children: Map<string, readonly string[]>,
    private nextSeq: number,
    private readonly clock: Clock,
    private readonly build: (nodes: Map<string, TaskNode>, children: Map<string, readonly string[]>, nextSeq: number) => TaskTree,
  ) {}

  freshId(): string {
    let id: string;
    do id = `t${this.nextSeq++}`;
    while (this.nodes.has(id));
    return id;
  }

  label(id: string): string {
    const node = this.nodes.get(id);
    return node ? `"${node.title}" (${id})` : `(${id})`;
  }

  update(id: string, changes: Partial<Mutable<TaskNode>>): void {
    const node = this.nodes.get(id);
    if (!node) throw new TaskTreeError(`no task with id "${id}" in the tree`);
    this.nodes.set(id, { ...node, ...changes, updatedAt: this.clock.now() });
  }

  insertChild(parentId: string | null, id: string, position: number | undefined): void {
    const list = [...(this.children.get(parentId ?? ROOT) ?? [])];
    const at = position === undefined ? list.length : Math.max(0, Math.min(list.length, Math.trunc(position)));
    list.splice(at, 0, id);
    this.children.set(parentId ?? ROOT, list);
  }

  detachChild(parentId: string | null, id: string): void {
    this.children.set(
      parentId ?? ROOT,
      (this.children.get(parentId ?? ROOT) ?? []).filter((c) => c !== id),
    );
  }

  forgetWeight(parentId: string, childId: string): void {
    const parent = this.nodes.get(parentId);
    if (parent?.budget.policy.kind !== 'weighted' || !(childId in parent.budget.policy.weights)) return;
    const { [childId]: _gone, ...weights } = parent.budget.policy.weights;
    this.update(parentId, { budget: { ...parent.budget, policy: { kind: 'weighted', weights } } });
  }

  ancestorIds(id: string): string[] {
    const result: string[] = [];
    for (let parent = this.nodes.get(id)?.parentId ?? null; parent !== null; parent = this.nodes.get(parent)?.parentId ?? null) result.push(parent);
    return result;
  }

  /** Dependencies must exist, not be the node, its ancestors or descendants, and not loop. */
  checkDependencies(id: string): void {
    const node = this.nodes.get(id)!;
    const ancestors = new Set(this.ancestorIds(id));
    for (const dep of node.dependsOn) {
      if (!this.nodes.has(dep)) throw new TaskTreeError(`${this.label(id)} depends on "${dep}", which is not in the tree`);
      if (dep === id) throw new TaskTreeError(`${this.label(id)} cannot depend on itself`);
      if (ancestors.has(dep)) throw new TaskTreeError(`${this.label(id)} cannot depend on ${this.label(dep)}, which contains it and finishes after it`);
      if (this.ancestorIds(dep).includes(id))
        throw new TaskTreeError(`${this.label(id)} cannot depend on ${this.label(dep)}, which is one of its own subtasks`);
    }
    const cycle = findDependencyCycle([id], (n) => this.nodes.get(n)?.dependsOn ?? []);
    if (cycle) throw new TaskTreeError(`these tasks would depend on each other in a cycle: ${cycle.map((n) => this.label(n)).join(' -> ')}`);
  }

  /** Re-splits `id`'s budget among its children by its policy, all the way down. */
  rebalance(id: string): void {
    const node = this.nodes.get(id)!;
    const kids = (this.children.get(id) ?? []).map((c) => this.nodes.get(c)!);
    const split = splitBudget(
      node.budget.allocated,
      node.budget.policy,
      kids.map((k) => ({ id: k.id, allocated: k.budget.allocated })),
    );
    if (!split.ok) throw new TaskTreeError(describeOverAllocation(this.label(id), split.overAllocation, (c) => this.label(c)));
    for (const kid of kids) {
      const allocated = split.allocations.get(kid.id)!;
      if (allocated !== kid.budget.allocated) this.update(kid.id, { budget: { ...kid.budget, allocated } });
      this.rebalance(kid.id);
    }
  }

  finish(): TaskTree {
    return this.build(this.nodes, this.children, this.nextSeq);
  }
}

function requireText(text: string, what: string): string {
  if (text.trim() === '') throw new TaskTreeError(`a task's ${what} must not be empty`);
  return text;
}

function checkKeepReason(node: TaskNode): void {
  if (node.mode === 'keep' && !node.keepReason?.trim()) {
    throw new TaskTreeError(`"${node.title}" (${node.id}) is kept for the person but has no keepReason saying why`);
  }
}

/** Weights must be usable numbers; with `childIds` given, each must belong to one of them. */
function checkPolicy(policy: BudgetPolicy, childIds: readonly string[] | undefined, label = 'the task'): void {
  if (policy.kind !== 'weighted') return;
  for (const [childId, weight] of Object.entries(policy.weights)) {
    try {
      assertWeight(weight);
    } catch {
      throw new TaskTreeError(`the weight of "${childId}" in ${label}'s split must be a finite number, 0 or more (got ${weight})`);
    }
    if (childIds && !childIds.includes(childId)) throw new TaskTreeError(`${label} has no child "${childId}" to weigh`);
  }
}

/** A dependency cycle reachable from `starts`, as a path that ends where it began, or undefined. */
export function findDependencyCycle(starts: readonly string[], dependenciesOf: (id: string) => readonly string[]): string[] | undefined {
  const finished = new Set<string>();
  const onPath: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const at = onPath.indexOf(id);
    if (at >= 0) return [...onPath.slice(at), id];
    if (finished.has(id)) return undefined;
    onPath.push(id);
    for (const dep of dependenciesOf(id)) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    onPath.pop();
    finished.add(id);
    return undefined;
  };
  for (const start of starts) {
    const cycle = visit(start);
    if (cycle) return cycle;
  }
  return undefined;
}
