// The provider settings a person writes (VS Code's `baton.*` settings, or the CLI's environment),
// validated with zod. A bad value is reported by its full setting path and what it must be
// ("baton.roles.maker.model must be a non-empty string"), never as a zod dump.
import * as z from 'zod';
import { ANSWER_FORMATS, TEXT_FORMAT_ROLES } from './answerFormats';
import { PRESET_IDS } from './presets';
import { BatonError } from '../batonError';

export const ROLES = ['planner', 'maker', 'breaker', 'summariser'] as const;
export type Role = (typeof ROLES)[number];

/** Setting names that look like a secret: refused with a pointer to SecretStorage. */
const SECRET_LIKE = /^(api[-_]?key|key|token|secret|password|authorization)$/i;

const nonEmpty = z.string({ error: 'must be a non-empty string' }).trim().min(1, { error: 'must be a non-empty string' });

function roleSettingSchema(providerIds: readonly string[]) {
  return z.strictObject(
    {
      provider: z.string({ error: `must be one of ${providerIds.join(', ')}` }).refine((id) => providerIds.includes(id), {
        error: `must be one of ${providerIds.join(', ')}`,
      }),
      model: nonEmpty,
      baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:11434/v1' }).optional(),
      apiVersion: nonEmpty.optional(),
      temperature: z
        .number({ error: 'must be a number from 0 to 2' })
        .min(0, { error: 'must be a number from 0 to 2' })
        .max(2, { error: 'must be a number from 0 to 2' })
        .optional(),
      maxOutputTokens: z.int({ error: 'must be a whole number of tokens above 0' }).positive({ error: 'must be a whole number of tokens above 0' }).optional(),
      /** Another SecretStore entry for this role's key (two accounts on one provider). */
      keyName: nonEmpty.optional(),
      answerFormat: z.enum(ANSWER_FORMATS, { error: `must be one of ${ANSWER_FORMATS.join(', ')}` }).optional(),
    },
    { error: 'must be an object such as { "provider": "openai", "model": "gpt-4.1" }' },
  );
}

const priceOverrideSchema = z.strictObject(
  {
    inputPricePerMTok: z.number({ error: 'must be US dollars per million tokens (a number, 0 or more)' }).min(0, { error: 'must be 0 or more' }).optional(),
    outputPricePerMTok: z.number({ error: 'must be US dollars per million tokens (a number, 0 or more)' }).min(0, { error: 'must be 0 or more' }).optional(),
    contextWindow: z.int({ error: 'must be a whole number of tokens above 0' }).positive({ error: 'must be a whole number of tokens above 0' }).optional(),
    maxOutputTokens: z.int({ error: 'must be a whole number of tokens above 0' }).positive({ error: 'must be a whole number of tokens above 0' }).optional(),
  },
  { error: 'must be an object such as { "inputPricePerMTok": 2.5, "outputPricePerMTok": 10 }' },
);

const seconds = (what: string) =>
  z
    .number({ error: `must be a number of seconds above 0 (${what})` })
    .positive({ error: `must be a number of seconds above 0 (${what})` })
    .optional();

const networkSchema = z.strictObject(
  {
    idleTimeoutSeconds: seconds('the longest silence inside a streamed answer'),
    headersTimeoutSeconds: seconds('the longest wait for a server to start answering'),
    maxRetries: z
      .int({ error: 'must be a whole number from 0 to 10' })
      .min(0, { error: 'must be a whole number from 0 to 10' })
      .max(10, { error: 'must be a whole number from 0 to 10' })
      .optional(),
    maxRetryWaitSeconds: seconds('the longest wait before a retry'),
  },
  { error: 'must be an object such as { "idleTimeoutSeconds": 60 }' },
);

function settingsSchema(providerIds: readonly string[]) {
  const role = roleSettingSchema(providerIds).optional();
  return z.looseObject({
    roles: z
      .strictObject({ planner: role, maker: role, breaker: role, summariser: role }, { error: `must be an object with any of ${ROLES.join(', ')}` })
      .superRefine((roles, ctx) => {
        for (const [name, setting] of Object.entries(roles)) {
          if (setting?.answerFormat !== 'text' || TEXT_FORMAT_ROLES.includes(name)) continue;
          ctx.addIssue({
            code: 'custom',
            path: [name, 'answerFormat'],
            message: `cannot be text: only the ${TEXT_FORMAT_ROLES.join(', ')} has a plain-text format; use auto, json_schema or json`,
          });
        }
      })
      .optional(),
    prices: z.record(z.string(), priceOverrideSchema, { error: 'must be an object mapping model names to prices' }).optional(),
    network: networkSchema.optional(),
  });
}

export type RoleSetting = z.infer<ReturnType<typeof roleSettingSchema>>;
export type ProviderSettings = Pick<z.infer<ReturnType<typeof settingsSchema>>, 'roles' | 'prices' | 'network'>;

/** One or more settings are invalid; the message names each by its full path. */
export class SettingsError extends BatonError {
  constructor(readonly problems: string[]) {
    super('input', problems.length === 1 ? `Invalid setting: ${problems[0]}` : `Invalid settings:\n- ${problems.join('\n- ')}`);
  }
}

export interface ParseSettingsOptions {
  /** Prefix of every setting path in messages (default "baton"). */
  prefix?: string;
  /** Provider ids besides the presets that roles may name (the host's "vscode-lm"). */
  extraProviderIds?: readonly string[];
}

/** Validates the provider part of a settings object; throws SettingsError naming every bad setting. */
export function parseProviderSettings(raw: unknown, options: ParseSettingsOptions = {}): ProviderSettings {
  const prefix = options.prefix ?? 'baton';
  const providerIds = [...PRESET_IDS, ...(options.extraProviderIds ?? [])];
  const parsed = settingsSchema(providerIds).safeParse(raw ?? {});
  if (!parsed.success) throw new SettingsError(parsed.error.issues.flatMap((issue) => describeIssue(issue, prefix)));
  const { roles, prices, network } = parsed.data;
  return { roles, prices, network };
}

function describeIssue(issue: z.core.$ZodIssue, prefix: string): string[] {
  const path = [prefix, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) =>
      SECRET_LIKE.test(key)
        ? `${path}.${key} is not allowed: API keys are kept in SecretStorage only. Remove it from settings and run "Baton: Set API Key".`
        : `${path}.${key} is not a known setting.`,
    );
  }
  return [`${path} ${issue.message}`];
}
