// Setting up a model: is the base URL one Baton will send prompts (and a key) to, and which models
// does the server there offer? Ollama lists its models at /api/tags, the others at <baseURL>/models.
import * as z from 'zod';
import { connectionFailureReason } from './connectionFailure';
import type { PresetId } from './presets';

/** Why `text` cannot be a provider's base URL, or undefined when it can. */
export function baseURLProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (!trimmed) return "Type the server's address, such as http://127.0.0.1:11434/v1.";
  if (!URL.canParse(trimmed)) return `"${trimmed}" is not a URL; write it in full, such as http://127.0.0.1:11434/v1.`;
  const url = new URL(trimmed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} is not http or https; write it such as http://127.0.0.1:11434/v1.`;
  if (url.username || url.password)
    return 'Take the user name and password out of the URL: settings are plain text; the key goes in SecretStorage (Baton asks for it next).';
  if (url.search || url.hash) return 'Leave out the ?query and #fragment: Baton adds the paths and parameters it calls.';
  return undefined;
}

export type ModelListing = { ok: true; models: string[]; source: string } | { ok: false; reason: string };

export interface ModelListingOptions {
  apiKey?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const openAiList = z.object({ data: z.array(z.looseObject({ id: z.string() })) });
const ollamaTags = z.object({ models: z.array(z.looseObject({ name: z.string() })) });

/** The model names the server at `baseURL` lists; on failure, what failed in words. */
export async function listServerModels(preset: PresetId, baseURL: string, options: ModelListingOptions = {}): Promise<ModelListing> {
  const base = baseURL.trim().replace(/\/+$/, '');
  const url = preset === 'ollama' ? `${base.replace(/\/v1$/, '')}/api/tags` : `${base}/models`;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const headers: Record<string, string> = options.apiKey
    ? preset === 'azure'
      ? { 'api-key': options.apiKey }
      : { authorization: `Bearer ${options.apiKey}` }
    : {};
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout });
  } catch (err) {
    return { ok: false, reason: `could not reach ${base}: ${connectionFailureReason(err)}` };
  }
  if (response.status === 401 || response.status === 403)
    return { ok: false, reason: `${url} refused ${options.apiKey ? 'the stored key' : 'a call without a key'} (HTTP ${response.status})` };
  if (!response.ok)
    return { ok: false, reason: `${url} answered HTTP ${response.status}; is this the server's OpenAI-compatible address (usually ending in /v1)?` };
  const body: unknown = await response.json().catch(() => undefined);
  const names = preset === 'ollama' ? ollamaTags.safeParse(body).data?.models.map((m) => m.name) : openAiList.safeParse(body).data?.data.map((m) => m.id);
  if (!names) return { ok: false, reason: `${url} did not answer with a model list` };
  if (names.length === 0) return { ok: false, reason: `${url} lists no models (load or pull one on the server first)` };
  return { ok: true, models: [...new Set(names)].sort((a, b) => a.localeCompare(b)), source: url };
}
