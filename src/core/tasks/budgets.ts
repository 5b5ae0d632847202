// How a parent's token budget is split among its children, and how much of a node's budget a
// prompt may use. Budgets are whole tokens: a split never hands out more than the parent holds,
// and the same input always gives the same split (remainders go to the earliest children).
import type { ModelFacts } from '../providers/types';

/** How a node splits its own budget among its children. The person can change it per node. */
export type BudgetPolicy =
  | { kind: 'equal' }
  | { kind: 'weighted'; weights: Readonly<Record<string, number>> } // by child id; missing = 1
  | { kind: 'fixed' }; // children keep their own budgets, which must fit in the parent's

/** A weight for a child the weighted policy does not mention: an average share. */
export const DEFAULT_CHILD_WEIGHT = 1;

export interface ChildBudget {
  id: string;
  allocated: number;
}

export interface OverAllocation {
  parentBudget: number;
  childrenTotal: number;
  children: readonly ChildBudget[];
}

export type BudgetSplit = { ok: true; allocations: ReadonlyMap<string, number> } | { ok: false; overAllocation: OverAllocation };

/**
 * Splits `total` tokens among `children` by `policy`. Equal and weighted splits hand out exactly
 * `total` (largest remainders first, ties to the earlier child); a fixed split keeps each child's
 * own budget and fails, naming the amounts, when they add up to more than `total`.
 */
export function splitBudget(total: number, policy: BudgetPolicy, children: readonly ChildBudget[]): BudgetSplit {
  assertTokenCount(total, 'parent budget');
  if (policy.kind === 'fixed') {
    const childrenTotal = children.reduce((sum, child) => sum + child.allocated, 0);
    if (childrenTotal > total) return { ok: false, overAllocation: { parentBudget: total, childrenTotal, children } };
    return { ok: true, allocations: new Map(children.map((child) => [child.id, child.allocated])) };
  }
  const weights = children.map((child) => (policy.kind === 'weighted' ? (policy.weights[child.id] ?? DEFAULT_CHILD_WEIGHT) : 1));
  const shares = splitByWeights(total, weights);
  return { ok: true, allocations: new Map(children.map((child, i) => [child.id, shares[i] ?? 0])) };
}

/**
 * Whole-token shares of `total` proportional to `weights` (largest-remainder method). The shares
 * add up to exactly `total` when there is at least one weight; all-zero weights split equally.
 */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  assertTokenCount(total, 'total');
  if (weights.length === 0) return [];
  for (const weight of weights) assertWeight(weight);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const effective = weightSum > 0 ? weights : weights.map(() => 1);
  const effectiveSum = weightSum > 0 ? weightSum : weights.length;
  const quotas = effective.map((w) => (total * w) / effectiveSum);
  const shares = quotas.map((q) => Math.floor(q));
  let remainder = total - shares.reduce((sum, s) => sum + s, 0);
  // Stable sort: equal fractions keep child order, so the split is deterministic.
  const byFraction = quotas.map((q, index) => ({ index, fraction: q - Math.floor(q) })).sort((a, b) => b.fraction - a.fraction);
  for (let i = 0; remainder > 0; i = (i + 1) % byFraction.length, remainder--) {
    const { index } = byFraction[i]!;
    shares[index] = shares[index]! + 1;
  }
  return shares;
}

/**
 * Tokens the context engine may pack for this node's prompt: its budget, but never more than the
 * model's window leaves once the answer is reserved. `maxOutputTokens` is the answer's reserve:
 * the model's ModelFacts as they come, or with the request's own, smaller maxOutputTokens.
 */
export function promptBudget(node: { budget: { allocated: number } }, model: Pick<ModelFacts, 'contextWindow' | 'maxOutputTokens'>): number {
  const windowLeft = Math.floor(model.contextWindow) - Math.ceil(model.maxOutputTokens);
  return Math.max(0, Math.min(Math.floor(node.budget.allocated), windowLeft));
}

/** One line a person can act on: which parent, how much it has, how much its children ask for. */
export function describeOverAllocation(parentLabel: string, over: OverAllocation, labelOf: (id: string) => string): string {
  const parts = over.children.map((child) => `${labelOf(child.id)} ${child.allocated}`).join(', ');
  return (
    `${parentLabel} has a budget of ${over.parentBudget} tokens but its children ask for ${over.childrenTotal} ` +
    `(${parts}): ${over.childrenTotal - over.parentBudget} tokens over. Lower a child's budget, raise the parent's, ` +
    `or switch the parent to an equal or weighted split.`
  );
}

export function assertTokenCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole number of tokens, 0 or more (got ${value})`);
  }
}

export function assertWeight(weight: number): void {
  if (!Number.isFinite(weight) || weight < 0) {
    throw new RangeError(`a budget weight must be a finite number, 0 or more (got ${weight})`);
  }
}
