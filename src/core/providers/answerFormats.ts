// How a role is asked to shape its answer. `json_schema` sends the schema as response_format (the
// server constrains decoding); `json` puts the schema in the prompt and reads JSON out of whatever
// comes back (prose, a code fence, a trailing comma); `text` asks for the role's plain-text format
// (the maker's fenced search/replace blocks). `auto`, the default, starts with json_schema and steps
// down when a server refuses it or a model cannot keep to JSON, remembering per model what worked
// for as long as the session lasts. Every format is validated with the same zod schema.

export const ANSWER_FORMATS = ['auto', 'json_schema', 'json', 'text'] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];
/** What is really asked for in one call. */
export type WireFormat = Exclude<AnswerFormat, 'auto'>;

/** Roles with a plain-text format of their own; the others take JSON only. */
export const TEXT_FORMAT_ROLES: readonly string[] = ['maker'];

/** What each model was found to take, per provider, for this session: auto starts there next time. */
export class FormatMemory {
  private readonly learned = new Map<string, WireFormat>();

  get(providerId: string, model: string): WireFormat | undefined {
    return this.learned.get(key(providerId, model));
  }

  remember(providerId: string, model: string, format: WireFormat): void {
    this.learned.set(key(providerId, model), format);
  }
}

/** A role's chosen format and where auto keeps what it learned: what a role binding carries. */
export interface AnswerFormatChoice {
  format: AnswerFormat;
  memory: FormatMemory;
}

/** The format after `format` when auto steps down: json_schema, then json, then text (when the role has it). */
export function nextFormat(format: WireFormat, hasText: boolean): WireFormat | undefined {
  if (format === 'json_schema') return 'json';
  if (format === 'json' && hasText) return 'text';
  return undefined;
}

/**
 * A refusal of the request because of response_format: servers without structured output answer
 * 400 (or 422) naming response_format, json_schema, or the grammar they could not build from it.
 */
export function refusesResponseFormat(status: number, detail: string): boolean {
  return (status === 400 || status === 422) && /response_format|json_schema|structured output|grammar|schema/i.test(detail);
}

function key(providerId: string, model: string): string {
  return `${providerId}\u0000${model}`;
}
