// Every call's tokens and cost, recorded as it finishes, so the person can see what delegation cost
// per role and per model. Wrapping a Provider keeps the recording out of every caller.
import type { Clock } from '../ports';
import { estimateCost } from './prices';
import type { ChatRequest, ChatResult, ModelFacts, Provider } from './types';

export interface UsageRecord {
  at: number;
  providerId: string;
  model: string;
  role?: string;
  inputTokens: number;
  outputTokens: number;
  /** True when the server sent no usage and the tokens were counted locally. */
  estimated: boolean;
  /** US dollars, from the model's prices (the person's table over the defaults). */
  cost: number;
}

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

export class UsageLedger {
  private readonly entries: UsageRecord[] = [];
  private readonly listeners = new Set<(record: UsageRecord) => void>();

  record(entry: UsageRecord): void {
    this.entries.push(entry);
    for (const listener of this.listeners) listener(entry);
  }

  get records(): readonly UsageRecord[] {
    return this.entries;
  }

  /** Calls back on each new record; returns the function that stops it. */
  onRecord(listener: (record: UsageRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  totals(filter: (record: UsageRecord) => boolean = () => true): UsageTotals {
    const totals: UsageTotals = { calls: 0, inputTokens: 0, outputTokens: 0, cost: 0 };
    for (const entry of this.entries.filter(filter)) {
      totals.calls += 1;
      totals.inputTokens += entry.inputTokens;
      totals.outputTokens += entry.outputTokens;
      totals.cost += entry.cost;
    }
    return totals;
  }
}

/** The same provider, recording each finished call's usage and cost in `ledger`. */
export function withUsageRecording(provider: Provider, ledger: UsageLedger, options: { role?: string; clock?: Clock } = {}): Provider {
  const now = (): number => options.clock?.now() ?? Date.now();
  return {
    id: provider.id,
    modelFacts: (model) => provider.modelFacts(model),
    async chat(request: ChatRequest): Promise<ChatResult> {
      const result = await provider.chat(request);
      const facts = await provider.modelFacts(request.model).catch((): ModelFacts | undefined => undefined);
      ledger.record({
        at: now(),
        providerId: provider.id,
        model: request.model,
        role: options.role,
        inputTokens: result.usage.inputTokens,
        outputTokens: result.usage.outputTokens,
        estimated: result.usage.estimated === true,
        cost: facts ? estimateCost(result.usage, facts) : 0,
      });
      return result;
    },
  };
}
