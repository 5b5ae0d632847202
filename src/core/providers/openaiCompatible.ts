// A Provider for any server speaking OpenAI's chat completions API (OpenAI, Azure, Ollama, LM Studio,
// vLLM, OpenRouter), on the official `openai` client. The client's own retries are off: we retry
// ourselves so the wait can honour Retry-After within a cap, the person sees each retry, and a retry
// never happens once answer text has arrived (that text was already shown).
import { APIConnectionError, APIError, AzureOpenAI, OpenAI } from 'openai';
import { connectionFailureReason } from './connectionFailure';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import { encodingForModel } from '../tokens/encodings';
import { TokenCounter } from '../tokens/tokenCounter';
import { discoverFromModelsEndpoint, discoverLmStudioContext, discoverOllamaContext, type DiscoveredLimits, type DiscoveryOptions } from './contextDiscovery';
import { raceWithLimits, sleep } from './deadlines';
import {
  AnswerTooLongError,
  AuthenticationError,
  BadResponseError,
  CancelledError,
  ConnectionFailedError,
  IdleTimeoutError,
  IncompleteStreamError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
  formatSeconds,
  type ProviderError,
  type ProviderErrorContext,
} from './errors';
import { DEFAULT_AZURE_API_VERSION, PROVIDER_PRESETS, type PresetId } from './presets';
import { DEFAULT_PRICE_TABLE, lookupModelPrice, type PriceTable } from './prices';
import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES, retryAfterMs, retryDelayMs, type RetryPolicy } from './retryPolicy';
import type { ChatRequest, ChatResult, ModelFacts, Provider, ProviderStatus, TokenUsage } from './types';
import { BatonError, errorKind } from '../batonError';

export interface OpenAICompatibleOptions {
  /** Names the provider in every message ("openai", "ollama", "work-azure"). */
  id: string;
  preset: PresetId;
  /** Defaults to the preset's base URL. */
  baseURL?: string;
  /** Absent for keyless local servers. Comes from the SecretStore, never from settings. */
  apiKey?: string;
  /** The SecretStore entry the key came from, so an auth failure can say which key to fix. */
  keyName?: string;
  /** Azure only: the api-version query parameter. */
  apiVersion?: string;
  prices?: PriceTable;
  /** Longest silence allowed between two chunks of a streamed answer. Default 60 s. */
  idleTimeoutMs?: number;
  /** Longest wait for the response headers (a local server may be loading the model). Default 120 s. */
  headersTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onStatus?(status: ProviderStatus): void;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 120_000;
/** Limits assumed for a model nobody describes: small enough to be safe on most servers. */
const FALLBACK_CONTEXT_WINDOW = 8_192;
const FALLBACK_MAX_OUTPUT = 4_096;
const FACTS_TTL_MS = 60_000;
// A token is about four characters; sixteen per token leaves room for any tokenizer, yet stops a
// server that ignores max_tokens from streaming without end into memory (and into the next prompt).
const MAX_CHARS_PER_OUTPUT_TOKEN = 16;

type RetryReason = ProviderStatus['reason'];

/** A failed attempt, and whether (and why) another may follow. */
interface AttemptFailure {
  error: ProviderError | Error;
  retry?: { reason: RetryReason; askedMs: number | undefined; finalError: (attempts: number) => ProviderError };
}

/** Thrown by our own code inside an attempt: already classified, never retried. */
class Classified extends BatonError {
  constructor(readonly failure: AttemptFailure) {
    super(errorKind(failure.error), failure.error.message);
  }
}

export class OpenAICompatibleProvider implements Provider {
  readonly id: string;
  readonly baseURL: string;
  private readonly client: OpenAI;
  private readonly policy: RetryPolicy;
  private readonly prices: PriceTable;
  private readonly factsCache = new Map<string, { facts: ModelFacts; at: number }>();

  constructor(private readonly options: OpenAICompatibleOptions) {
    const preset = PROVIDER_PRESETS[options.preset];
    this.id = options.id;
    this.baseURL = (options.baseURL ?? preset.defaultBaseURL).replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.prices = options.prices ?? DEFAULT_PRICE_TABLE;
    // Explicit key and base URL always: otherwise the client would read OPENAI_API_KEY / OPENAI_BASE_URL
    // from the environment. Keyless servers get a placeholder the client insists on.
    const common = { baseURL: this.baseURL, maxRetries: 0, logLevel: 'off' as const, dangerouslyAllowBrowser: true };
    this.client =
      options.preset === 'azure'
        ? new AzureOpenAI({ ...common, apiKey: options.apiKey ?? 'missing-key', apiVersion: options.apiVersion ?? DEFAULT_AZURE_API_VERSION })
        : new OpenAI({ ...common, apiKey: options.apiKey ?? 'no-key' });
  }

