// The one shape every model provider has: a streamed chat completion that can be cancelled, the
// tokens it used, and the facts about a model that budgets and costs are planned with.
import type { EncodingName } from '../tokens/encodings';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** A JSON Schema the answer must follow, sent as `response_format: { type: 'json_schema' }`. */
export interface ResponseFormat {
  name: string;
  schema: Record<string, unknown>;
  /** OpenAI's strict mode: every property required, no extra properties. Default true. */
  strict?: boolean;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  responseFormat?: ResponseFormat;
  /** Cancels the call; the promise rejects with CancelledError within a second. */
  signal?: AbortSignal;
  /** Each piece of answer text as it arrives (for progress only: a failed call discards it all). */
  onDelta?(text: string): void;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** True when the server sent no usage and the counts come from our tokenizer. */
  estimated?: boolean;
}

export interface ChatResult {
  text: string;
  /** Why the model stopped: 'stop', 'length' (hit maxOutputTokens), 'content_filter', ... */
  finishReason: string;
  usage: TokenUsage;
  /** The model that answered, as the server names it. */
  model: string;
}

export interface ModelFacts {
  contextWindow: number;
  maxOutputTokens: number;
  /** US dollars per million input tokens (0 for local models). */
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  encoding: EncodingName;
  /** Where the context window came from, for the ledger ("Ollama /api/ps: loaded with 8192"). */
  source: string;
}

export interface Provider {
  /** Which configured provider this is ("openai", "ollama", ...); every error message names it. */
  readonly id: string;
  chat(request: ChatRequest): Promise<ChatResult>;
  modelFacts(model: string): Promise<ModelFacts>;
}

/** Visible progress of a call that is waiting, e.g. before a retry. */
export interface ProviderStatus {
  kind: 'retrying';
  reason: 'rate-limited' | 'server-error' | 'connection-failed';
  /** The attempt about to start (2 for the first retry) out of maxAttempts. */
  attempt: number;
  maxAttempts: number;
  waitMs: number;
  /** "rate limited, retrying in 2 s (attempt 2 of 4)" */
  message: string;
}
