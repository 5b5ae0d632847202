// Structured answers through the real client: json_schema in the request, zod validation of the
// answer, one re-ask carrying the validation error, then a clear failure.
import assert from 'node:assert/strict';
import * as z from 'zod';
import { OpenAICompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { StructuredOutputError, askStructured, jsonSchemaFor } from '../../src/core/providers/structured';
import type { ChatRequest } from '../../src/core/providers/types';
import { ScriptedServer } from '../support/scriptedServer';

const Plan = z.object({
  title: z.string().min(1),
  steps: z.array(z.object({ id: z.int(), summary: z.string(), delegate: z.boolean() })).min(1),
  risk: z.enum(['low', 'medium', 'high']).nullable(),
});

const ASK: Omit<ChatRequest, 'responseFormat'> = {
  model: 'gpt-4.1',
  messages: [
    { role: 'system', content: 'You plan.' },
    { role: 'user', content: 'Plan: add a cart total.' },
  ],
};
const GOOD = { title: 'Cart total', steps: [{ id: 1, summary: 'Add total()', delegate: true }], risk: 'low' };

describe('structured output', () => {
  let server: ScriptedServer;
  let provider: OpenAICompatibleProvider;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    provider = new OpenAICompatibleProvider({ id: 'openai', preset: 'openai', baseURL: server.baseURL, apiKey: 'sk-test' });
  });
  afterEach(async () => {
    await server.close();
  });

  function bodyOf(call: number): Record<string, unknown> {
    return server.chatRequests[call]?.body as Record<string, unknown>;
  }

  it('asks with response_format json_schema carrying the zod type as strict JSON Schema', async () => {
    server.enqueue({ json: GOOD, usage: { promptTokens: 40, completionTokens: 20 } });
    const result = await askStructured(provider, ASK, Plan, 'task_plan');
    assert.deepEqual(result.value, GOOD);
    assert.equal(result.calls.length, 1);
    assert.deepEqual(result.usage, { inputTokens: 40, outputTokens: 20 });
    const format = bodyOf(0).response_format as { type: string; json_schema: { name: string; strict: boolean; schema: Record<string, unknown> } };
    assert.equal(format.type, 'json_schema');
    assert.equal(format.json_schema.name, 'task_plan');
    assert.equal(format.json_schema.strict, true);
    assert.equal(format.json_schema.schema.type, 'object');
    assert.equal(format.json_schema.schema.additionalProperties, false);
    assert.deepEqual(format.json_schema.schema.required, ['title', 'steps', 'risk']);
    assert.equal(format.json_schema.schema.$schema, undefined);
  });

  it('re-asks once with the validation error, then accepts a valid answer', async () => {
    server.enqueue({ json: { title: '', steps: [], risk: 'extreme' } }, { json: GOOD });
    const result = await askStructured(provider, ASK, Plan, 'task_plan');
    assert.deepEqual(result.value, GOOD);
    assert.equal(result.calls.length, 2);
    const second = bodyOf(1).messages as Array<{ role: string; content: string }>;
    assert.equal(second.length, ASK.messages.length + 2);
    assert.equal(second.at(-2)?.role, 'assistant');
    assert.equal(second.at(-2)?.content, JSON.stringify({ title: '', steps: [], risk: 'extreme' }));
    const reask = second.at(-1)?.content ?? '';
    assert.match(reask, /not a valid "task_plan"/);
    assert.match(reask, /title: /);
    assert.match(reask, /steps: /);
    assert.match(reask, /risk: /);
    assert.ok(bodyOf(1).response_format, 'the re-ask is structured too');
  });

  it('re-asks after text that is not JSON', async () => {
    server.enqueue({ text: 'Sure! Here is the plan: step one...' }, { json: GOOD });
    const result = await askStructured(provider, ASK, Plan, 'task_plan');
    assert.deepEqual(result.value, GOOD);
    const reask = (bodyOf(1).messages as Array<{ content: string }>).at(-1)?.content ?? '';
    assert.match(reask, /not valid JSON/);
  });

  it('accepts JSON wrapped in a code fence', async () => {
    server.enqueue({ text: '```json\n' + JSON.stringify(GOOD) + '\n```' });
    const result = await askStructured(provider, ASK, Plan, 'task_plan');
    assert.deepEqual(result.value, GOOD);
  });

  it('fails with StructuredOutputError naming what was asked and what was wrong, after two tries', async () => {
    server.enqueue({ json: { title: 'x' } }, { text: 'still not json' });
    await assert.rejects(askStructured(provider, ASK, Plan, 'task_plan'), (error: unknown) => {
      assert.ok(error instanceof StructuredOutputError);
      assert.equal(error.problems.length, 2);
      assert.match(error.message, /^openai \(gpt-4\.1\): asked for a "task_plan" as JSON, got no valid one in 2 tries\./);
      assert.match(error.message, /Try 1: it does not match the schema \(steps: .*\)/);
      assert.match(error.message, /Try 2: it is not valid JSON/);
      assert.match(error.message, /Last answer began: "still not json"/);
      return true;
    });
    assert.equal(server.chatRequests.length, 2);
  });

  it('says when an answer was cut off at the output limit', async () => {
    server.enqueue({ text: '{"title": "Cart', finishReason: 'length' }, { text: '{"title": "Cart', finishReason: 'length' });
    await assert.rejects(askStructured(provider, { ...ASK, maxOutputTokens: 5 }, Plan, 'task_plan'), /cut off at the output token limit/);
  });

  it('turns strict mode off for schemas with optional fields, and can put the schema in the prompt', async () => {
    const Loose = z.object({ name: z.string(), note: z.string().optional() });
    assert.equal(jsonSchemaFor(Loose).strict, false);
    assert.equal(jsonSchemaFor(Plan).strict, true);
    // A discriminated union becomes oneOf, which strict mode refuses; a plain union (anyOf) is fine.
    const shapes = [z.object({ kind: z.literal('a'), a: z.string() }), z.object({ kind: z.literal('b'), b: z.number() })] as const;
    assert.equal(jsonSchemaFor(z.object({ item: z.discriminatedUnion('kind', [...shapes]) })).strict, false);
    assert.equal(jsonSchemaFor(z.object({ item: z.union([...shapes]) })).strict, true);
    server.enqueue({ json: { name: 'n' } });
    const result = await askStructured(provider, ASK, Loose, 'named', { schemaInPrompt: true });
    assert.deepEqual(result.value, { name: 'n' });
    const format = bodyOf(0).response_format as { json_schema: { strict: boolean } };
    assert.equal(format.json_schema.strict, false);
    const messages = bodyOf(0).messages as Array<{ content: string }>;
    assert.match(messages.at(-1)?.content ?? '', /JSON Schema, "named"/);
  });
});
