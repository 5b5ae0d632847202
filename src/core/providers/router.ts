// Which model does which job. Each role (planner, maker, breaker, summariser) maps to a provider and
// a model from validated settings; keys come from the SecretStore (`baton.key.<provider>`), never
// from settings. Roles are resolved when first needed, so Baton works with no model configured.
import type { Logger, SecretStore } from '../ports';
import { FormatMemory, type AnswerFormatChoice } from './answerFormats';
import { withCallLog } from './callLog';
import { withCallObserver, type FinishedCall } from './callObserver';
import { KeyWithheldError, MissingKeyError } from './errors';
import { OpenAICompatibleProvider } from './openaiCompatible';
import { PROVIDER_PRESETS, isPresetId, keyGoesUnasked, keyNameFor, ownKeyName } from './presets';
import { DEFAULT_PRICE_TABLE, mergePriceTables, type PriceTable } from './prices';
import { parseProviderSettings, type ProviderSettings, type Role, type RoleSetting } from './providerSettings';
import type { Provider, ProviderStatus } from './types';
import { withUsageRecording, type UsageLedger } from './usage';
import { withSecretRedaction } from './redactingProvider';
import { BatonError } from '../batonError';

/**
 * The hybrid set-up the README shows: a local model (Ollama) summarises and classifies, which is
 * frequent, cheap work on text that never has to leave the machine; cloud models plan, write and
 * review code, where quality matters most. The breaker is a different model from the maker, so code
 * is checked by something other than what wrote it.
 */
export const HYBRID_EXAMPLE_SETTINGS = {
  roles: {
    planner: { provider: 'openai', model: 'gpt-5' },
    maker: { provider: 'openai', model: 'gpt-4.1', temperature: 0.2 },
    breaker: { provider: 'openai', model: 'o4-mini' },
    summariser: { provider: 'ollama', model: 'qwen2.5-coder:7b', temperature: 0 },
  },
} as const satisfies ProviderSettings;

/** A role asked for before it was configured. */
export class RoleNotConfiguredError extends BatonError {
  constructor(readonly role: Role) {
    super('input', `No model is set for the ${role}: set baton.roles.${role} to { "provider": "...", "model": "..." } (see the README's provider setup).`);
  }
}

export interface RoleBinding {
  role: Role;
  /** Records every finished call's usage in the router's ledger when it has one. */
  provider: Provider;
  model: string;
  temperature?: number;
  maxOutputTokens?: number;
  /** How the role's answers are asked for, and what auto learned of each model this session. */
  answerFormat: AnswerFormatChoice;
}

export interface RouterDependencies {
  secrets: SecretStore;
  /** Providers the host adds (VS Code's language models as "vscode-lm"), by id. */
  extraProviders?: Readonly<Record<string, Provider>>;
  ledger?: UsageLedger;
  onStatus?(role: Role, status: ProviderStatus): void;
  /** Where each call is logged (model, size, outcome, time; never keys or message text). */
  log?: Logger;
  /**
   * Whether a stored key may go where a role would send it, asked unless it is the provider's own
   * key going to the provider's own server: settings (a repository's workspace settings too) can
   * name any address and any key. False keeps the key and fails the role with KeyWithheldError.
   * Absent: it may (the command line, where settings are the person's own).
   */
  keyMayGoTo?(destination: KeyDestination): Promise<boolean>;
}

/** A stored key and the address a role would send it to. */
export interface KeyDestination {
  role: Role;
  providerId: string;
  keyName: string;
  baseURL: string;
}

export class RoleRouter {
  readonly prices: PriceTable;

  private constructor(
    readonly settings: ProviderSettings,
    private readonly dependencies: RouterDependencies,
    // Shared with every observed view of this router: one client per server, one memory of formats.
    private readonly providers = new Map<string, Provider>(),
    private readonly formats = new FormatMemory(),
    private readonly onCall?: (call: FinishedCall) => void,
  ) {
    this.prices = mergePriceTables(DEFAULT_PRICE_TABLE, settings.prices);
  }

