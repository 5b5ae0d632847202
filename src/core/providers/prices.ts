// What a model costs and how much it can take, and what a call will cost before it is made.
// Prices are US dollars per million tokens at the providers' standard (non-batch) rates when this
// table was written; they change, so a person's own table (setting baton.prices) overrides any entry.
import type { ModelFacts, TokenUsage } from './types';

export interface ModelPrice {
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  contextWindow?: number;
  maxOutputTokens?: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

export const DEFAULT_PRICE_TABLE: PriceTable = {
  'gpt-4o': { inputPricePerMTok: 2.5, outputPricePerMTok: 10, contextWindow: 128_000, maxOutputTokens: 16_384 },
  'gpt-4o-mini': { inputPricePerMTok: 0.15, outputPricePerMTok: 0.6, contextWindow: 128_000, maxOutputTokens: 16_384 },
  'gpt-4.1': { inputPricePerMTok: 2, outputPricePerMTok: 8, contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-4.1-mini': { inputPricePerMTok: 0.4, outputPricePerMTok: 1.6, contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-4.1-nano': { inputPricePerMTok: 0.1, outputPricePerMTok: 0.4, contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  'gpt-5': { inputPricePerMTok: 1.25, outputPricePerMTok: 10, contextWindow: 400_000, maxOutputTokens: 128_000 },
  'gpt-5-mini': { inputPricePerMTok: 0.25, outputPricePerMTok: 2, contextWindow: 400_000, maxOutputTokens: 128_000 },
  'gpt-5-nano': { inputPricePerMTok: 0.05, outputPricePerMTok: 0.4, contextWindow: 400_000, maxOutputTokens: 128_000 },
  o3: { inputPricePerMTok: 2, outputPricePerMTok: 8, contextWindow: 200_000, maxOutputTokens: 100_000 },
  'o3-mini': { inputPricePerMTok: 1.1, outputPricePerMTok: 4.4, contextWindow: 200_000, maxOutputTokens: 100_000 },
  'o4-mini': { inputPricePerMTok: 1.1, outputPricePerMTok: 4.4, contextWindow: 200_000, maxOutputTokens: 100_000 },
};

/** The default table with a person's entries on top; a partial entry keeps the fields it leaves out. */
export function mergePriceTables(base: PriceTable, overrides: Readonly<Record<string, Partial<ModelPrice>>> | undefined): PriceTable {
  const merged: Record<string, ModelPrice> = { ...base };
  for (const [model, entry] of Object.entries(overrides ?? {})) {
    const key = model.toLowerCase();
    const previous = merged[key] ?? { inputPricePerMTok: 0, outputPricePerMTok: 0 };
    merged[key] = { ...previous, ...definedFields(entry) };
  }
  return merged;
}

function definedFields(entry: Partial<ModelPrice>): Partial<ModelPrice> {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}

/**
 * The table entry for a model name as servers spell it: "openai/gpt-4o" (OpenRouter) and dated
 * snapshots ("gpt-4o-2024-08-06") find "gpt-4o"; the longest matching name wins, so
 * "gpt-4o-mini-2024-07-18" finds "gpt-4o-mini", not "gpt-4o".
 */
export function lookupModelPrice(table: PriceTable, model: string): { name: string; price: ModelPrice } | undefined {
  const wanted = model.toLowerCase().replace(/^.*\//, '');
  const exact = table[wanted] ?? table[model.toLowerCase()];
  if (exact) return { name: table[wanted] ? wanted : model.toLowerCase(), price: exact };
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    if (wanted.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) best = name;
  }
  const price = best === undefined ? undefined : table[best];
  return best !== undefined && price ? { name: best, price } : undefined;
}

/** US dollars for the tokens a call used. */
export function estimateCost(usage: TokenUsage, facts: Pick<ModelFacts, 'inputPricePerMTok' | 'outputPricePerMTok'>): number {
  return (usage.inputTokens * facts.inputPricePerMTok + usage.outputTokens * facts.outputPricePerMTok) / 1_000_000;
}

/** The prompt size that attention cost is measured against: an 8k-token prompt costs 1. */
export const ATTENTION_REFERENCE_TOKENS = 8_192;

export interface PreflightInput {
  promptTokens: number;
  /** The most the answer may take (the request's maxOutputTokens). */
  maxOutputTokens: number;
  facts: ModelFacts;
  referencePromptTokens?: number;
}

export interface PreflightEstimate {
  promptTokens: number;
  maxOutputTokens: number;
  /** promptTokens + maxOutputTokens: what the call can occupy of the context window. */
  tokens: number;
  fitsContext: boolean;
  /** Input cost plus the cost of the longest answer allowed: an upper bound, in US dollars. */
  cost: number;
  inputCost: number;
  maxOutputCost: number;
  /**
   * Relative attention cost, (promptTokens / referencePromptTokens)^2: self-attention compares
   * every prompt token with every other, so its work grows with the square of the prompt length.
   * 1 is an 8,192-token prompt; 16,384 tokens is 4; 4,096 tokens is 0.25.
   */
  attention: number;
}

/** What a call will take and cost, computed before it is made (shown in the ledger). */
export function preflight(input: PreflightInput): PreflightEstimate {
  const reference = input.referencePromptTokens ?? ATTENTION_REFERENCE_TOKENS;
  const inputCost = estimateCost({ inputTokens: input.promptTokens, outputTokens: 0 }, input.facts);
  const maxOutputCost = estimateCost({ inputTokens: 0, outputTokens: input.maxOutputTokens }, input.facts);
  const tokens = input.promptTokens + input.maxOutputTokens;
  return {
    promptTokens: input.promptTokens,
    maxOutputTokens: input.maxOutputTokens,
    tokens,
    fitsContext: tokens <= input.facts.contextWindow,
    cost: inputCost + maxOutputCost,
    inputCost,
    maxOutputCost,
    attention: (input.promptTokens / reference) ** 2,
  };
}