  async chat(request: ChatRequest): Promise<ChatResult> {
    const context: ProviderErrorContext = { providerId: this.id, model: request.model };
    const maxAttempts = this.policy.maxRetries + 1;
    for (let attempt = 1; ; attempt++) {
      if (request.signal?.aborted) throw new CancelledError(context);
      const progress = { receivedChars: 0 };
      try {
        return await this.attempt(request, context, progress);
      } catch (thrown) {
        const failure = thrown instanceof Classified ? thrown.failure : this.classify(thrown, context, progress.receivedChars);
        if (!failure.retry) throw failure.error;
        if (attempt >= maxAttempts) throw failure.retry.finalError(attempt);
        const waitMs = retryDelayMs(this.policy, attempt + 1, failure.retry.askedMs);
        this.options.onStatus?.({
          kind: 'retrying',
          reason: failure.retry.reason,
          attempt: attempt + 1,
          maxAttempts,
          waitMs,
          message: `${describeReason(failure)}, retrying in ${formatSeconds(waitMs)} (attempt ${attempt + 1} of ${maxAttempts})`,
        });
        await sleep(waitMs, request.signal, () => new CancelledError(context));
      }
    }
  }

  private async attempt(request: ChatRequest, context: ProviderErrorContext, progress: { receivedChars: number }): Promise<ChatResult> {
    // One controller per attempt: cancelling or timing out closes this attempt's connection.
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    request.signal?.addEventListener('abort', cancel, { once: true });
    const limits = (phase: 'headers' | 'stream', timeoutMs: number) => ({
      timeoutMs,
      signal: request.signal,
      onTimeout: () => {
        controller.abort();
        return new Classified({ error: new IdleTimeoutError(context, phase, timeoutMs) });
      },
      onAbort: () => {
        controller.abort();
        return new Classified({ error: new CancelledError(context) });
      },
    });
    try {
      const stream = await raceWithLimits(
        this.client.chat.completions.create(this.body(request), { signal: controller.signal }),
        limits('headers', this.options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS),
      );
      const chunks = stream[Symbol.asyncIterator]();
      let text = '';
      let finishReason: string | undefined;
      let usage: TokenUsage | undefined;
      let model = request.model;
      const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
      // Only a request that set an output limit has one to hold the server to.
      const maxChars = request.maxOutputTokens === undefined ? Infinity : request.maxOutputTokens * MAX_CHARS_PER_OUTPUT_TOKEN;
      for (;;) {
        let next: IteratorResult<ChatCompletionChunk>;
        try {
          next = await raceWithLimits(chunks.next(), limits('stream', idleMs));
        } catch (error) {
          // The answer is whole once a finish reason came; a connection dropped before the usage
          // chunk or [DONE] costs only the exact usage.
          if (finishReason !== undefined && !(error instanceof Classified)) break;
          throw error;
        }
        if (next.done) break;
        const chunk = next.value;
        if (chunk.model) model = chunk.model;
        if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
        const choice = chunk.choices?.[0];
        const delta = choice?.delta?.content;
        if (delta) {
          text += delta;
          progress.receivedChars = text.length;
          if (text.length > maxChars) throw new Classified({ error: new AnswerTooLongError(context, maxChars, request.maxOutputTokens ?? 0) });
          try {
            request.onDelta?.(delta);
          } catch (callerError) {
            // The caller's own bug: surface it as is, not as a network failure.
            throw new Classified({ error: callerError instanceof Error ? callerError : new Error(String(callerError)) });
          }
        }
        if (choice?.finish_reason) finishReason = choice.finish_reason;
      }
      // The openai stream ends quietly (no error) when its request is aborted.
      if (request.signal?.aborted) throw new Classified({ error: new CancelledError(context) });
      if (finishReason === undefined) {
        throw new Classified({ error: new IncompleteStreamError(context, text.length, 'the server closed the stream') });
      }
      return { text, finishReason, usage: usage ?? estimateUsage(request, text), model };
    } finally {
      request.signal?.removeEventListener('abort', cancel);
      controller.abort(); // frees the connection if anything is still open
    }
  }

