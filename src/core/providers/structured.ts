// Structured answers, in the format the role's setting chooses (answerFormats.ts): with the zod
// type's JSON Schema as `response_format: json_schema` (which OpenAI, Azure, Ollama, vLLM and LM
// Studio constrain decoding to), as JSON asked for in the prompt, or in the role's plain-text format.
// Whatever was asked, the answer is read leniently (JSON in prose or a fence, repaired; the text
// format when the model used it anyway) and validated with zod, because no server promises to keep
// to the format. A bad answer is re-asked once with what was wrong; a second bad answer fails with
// both problems named.
import * as z from 'zod';
import { FormatMemory, nextFormat, refusesResponseFormat, type AnswerFormatChoice, type WireFormat } from './answerFormats';
import { RequestRejectedError, type ProviderErrorContext } from './errors';
import { readJsonAnswer } from './jsonAnswer';
import type { ChatMessage, ChatRequest, ChatResult, Provider, TokenUsage } from './types';
import { BatonError } from '../batonError';

export interface StructuredResult<T> {
  value: T;
  /** One entry per call made: one, or two when the first answer had to be re-asked. */
  calls: ChatResult[];
  usage: TokenUsage;
  /** The format the answer came in. */
  format: WireFormat;
  /** Set when the answer stopped at the output limit and only its whole parts were kept: what was lost. */
  cutOff?: string;
}

/** A role's plain-text answer format (the maker's search/replace blocks). */
export interface TextFormat {
  /** What the prompt says to ask for it. */
  instructions: string;
  /** Whether an answer is written in it (a model asked for JSON may use it anyway). */
  recognises(text: string): boolean;
  /** The answer as plain data for the schema, or what is wrong with it in words a model can act on. */
  read(text: string): { ok: true; value: unknown } | { ok: false; problem: string };
}

export interface StructuredOptions extends Partial<AnswerFormatChoice> {
  /**
   * Also put the JSON Schema in the prompt when asking with json_schema, for providers that ignore
   * response_format (VS Code's language models). Costs the schema's tokens; off by default.
   */
  schemaInPrompt?: boolean;
  /** The role's plain-text format, for `text` and for auto's last step down. */
  text?: TextFormat;
  /**
   * Keeps the whole parts of an answer cut off at the output limit (finish_reason "length"). Without
   * it, such an answer is re-asked like any invalid one.
   */
  keepWholeParts?(text: string, format: WireFormat): { value: unknown; lost: string };
}

/**
 * The messages of a request, either given (the format's instructions are then added as a last user
 * message), or built for a format from that format's instructions, so a prompt with a budget can
 * count them.
 */
export type StructuredMessages = ChatMessage[] | ((format: WireFormat, formatInstructions: string) => Promise<ChatMessage[]>);

export interface StructuredRequest extends Omit<ChatRequest, 'responseFormat' | 'messages'> {
  messages: StructuredMessages;
}

/** The model could not produce a valid answer in two tries. */
export class StructuredOutputError extends BatonError {
  readonly providerId: string;
  readonly model: string;

  constructor(
    context: ProviderErrorContext,
    readonly schemaName: string,
    readonly problems: string[],
    readonly lastAnswer: string,
  ) {
    const excerpt = lastAnswer.length > 200 ? `${lastAnswer.slice(0, 200)}…` : lastAnswer;
    super(
      'provider',
      `${context.providerId} (${context.model}): asked for a "${schemaName}" as JSON, got no valid one in ${problems.length} tries. ` +
        `${problems.map((p, i) => `Try ${i + 1}: ${p}`).join(' ')} Last answer began: ${JSON.stringify(excerpt)}. ` +
        'Try a stronger model for this role, or one whose server supports structured output.',
    );
    this.providerId = context.providerId;
    this.model = context.model;
  }
}

/**
 * The JSON Schema sent for a zod type, and whether OpenAI's strict mode can take it: strict mode
 * needs every property required and additionalProperties false at every level (use `.nullable()`,
 * not `.optional()`, for fields that may be absent).
 */
export function jsonSchemaFor(schema: z.ZodType): { schema: Record<string, unknown>; strict: boolean } {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
  return { schema: jsonSchema, strict: isStrictCompatible(jsonSchema) };
}

function isStrictCompatible(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(isStrictCompatible);
  if (node === null || typeof node !== 'object') return true;
  const record = node as Record<string, unknown>;
  // OpenAI's strict mode refuses oneOf (what zod emits for a discriminated union); anyOf is allowed.
  if ('oneOf' in record) return false;
  if (record.type === 'object' || record.properties) {
    const properties = Object.keys((record.properties as Record<string, unknown> | undefined) ?? {});
    const required = new Set((record.required as string[] | undefined) ?? []);
    if (record.additionalProperties !== false || !properties.every((p) => required.has(p))) return false;
  }
  return Object.entries(record).every(([key, value]) => key === 'required' || key === 'enum' || key === 'const' || isStrictCompatible(value));
}

