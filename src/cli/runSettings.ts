import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../core/ports';
import { environmentSecrets, settingsFromEnvironment } from '../core/providers/environmentSettings';
import { keyNameFor } from '../core/providers/presets';
import { parseProviderSettings, SettingsError, type ProviderSettings } from '../core/providers/providerSettings';
import { defaultConfigRoot } from '../node/userConfigFolder';
import { UsageError } from './usage';

// The settings of `baton run` and `baton review`: the same `baton.*` settings as VS Code's
// settings.json (roles, prices, network, the test command, the budget), from a file of yours,
// never from the repository (its .vscode/settings.json is not read: the repository is not trusted
// to point a role, and its key, elsewhere, or to name a command to run). Keys come from
// environment variables only.

export interface RunSettings {
  /** Validated provider settings: roles, prices, network. */
  providers: ProviderSettings;
  secrets: SecretStore;
  /** `baton.tests.command`, when the file sets one. */
  testCommand?: string;
  /** `baton.context.budget`: a new task's tokens. */
  budget?: number;
  /** `baton.context.maxFileBytes`. */
  maxFileBytes?: number;
  /** Where the roles came from, for the run's first lines. */
  rolesFrom: string;
}

const NETWORK_KEYS = ['idleTimeoutSeconds', 'headersTimeoutSeconds', 'maxRetries', 'maxRetryWaitSeconds'] as const;
const SECRET_LIKE = /(^|\.)(api[-_]?key|key|keys|token|secret|password|authorization)(\.|$)/i;

/** The settings file: --settings FILE, else settings.json in the per-user config folder if there is one. */
export function settingsFile(given: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (given !== undefined) {
    if (!existsSync(given)) throw new UsageError(`--settings ${given} does not exist.`);
    return given;
  }
  const mine = join(defaultConfigRoot(env), 'settings.json');
  return existsSync(mine) ? mine : undefined;
}

/**
 * Roles from the settings file's `baton.roles`, unless --model (or, without roles in the file,
 * OPENAI_MODEL) puts every role on one model at OPENAI_BASE_URL, as `baton plan` does.
 */
export function readRunSettings(file: string | undefined, model: string | undefined, env: NodeJS.ProcessEnv): RunSettings {
  const raw = file === undefined ? {} : readSettingsObject(file);
  const where = file ?? 'the environment';
  const setting = <T>(key: string, valid: (v: unknown) => v is T, need: string): T | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (!valid(value)) throw new SettingsError([`${key} in ${where} must be ${need} (it is ${JSON.stringify(value)})`]);
    return value;
  };
  const wholeAtLeast =
    (min: number) =>
    (v: unknown): v is number =>
      typeof v === 'number' && Number.isInteger(v) && v >= min;
  const network = Object.fromEntries(NETWORK_KEYS.flatMap((key) => (raw[`baton.network.${key}`] === undefined ? [] : [[key, raw[`baton.network.${key}`]]])));
  let fromFile: ProviderSettings;
  try {
    fromFile = parseProviderSettings({ roles: raw['baton.roles'], prices: raw['baton.prices'], network });
  } catch (err) {
    if (err instanceof SettingsError) throw new SettingsError(err.problems.map((p) => `${p} (in ${where})`));
    throw err;
  }
  const testCommand = setting('baton.tests.command', (v): v is string => typeof v === 'string', 'a command line')?.trim() || undefined;
  const budget = setting('baton.context.budget', wholeAtLeast(1000), 'a whole number of tokens, at least 1000');
  const maxFileBytes = setting('baton.context.maxFileBytes', wholeAtLeast(1024), 'a whole number of bytes, at least 1024');
  const common = { ...(testCommand ? { testCommand } : {}), ...(budget ? { budget } : {}), ...(maxFileBytes ? { maxFileBytes } : {}) };

  const fileHasRoles = Object.keys(fromFile.roles ?? {}).length > 0;
  if (model !== undefined || !fileHasRoles) {
    const fromEnv = settingsFromEnvironment({ ...env, ...(model ? { OPENAI_MODEL: model } : {}) });
    if (!fromEnv.settings.roles) {
      throw new UsageError(
        `No model for the maker: set "baton.roles" in ${file ?? join(defaultConfigRoot(env), 'settings.json')} (as in VS Code's settings.json), ` +
          'or give --model NAME or OPENAI_MODEL (with OPENAI_BASE_URL and OPENAI_API_KEY for the server).',
      );
    }
    const on = model ?? env.OPENAI_MODEL?.trim();
    return {
      providers: { ...fromFile, roles: fromEnv.settings.roles },
      secrets: fromEnv.secrets,
      rolesFrom: `every role on ${on} (${env.OPENAI_BASE_URL?.trim() || 'OpenAI'})`,
      ...common,
    };
  }
  // OPENAI_API_KEY is OpenAI's key wherever the roles come from; every other key its BATON_KEY_* variable.
  const openai = env.OPENAI_API_KEY?.trim();
  const secrets = environmentSecrets(env, new Map(openai ? [[keyNameFor('openai'), openai]] : []));
  return { providers: fromFile, secrets, rolesFrom: `baton.roles in ${file}`, ...common };
}

/** The file's `baton.*` settings, flat as in VS Code's settings.json; keys are refused, other tools' settings ignored. */
function readSettingsObject(file: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SettingsError([
      `${file} must be a JSON object of settings such as { "baton.roles": { "maker": { "provider": "openai", "model": "gpt-4.1" } } } (comments are not allowed): ${(err as Error).message}`,
    ]);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new SettingsError([`${file} must be a JSON object of settings such as { "baton.roles": { ... } }`]);
  const baton = Object.entries(json).filter(([key]) => key.startsWith('baton.'));
  const secret = baton.find(([key]) => SECRET_LIKE.test(key.slice('baton.'.length)));
  if (secret)
    throw new SettingsError([
      `${secret[0]} in ${file} is not allowed: keys are never settings. Put the key in an environment variable (OPENAI_API_KEY, or BATON_KEY_<PROVIDER> such as BATON_KEY_OPENROUTER).`,
    ]);
  return Object.fromEntries(baton);
}