  /** Validates raw settings (throws SettingsError naming each bad one) and builds the router. */
  static fromSettings(raw: unknown, dependencies: RouterDependencies): RoleRouter {
    const settings = parseProviderSettings(raw, { extraProviderIds: Object.keys(dependencies.extraProviders ?? {}) });
    return new RoleRouter(settings, dependencies);
  }

  /**
   * The same roles, also telling `onCall` of each call they finish, as it finishes: what one run
   * records on its node whatever the run's outcome.
   */
  observed(onCall: (call: FinishedCall) => void): RoleRouter {
    const outer = this.onCall;
    const both = outer ? (call: FinishedCall): void => (outer(call), onCall(call)) : onCall;
    return new RoleRouter(this.settings, this.dependencies, this.providers, this.formats, both);
  }

  isConfigured(role: Role): boolean {
    return this.settings.roles?.[role] !== undefined;
  }

  /** The provider and model for a role; throws RoleNotConfiguredError or MissingKeyError. */
  async bindingFor(role: Role): Promise<RoleBinding> {
    const setting = this.settings.roles?.[role];
    if (!setting) throw new RoleNotConfiguredError(role);
    // Every role's calls pass the secret redaction gate, whichever provider serves them.
    const provider = withSecretRedaction(await this.providerFor(role, setting));
    const logged = this.dependencies.log ? withCallLog(provider, this.dependencies.log, role) : provider;
    const recorded = this.dependencies.ledger ? withUsageRecording(logged, this.dependencies.ledger, { role }) : logged;
    return {
      role,
      provider: this.onCall ? withCallObserver(recorded, role, this.onCall) : recorded,
      model: setting.model,
      temperature: setting.temperature,
      maxOutputTokens: setting.maxOutputTokens,
      answerFormat: { format: setting.answerFormat ?? 'auto', memory: this.formats },
    };
  }

  private async providerFor(role: Role, setting: RoleSetting): Promise<Provider> {
    const extra = this.dependencies.extraProviders?.[setting.provider];
    if (extra) return extra;
    if (!isPresetId(setting.provider)) throw new RoleNotConfiguredError(role); // unreachable: validated
    const preset = PROVIDER_PRESETS[setting.provider];
    const keyName = setting.keyName ? ownKeyName(setting.keyName) : keyNameFor(preset.id);
    const apiKey = (await this.dependencies.secrets.get(keyName)) || undefined;
    if (preset.needsKey && !apiKey) throw new MissingKeyError({ providerId: preset.id, model: setting.model }, keyName);
    const destination = { role, providerId: preset.id, keyName, baseURL: setting.baseURL ?? preset.defaultBaseURL };
    if (apiKey && !keyGoesUnasked(destination)) {
      const allowed = (await this.dependencies.keyMayGoTo?.(destination)) ?? true;
      if (!allowed) throw new KeyWithheldError({ providerId: preset.id, model: setting.model }, keyName, destination.baseURL);
    }
    // One client per server and key, shared by the roles that use it. The status callback belongs
    // to the role that first created it; retries are reported per provider, which is what they are.
    const cacheKey = JSON.stringify([preset.id, setting.baseURL ?? '', setting.apiVersion ?? '', keyName, apiKey ?? '']);
    let provider = this.providers.get(cacheKey);
    if (!provider) {
      const network = this.settings.network ?? {};
      provider = new OpenAICompatibleProvider({
        id: preset.id,
        preset: preset.id,
        baseURL: setting.baseURL,
        apiKey,
        keyName,
        apiVersion: setting.apiVersion,
        prices: this.prices,
        idleTimeoutMs: toMs(network.idleTimeoutSeconds),
        headersTimeoutMs: toMs(network.headersTimeoutSeconds),
        retry: {
          ...(network.maxRetries !== undefined ? { maxRetries: network.maxRetries } : {}),
          ...(network.maxRetryWaitSeconds !== undefined ? { maxWaitMs: network.maxRetryWaitSeconds * 1000 } : {}),
        },
        onStatus: (status) => this.dependencies.onStatus?.(role, status),
      });
      this.providers.set(cacheKey, provider);
    }
    return provider;
  }
}

function toMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}
