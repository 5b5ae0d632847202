// Reading a model's real limits from the server that runs it. A local server runs a model with a
// context window it chose (Ollama's num_ctx, LM Studio's loaded context), often far below the model's
// trained maximum; budgeting against the maximum would overflow the window and the server would
// silently drop the start of the prompt. Every lookup is best effort: no answer means "not known".
import * as z from 'zod';

export interface DiscoveredLimits {
  contextWindow: number;
  maxOutputTokens?: number;
  /** Where the number came from, shown to the person. */
  source: string;
}

export interface DiscoveryOptions {
  /** The provider's OpenAI-compatible base URL ("http://127.0.0.1:11434/v1"). */
  baseURL: string;
  apiKey?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** What Ollama runs a model with when nothing sets num_ctx (newer servers may pick more by VRAM). */
export const OLLAMA_DEFAULT_CONTEXT = 4096;

const positive = z.number().int().positive();

const ollamaPsSchema = z.object({
  models: z.array(z.looseObject({ name: z.string().optional(), model: z.string().optional(), context_length: positive.optional() })).default([]),
});

const ollamaShowSchema = z.looseObject({
  parameters: z.string().optional(),
  model_info: z.record(z.string(), z.unknown()).optional(),
});

/**
 * The context window Ollama really uses for `model`: the loaded model's context_length from
 * GET /api/ps; else num_ctx from the model's parameters (POST /api/show), capped by the trained
 * maximum (model_info "<arch>.context_length"); else Ollama's default, capped the same way.
 */
export async function discoverOllamaContext(model: string, options: DiscoveryOptions): Promise<DiscoveredLimits | undefined> {
  const root = serverRoot(options.baseURL);
  const ps = ollamaPsSchema.safeParse(await getJson(`${root}/api/ps`, options));
  if (ps.success) {
    const wanted = withDefaultTag(model);
    const loaded = ps.data.models.find((m) => withDefaultTag(m.name ?? m.model ?? '') === wanted || withDefaultTag(m.model ?? '') === wanted);
    if (loaded?.context_length) {
      return { contextWindow: loaded.context_length, source: `Ollama /api/ps: ${model} is loaded with a ${loaded.context_length}-token context` };
    }
  }
  const show = ollamaShowSchema.safeParse(await postJson(`${root}/api/show`, { model }, options));
  if (!show.success) return undefined;
  const trainedMax = trainedContextLength(show.data.model_info);
  const numCtx = parameterValue(show.data.parameters, 'num_ctx');
  const ofMax = trainedMax ? ` (model maximum ${trainedMax})` : '';
  if (numCtx) {
    const window = trainedMax ? Math.min(numCtx, trainedMax) : numCtx;
    return { contextWindow: window, source: `Ollama /api/show: num_ctx ${numCtx}${ofMax}` };
  }
  const window = trainedMax ? Math.min(OLLAMA_DEFAULT_CONTEXT, trainedMax) : OLLAMA_DEFAULT_CONTEXT;
  return { contextWindow: window, source: `Ollama default context ${OLLAMA_DEFAULT_CONTEXT}, ${model} not loaded and no num_ctx set${ofMax}` };
}

function trainedContextLength(modelInfo: Record<string, unknown> | undefined): number | undefined {
  for (const [key, value] of Object.entries(modelInfo ?? {})) {
    if (key.endsWith('.context_length') && typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

/** A numeric parameter from Ollama's `parameters` text ("num_ctx    8192\nstop ..."). */
function parameterValue(parameters: string | undefined, name: string): number | undefined {
  const match = new RegExp(`^\\s*${name}\\s+(\\d+)\\s*$`, 'm').exec(parameters ?? '');
  const value = match ? Number(match[1]) : NaN;
  return value > 0 ? value : undefined;
}

function withDefaultTag(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

const lmStudioV1Schema = z.object({
  models: z.array(
    z.looseObject({
      key: z.string(),
      max_context_length: positive.optional(),
      loaded_instances: z.array(z.looseObject({ config: z.looseObject({ context_length: positive.optional() }).optional() })).optional(),
    }),
  ),
});

const lmStudioV0Schema = z.looseObject({ max_context_length: positive.optional(), loaded_context_length: positive.optional() });

/** LM Studio: the loaded instance's context (GET /api/v1/models), else the model's maximum. */
export async function discoverLmStudioContext(model: string, options: DiscoveryOptions): Promise<DiscoveredLimits | undefined> {
  const root = serverRoot(options.baseURL);
  const v1 = lmStudioV1Schema.safeParse(await getJson(`${root}/api/v1/models`, options));
  const entry = v1.success ? v1.data.models.find((m) => m.key === model) : undefined;
  const loaded = entry?.loaded_instances?.find((i) => i.config?.context_length)?.config?.context_length;
  if (loaded) return { contextWindow: loaded, source: `LM Studio /api/v1/models: loaded with a ${loaded}-token context` };
  if (entry?.max_context_length) return { contextWindow: entry.max_context_length, source: `LM Studio /api/v1/models: model maximum (not loaded)` };
  const v0 = lmStudioV0Schema.safeParse(await getJson(`${root}/api/v0/models/${encodeURIComponent(model)}`, options));
  const window = v0.success ? (v0.data.loaded_context_length ?? v0.data.max_context_length) : undefined;
  return window ? { contextWindow: window, source: 'LM Studio /api/v0/models' } : undefined;
}

const modelsListSchema = z.object({
  data: z.array(
    z.looseObject({
      id: z.string(),
      max_model_len: positive.optional(), // vLLM
      context_length: positive.optional(), // OpenRouter
      context_window: positive.optional(),
      top_provider: z.looseObject({ max_completion_tokens: positive.nullish() }).nullish(),
    }),
  ),
});

/** vLLM's max_model_len or OpenRouter's context_length, from GET <baseURL>/models. */
export async function discoverFromModelsEndpoint(model: string, options: DiscoveryOptions): Promise<DiscoveredLimits | undefined> {
  const listed = modelsListSchema.safeParse(await getJson(`${options.baseURL.replace(/\/+$/, '')}/models`, options));
  const entry = listed.success ? listed.data.data.find((m) => m.id === model) : undefined;
  const window = entry?.max_model_len ?? entry?.context_length ?? entry?.context_window;
  if (!entry || !window) return undefined;
  const field = entry.max_model_len ? 'max_model_len' : entry.context_length ? 'context_length' : 'context_window';
  return { contextWindow: window, maxOutputTokens: entry.top_provider?.max_completion_tokens ?? undefined, source: `/v1/models: ${field} ${window}` };
}

/** "http://host:11434/v1" -> "http://host:11434": the native APIs live beside the /v1 ones. */
function serverRoot(baseURL: string): string {
  return baseURL.replace(/\/+$/, '').replace(/\/v1$/, '');
}

function getJson(url: string, options: DiscoveryOptions): Promise<unknown> {
  return requestJson(url, { method: 'GET' }, options);
}

function postJson(url: string, body: unknown, options: DiscoveryOptions): Promise<unknown> {
  return requestJson(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, options);
}

async function requestJson(url: string, init: RequestInit, options: DiscoveryOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 5_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const headers = new Headers(init.headers);
  if (options.apiKey) headers.set('authorization', `Bearer ${options.apiKey}`);
  try {
    const response = await fetch(url, { ...init, headers, signal });
    if (!response.ok) return undefined;
    return (await response.json()) as unknown;
  } catch {
    return undefined; // not this kind of server, or not answering: the caller falls back
  }
}