  private body(request: ChatRequest): ChatCompletionCreateParamsStreaming {
    const body: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
    };
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.maxOutputTokens !== undefined) {
      // OpenAI's reasoning models refuse max_tokens; most local servers know only max_tokens.
      if (this.options.preset === 'openai' || this.options.preset === 'azure') body.max_completion_tokens = request.maxOutputTokens;
      else body.max_tokens = request.maxOutputTokens;
    }
    if (request.responseFormat) {
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: request.responseFormat.name, schema: request.responseFormat.schema, strict: request.responseFormat.strict ?? true },
      };
    }
    return body;
  }

  private classify(error: unknown, context: ProviderErrorContext, receivedChars: number): AttemptFailure {
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      const detail = apiErrorDetail(error);
      if (status === 401 || status === 403) return { error: new AuthenticationError(context, status, this.options.keyName, detail) };
      if (RETRYABLE_STATUSES.has(status) && receivedChars === 0) {
        const askedMs = retryAfterMs(error.headers, Date.now());
        const finalError =
          status === 429
            ? (attempts: number) => new RateLimitedError(context, attempts, detail)
            : (attempts: number) => new ServerError(context, status, attempts, detail);
        return { error: finalError(1), retry: { reason: status === 429 ? 'rate-limited' : 'server-error', askedMs, finalError } };
      }
      if (status >= 500) return { error: new ServerError(context, status, 1, detail) };
      return { error: new RequestRejectedError(context, status, detail) };
    }
    if (error instanceof APIError && !(error instanceof APIConnectionError)) {
      // An error event inside the stream ("data: {"error": ...}"): the answer did not finish.
      return { error: new IncompleteStreamError(context, receivedChars, `the server reported: ${apiErrorDetail(error)}`) };
    }
    if (error instanceof SyntaxError) {
      return { error: new BadResponseError(context, 'a streamed event was not valid JSON', { cause: error }) };
    }
    const detail = connectionFailureReason(error);
    if (receivedChars > 0) return { error: new IncompleteStreamError(context, receivedChars, `the connection failed mid-answer: ${detail}`) };
    // Refused, reset or dropped before any answer text: nothing was shown, so trying again is safe.
    const finalError = (attempts: number): ProviderError => new ConnectionFailedError(context, this.baseURL, attempts, detail);
    return { error: finalError(1), retry: { reason: 'connection-failed', askedMs: undefined, finalError } };
  }

  async modelFacts(model: string): Promise<ModelFacts> {
    const cached = this.factsCache.get(model);
    if (cached && Date.now() - cached.at < FACTS_TTL_MS) return cached.facts;
    const preset = PROVIDER_PRESETS[this.options.preset];
    const listed = lookupModelPrice(this.prices, model);
    const discovered = await this.discover(model);
    const contextWindow = discovered?.contextWindow ?? listed?.price.contextWindow ?? FALLBACK_CONTEXT_WINDOW;
    const maxOutputTokens = Math.min(discovered?.maxOutputTokens ?? listed?.price.maxOutputTokens ?? FALLBACK_MAX_OUTPUT, contextWindow);
    const source =
      discovered?.source ?? (listed?.price.contextWindow ? `price table: ${listed.name}` : `assumed ${FALLBACK_CONTEXT_WINDOW} (model not in the price table)`);
    const unpriced = !listed && !preset.local ? '; no price known, add it to baton.prices' : '';
    const facts: ModelFacts = {
      contextWindow,
      maxOutputTokens,
      inputPricePerMTok: listed?.price.inputPricePerMTok ?? 0,
      outputPricePerMTok: listed?.price.outputPricePerMTok ?? 0,
      encoding: encodingForModel(model),
      source: source + unpriced,
    };
    this.factsCache.set(model, { facts, at: Date.now() });
    return facts;
  }

  private discover(model: string): Promise<DiscoveredLimits | undefined> {
    const options: DiscoveryOptions = { baseURL: this.baseURL, apiKey: this.options.apiKey };
    switch (PROVIDER_PRESETS[this.options.preset].contextDiscovery) {
      case 'ollama-api':
        return discoverOllamaContext(model, options);
      case 'lmstudio-api':
        return discoverLmStudioContext(model, options);
      case 'models-endpoint':
        return discoverFromModelsEndpoint(model, options);
      case 'price-table':
        return Promise.resolve(undefined);
    }
  }
}

function describeReason(failure: AttemptFailure): string {
  switch (failure.retry?.reason) {
    case 'rate-limited':
      return 'rate limited';
    case 'server-error':
      return failure.error instanceof ServerError ? `server error ${failure.error.status}` : 'server error';
    default:
      return 'could not connect';
  }
}

function apiErrorDetail(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : error.message;
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/**
 * Token counts when the server sends no usage: our tokenizer over the message texts, plus the few
 * tokens OpenAI's chat format adds around each message and to prime the reply.
 */
export function estimateUsage(request: Pick<ChatRequest, 'model' | 'messages'>, answer: string): TokenUsage {
  const counter = new TokenCounter(encodingForModel(request.model));
  const inputTokens = request.messages.reduce((sum, message) => sum + counter.count(message.content) + 4, 3);
  return { inputTokens, outputTokens: counter.count(answer), estimated: true };
}
