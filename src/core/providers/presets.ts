// The servers Baton knows how to talk to. All speak OpenAI's chat completions API; they differ in
// where they live, whether they need a key, and where the real context window can be read.

export const PRESET_IDS = ['openai', 'azure', 'ollama', 'lmstudio', 'vllm', 'openrouter'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

/** Where a model's context window comes from, besides the price table. */
export type ContextDiscovery = 'price-table' | 'ollama-api' | 'lmstudio-api' | 'models-endpoint';

export interface ProviderPreset {
  id: PresetId;
  label: string;
  defaultBaseURL: string;
  needsKey: boolean;
  /** Runs on the person's machine: free, and its limits are read from the server. */
  local: boolean;
  contextDiscovery: ContextDiscovery;
  notes: string;
}

export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

export const PROVIDER_PRESETS: Readonly<Record<PresetId, ProviderPreset>> = {
  openai: {
    id: 'openai',
    label: 'OpenAI',
    defaultBaseURL: 'https://api.openai.com/v1',
    needsKey: true,
    local: false,
    contextDiscovery: 'price-table',
    notes: 'Context windows and prices from the price table (override with baton.prices).',
  },
  azure: {
    id: 'azure',
    label: 'Azure OpenAI',
    defaultBaseURL: 'https://RESOURCE.openai.azure.com/openai',
    needsKey: true,
    local: false,
    contextDiscovery: 'price-table',
    notes:
      'Base URL https://<resource>.openai.azure.com/openai; the model setting is the deployment name, ' +
      `called as /deployments/<deployment>/chat/completions?api-version=<apiVersion> (default ${DEFAULT_AZURE_API_VERSION}) with an api-key header. ` +
      'Name the deployment after its model (gpt-4o) or add it to baton.prices for its limits and prices.',
  },
  ollama: {
    id: 'ollama',
    label: 'Ollama',
    defaultBaseURL: 'http://127.0.0.1:11434/v1',
    needsKey: false,
    local: true,
    contextDiscovery: 'ollama-api',
    notes:
      'No key. The context window is the one Ollama really runs with: /api/ps for a loaded model, else num_ctx from /api/show, ' +
      "else Ollama's default (4096), never more than the model's trained maximum.",
  },
  lmstudio: {
    id: 'lmstudio',
    label: 'LM Studio',
    defaultBaseURL: 'http://127.0.0.1:1234/v1',
    needsKey: false,
    local: true,
    contextDiscovery: 'lmstudio-api',
    notes: "No key. The context window is the loaded instance's context length from /api/v1/models, else the model's maximum.",
  },
  vllm: {
    id: 'vllm',
    label: 'vLLM',
    defaultBaseURL: 'http://127.0.0.1:8000/v1',
    needsKey: false,
    local: true,
    contextDiscovery: 'models-endpoint',
    notes: 'Key only if the server was started with --api-key. The context window is max_model_len from /v1/models.',
  },
  openrouter: {
    id: 'openrouter',
    label: 'OpenRouter',
    defaultBaseURL: 'https://openrouter.ai/api/v1',
    needsKey: true,
    local: false,
    contextDiscovery: 'models-endpoint',
    notes: 'Models are named vendor/model (openai/gpt-4o). Context length from /v1/models, prices from the price table.',
  },
};

export function isPresetId(value: string): value is PresetId {
  return (PRESET_IDS as readonly string[]).includes(value);
}

/** The SecretStore entry holding a provider's key: "baton.key.openai". */
export function keyNameFor(providerId: string): string {
  return `baton.key.${providerId}`;
}

/**
 * The SecretStore entry a role's own `keyName` names, always among the keys ("work" and
 * "baton.key.work" are both "baton.key.work"): a setting can never have another secret Baton keeps
 * (a checkpoint signing key) read and sent as a key.
 */
export function ownKeyName(keyName: string): string {
  return keyNameFor(keyName.replace(/^baton\.key\./, ''));
}

/**
 * Whether `baseURL` is on the preset's own server (same scheme, host and port). A preset whose
 * address is a template (Azure's RESOURCE) has no server of its own, and an address that is not a
 * URL is no one's.
 */
export function isPresetServer(preset: ProviderPreset, baseURL: string): boolean {
  if (preset.defaultBaseURL.includes('RESOURCE')) return false;
  try {
    return new URL(baseURL).origin === new URL(preset.defaultBaseURL).origin;
  } catch {
    return false;
  }
}

/**
 * Whether a stored key goes there unasked: only the provider's own key, to the provider's own
 * server. (Here, not beside the router: the editor's sidebar checks it without loading the router.)
 */
export function keyGoesUnasked({ providerId, keyName, baseURL }: { providerId: string; keyName: string; baseURL: string }): boolean {
  return isPresetId(providerId) && keyName === keyNameFor(providerId) && isPresetServer(PROVIDER_PRESETS[providerId], baseURL);
}

/** A best guess at the preset behind a bare base URL (the CLI's OPENAI_BASE_URL). */
export function presetForBaseURL(baseURL: string): PresetId {
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return 'openai';
  }
  if (url.hostname.endsWith('.openai.azure.com')) return 'azure';
  if (url.hostname === 'openrouter.ai') return 'openrouter';
  if (url.port === '11434') return 'ollama';
  if (url.port === '1234') return 'lmstudio';
  if (url.port === '8000') return 'vllm';
  return 'openai';
}
