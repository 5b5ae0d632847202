// What each call cost, recorded on the node that made it and rolled up to every ancestor. A node
// stores only its own calls; totals (own + descendants) are derived from the tree, so moving or
// removing a subtree can never leave an ancestor's total stale.
import { estimateCost, lookupModelPrice, type PriceTable } from '../providers/prices';
import { NO_USAGE, type TaskTree, type TaskUsage } from './taskTree';

export interface CallUsage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** When the provider reports the cost itself, it wins over the price table. */
  cost?: number;
}

export interface RecordedCall {
  tree: TaskTree;
  cost: number;
  /** False when the model has no price and the provider gave none: the cost counts as 0. */
  priced: boolean;
}

/** The call's cost: the provider's own figure, else the price table's (the person's entries win). */
export function callCost(call: CallUsage, prices: PriceTable): { cost: number; priced: boolean } {
  if (call.cost !== undefined) return { cost: call.cost, priced: true };
  const entry = lookupModelPrice(prices, call.model);
  if (!entry) return { cost: 0, priced: false };
  return { cost: estimateCost(call, entry.price), priced: true };
}

/**
 * Adds one call to `nodeId`'s own usage; every ancestor's total includes it from then on. Prices
 * come from the providers' table (mergePriceTables(DEFAULT_PRICE_TABLE, the person's overrides)).
 */
export function recordUsage(tree: TaskTree, nodeId: string, call: CallUsage, prices: PriceTable): RecordedCall {
  for (const [what, n] of [
    ['inputTokens', call.inputTokens],
    ['outputTokens', call.outputTokens],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`a call's ${what} must be a whole number, 0 or more (got ${n})`);
  }
  const { cost, priced } = callCost(call, prices);
  if (!Number.isFinite(cost) || cost < 0) throw new RangeError(`a call's cost must be a finite number, 0 or more (got ${cost})`);
  const own = tree.get(nodeId).usage;
  const usage = addUsage(own, { inputTokens: call.inputTokens, outputTokens: call.outputTokens, cost, calls: 1 });
  return { tree: tree.withUsage(nodeId, usage), cost, priced };
}

/** Records each of one model's calls (e.g. a structured answer and its re-ask) on `nodeId`. */
export function recordCalls(
  tree: TaskTree,
  nodeId: string,
  model: string,
  calls: readonly { inputTokens: number; outputTokens: number }[],
  prices: PriceTable,
): TaskTree {
  return calls.reduce((t, u) => recordUsage(t, nodeId, { model, inputTokens: u.inputTokens, outputTokens: u.outputTokens }, prices).tree, tree);
}

export interface NodeUsage {
  own: TaskUsage;
  /** Own plus every descendant's own. */
  total: TaskUsage;
}

/** Own and total usage of every node, in one pass from the leaves up. */
export function usageRollUp(tree: TaskTree): Map<string, NodeUsage> {
  const result = new Map<string, NodeUsage>();
  const visit = (id: string): TaskUsage => {
    const own = tree.get(id).usage;
    const total = tree.childrenIds(id).map(visit).reduce(addUsage, own);
    result.set(id, { own: { ...own }, total });
    return total;
  };
  for (const root of tree.childrenIds(null)) visit(root);
  return result;
}

/** Own plus descendants of one node. */
export function totalUsage(tree: TaskTree, nodeId: string): TaskUsage {
  return [tree.get(nodeId), ...tree.descendants(nodeId)].map((n) => n.usage).reduce(addUsage, NO_USAGE);
}

export function addUsage(a: TaskUsage, b: TaskUsage): TaskUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cost: a.cost + b.cost,
    calls: a.calls + b.calls,
  };
}
