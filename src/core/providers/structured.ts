// Structured answers: ask with the zod type's JSON Schema as `response_format: json_schema` (which
// OpenAI, Azure, Ollama, vLLM and LM Studio constrain decoding to), then validate with zod all the
// same, because not every server honours it and none promises to. A bad answer is re-asked once
// with what was wrong; a second bad answer fails with both problems named.
import { z } from 'zod';
import type { ProviderErrorContext } from './errors';
import type { ChatMessage, ChatRequest, ChatResult, Provider, TokenUsage } from './types';

export interface StructuredResult<T> {
  value: T;
  /** One entry per call made: one, or two when the first answer had to be re-asked. */
  calls: ChatResult[];
  usage: TokenUsage;
}

export interface StructuredOptions {
  /**
   * Also put the JSON Schema in the prompt, for providers that ignore response_format (VS Code's
   * language models). Costs the schema's tokens; off by default.
   */
  schemaInPrompt?: boolean;
}

/** The model could not produce a valid answer in two tries. */
export class StructuredOutputError extends Error {
  readonly providerId: string;
  readonly model: string;

  constructor(context: ProviderErrorContext, readonly schemaName: string, readonly problems: string[], readonly lastAnswer: string) {
    const excerpt = lastAnswer.length > 200 ? `${lastAnswer.slice(0, 200)}…` : lastAnswer;
    super(
      `${context.providerId} (${context.model}): asked for a "${schemaName}" as JSON, got no valid one in ${problems.length} tries. ` +
        `${problems.map((p, i) => `Try ${i + 1}: ${p}`).join(' ')} Last answer began: ${JSON.stringify(excerpt)}. ` +
        'Try a stronger model for this role, or one whose server supports structured output.',
    );
    this.name = 'StructuredOutputError';
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
  request: Omit<ChatRequest, 'responseFormat'>,
  schema: z.ZodType<T>,
  name: string,
  options: StructuredOptions = {},
): Promise<StructuredResult<T>> {
  const jsonSchema = jsonSchemaFor(schema);
  const responseFormat = { name, schema: jsonSchema.schema, strict: jsonSchema.strict };
  const messages: ChatMessage[] = [...request.messages];
  if (options.schemaInPrompt) {
    messages.push({ role: 'user', content: `Answer with only a JSON value (no prose, no code fence) following this JSON Schema, "${name}":\n${JSON.stringify(jsonSchema.schema)}` });
  }
  const calls: ChatResult[] = [];
  const problems: string[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = await provider.chat({ ...request, messages, responseFormat });
    calls.push(result);
    const checked = parseAnswer(result, schema);
    if (checked.ok) return { value: checked.value, calls, usage: sumUsage(calls) };
    problems.push(checked.problem);
    // The re-ask shows the model its own answer and exactly what was wrong with it.
    messages.push(
      { role: 'assistant', content: result.text },
      {
        role: 'user',
        content: `That answer is not a valid "${name}": ${checked.problem}\nAnswer again with only the corrected JSON, following the schema exactly.`,
      },
    );
  }
  throw new StructuredOutputError({ providerId: provider.id, model: request.model }, name, problems, calls.at(-1)?.text ?? '');
}

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

function parseAnswer<T>(result: ChatResult, schema: z.ZodType<T>): Checked<T> {
  const cut = result.finishReason === 'length' ? ' (the answer was cut off at the output token limit)' : '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutCodeFence(result.text));
  } catch (error) {
    return { ok: false, problem: `it is not valid JSON (${error instanceof Error ? error.message : String(error)})${cut}.` };
  }
  const validated = schema.safeParse(parsed);
  if (validated.success) return { ok: true, value: validated.data };
  const issues = validated.error.issues.slice(0, 8).map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  const more = validated.error.issues.length > 8 ? `; and ${validated.error.issues.length - 8} more` : '';
  return { ok: false, problem: `it does not match the schema (${issues.join('; ')}${more})${cut}.` };
}

/** Servers without structured output often wrap JSON in a ```json fence; the JSON inside still counts. */
function withoutCodeFence(text: string): string {
  const fenced = /^\s*```[a-zA-Z]*\s*\n([\s\S]*?)\n?```\s*$/.exec(text);
  return fenced?.[1] ?? text;
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