export async function askStructured<T>(
  provider: Provider,
  request: StructuredRequest,
  schema: z.ZodType<T>,
  name: string,
  options: StructuredOptions = {},
): Promise<StructuredResult<T>> {
  const { messages: requestMessages, ...call } = request;
  const jsonSchema = jsonSchemaFor(schema);
  const responseFormat = { name, schema: jsonSchema.schema, strict: jsonSchema.strict };
  const auto = (options.format ?? 'auto') === 'auto';
  const memory = options.memory ?? new FormatMemory();
  const wanted = auto ? (memory.get(provider.id, call.model) ?? 'json_schema') : (options.format as WireFormat);
  // A role with no text format of its own takes the next best: JSON in the prompt.
  let format: WireFormat = wanted === 'text' && !options.text ? 'json' : wanted;
  const instructions = (wire: WireFormat): string => formatInstructions(wire, name, jsonSchema.schema, options);
  const messagesFor = async (wire: WireFormat): Promise<ChatMessage[]> => {
    if (typeof requestMessages === 'function') return requestMessages(wire, instructions(wire));
    const extra = wire === 'json_schema' && !options.schemaInPrompt ? '' : instructions(wire);
    return extra ? [...requestMessages, { role: 'user', content: extra }] : [...requestMessages];
  };
  const stepDown = async (to: WireFormat): Promise<void> => {
    format = to;
    memory.remember(provider.id, call.model, to);
    messages = await messagesFor(to);
  };
  let messages = await messagesFor(format);
  const calls: ChatResult[] = [];
  const problems: string[] = [];
  while (calls.length < 2) {
    let result: ChatResult;
    try {
      result = await provider.chat({ ...call, messages, ...(format === 'json_schema' ? { responseFormat } : {}) });
    } catch (error) {
      // A server without structured output refuses the request itself: nothing was answered, so ask again in JSON.
      if (!(auto && format === 'json_schema' && error instanceof RequestRejectedError && refusesResponseFormat(error.status, error.message))) throw error;
      await stepDown('json');
      continue;
    }
    calls.push(result);
    const cutOff = result.finishReason === 'length';
    const checked =
      cutOff && options.keepWholeParts ? keepWhole(result.text, format, schema, options) : readAnswer(result.text, format, schema, options, cutOff);
    if (checked.ok) {
      if (auto && checked.format !== format) memory.remember(provider.id, call.model, checked.format);
      return { value: checked.value, calls, usage: sumUsage(calls), format: checked.format, ...(checked.lost ? { cutOff: checked.lost } : {}) };
    }
    problems.push(checked.problem);
    // A model that cannot keep to JSON gets the role's text format when auto may step down to it.
    const next = auto && checked.unreadable && !cutOff ? nextFormat(format, options.text !== undefined) : undefined;
    if (next && next !== 'json') await stepDown(next);
    // The re-ask shows the model its own answer and exactly what was wrong with it.
    messages.push({ role: 'assistant', content: result.text }, { role: 'user', content: reask(format, name, checked.problem) });
  }
  throw new StructuredOutputError({ providerId: provider.id, model: call.model }, name, problems, calls.at(-1)?.text ?? '');
}

function formatInstructions(format: WireFormat, name: string, schema: Record<string, unknown>, options: StructuredOptions): string {
  if (format === 'text' && options.text) return options.text.instructions;
  if (format === 'json_schema' && !options.schemaInPrompt) return 'Answer with the JSON object only.';
  return `Answer with only a JSON value (no prose, no code fence) following this JSON Schema, "${name}":\n${JSON.stringify(schema)}`;
}

function reask(format: WireFormat, name: string, problem: string): string {
  if (format === 'text') return `That answer could not be used: ${problem}\nAnswer again in the plain-text format described above.`;
  return `That answer is not a valid "${name}": ${problem}\nAnswer again with only the corrected JSON, following the schema exactly.`;
}

type Checked<T> =
  | { ok: true; value: T; format: WireFormat; lost?: string }
  /** `unreadable`: not in the format at all (rather than in it, but wrong). */
  | { ok: false; problem: string; unreadable: boolean };

/** The answer read as what was asked for, or else as the other format the role has. */
function readAnswer<T>(text: string, format: WireFormat, schema: z.ZodType<T>, options: StructuredOptions, cutOff: boolean): Checked<T> {
  const cut = cutOff ? ' (the answer was cut off at the output token limit)' : '';
  const asText = options.text && (format === 'text' || options.text.recognises(text)) ? options.text.read(text) : undefined;
  if (asText?.ok) return validate(asText.value, schema, 'text', cut);
  const json = readJsonAnswer(text, { cutOff });
  if (json.ok) return validate(json.value, schema, format === 'text' ? 'json' : format, cut);
  if (asText) return { ok: false, problem: `${asText.problem}${cut}`, unreadable: false };
  return { ok: false, problem: `it is not valid JSON (${json.problem})${cut}.`, unreadable: true };
}

function keepWhole<T>(text: string, format: WireFormat, schema: z.ZodType<T>, options: StructuredOptions): Checked<T> {
  const shape = options.text && (format === 'text' || options.text.recognises(text)) ? 'text' : format;
  const kept = options.keepWholeParts!(text, shape);
  const checked = validate(kept.value, schema, shape, ' (the answer was cut off at the output token limit)');
  return checked.ok ? { ...checked, lost: kept.lost } : checked;
}

function validate<T>(value: unknown, schema: z.ZodType<T>, format: WireFormat, cut: string): Checked<T> {
  const validated = schema.safeParse(value);
  if (validated.success) return { ok: true, value: validated.data, format };
  const issues = validated.error.issues.slice(0, 8).map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  const more = validated.error.issues.length > 8 ? `; and ${validated.error.issues.length - 8} more` : '';
  return { ok: false, problem: `it does not match the schema (${issues.join('; ')}${more})${cut}.`, unreadable: false };
}

function sumUsage(calls: ChatResult[]): TokenUsage {
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  for (const call of calls) {
    usage.inputTokens += call.usage.inputTokens;
    usage.outputTokens += call.usage.outputTokens;
    if (call.usage.estimated) usage.estimated = true;
  }
  return usage;
}
