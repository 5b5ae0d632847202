// Model facts (context window, output limit, prices, tokenizer) from the price table and from the
// servers themselves, and the pre-flight estimate made before every call.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OLLAMA_DEFAULT_CONTEXT } from '../../src/core/providers/contextDiscovery';
import { OpenAICompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { PROVIDER_PRESETS, presetForBaseURL } from '../../src/core/providers/presets';
import { DEFAULT_PRICE_TABLE, estimateCost, lookupModelPrice, mergePriceTables, preflight } from '../../src/core/providers/prices';
import type { ModelFacts } from '../../src/core/providers/types';
import { ScriptedServer } from '../support/scriptedServer';

describe('model facts', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  const ollama = (): OpenAICompatibleProvider => new OpenAICompatibleProvider({ id: 'ollama', preset: 'ollama', baseURL: server.baseURL });

  it("reads Ollama's runtime context of a loaded model from /api/ps, not the model's maximum", async () => {
    server.ollamaModels.set('llama3.1:8b', { trainedContext: 131_072, numCtx: 16_384, loadedContext: 8_192 });
    const facts = await ollama().modelFacts('llama3.1:8b');
    assert.equal(facts.contextWindow, 8_192);
    assert.match(facts.source, /\/api\/ps/);
    assert.equal(facts.inputPricePerMTok, 0);
    assert.equal(facts.outputPricePerMTok, 0);
  });

  it('uses num_ctx from /api/show when the model is not loaded, capped by the trained maximum', async () => {
    server.ollamaModels.set('qwen2.5-coder', { trainedContext: 32_768, numCtx: 16_384 });
    server.ollamaModels.set('tiny', { trainedContext: 2_048, numCtx: 8_192 });
    assert.equal((await ollama().modelFacts('qwen2.5-coder')).contextWindow, 16_384);
    assert.equal((await ollama().modelFacts('tiny')).contextWindow, 2_048);
    const show = server.requests.find((r) => r.path === '/api/show');
    assert.equal(show?.method, 'POST');
    assert.deepEqual(show?.body, { model: 'qwen2.5-coder' });
  });

  it("falls back to Ollama's default context when nothing sets num_ctx", async () => {
    server.ollamaModels.set('mistral', { trainedContext: 32_768 });
    const facts = await ollama().modelFacts('mistral');
    assert.equal(facts.contextWindow, OLLAMA_DEFAULT_CONTEXT);
    assert.match(facts.source, /default context/);
  });

  it("reads vLLM's max_model_len from /v1/models", async () => {
    server.models = [{ id: 'Qwen/Qwen2.5-Coder-32B-Instruct', object: 'model', max_model_len: 32_768 }];
    const vllm = new OpenAICompatibleProvider({ id: 'vllm', preset: 'vllm', baseURL: server.baseURL });
    const facts = await vllm.modelFacts('Qwen/Qwen2.5-Coder-32B-Instruct');
    assert.equal(facts.contextWindow, 32_768);
    assert.match(facts.source, /max_model_len/);
  });

  it("takes OpenAI models' limits and prices from the table, with the model's tokenizer", async () => {
    const openai = new OpenAICompatibleProvider({ id: 'openai', preset: 'openai', baseURL: server.baseURL, apiKey: 'sk' });
    const facts = await openai.modelFacts('gpt-4o-mini-2024-07-18');
    assert.deepEqual(
      { ...facts, source: '' },
      { contextWindow: 128_000, maxOutputTokens: 16_384, inputPricePerMTok: 0.15, outputPricePerMTok: 0.6, encoding: 'o200k_base', source: '' },
    );
    const unknown = await openai.modelFacts('my-finetune');
    assert.equal(unknown.contextWindow, 8_192);
    assert.match(unknown.source, /add it to baton\.prices/);
    assert.equal(unknown.encoding, 'cl100k_base');
  });
});

describe('prices and pre-flight', () => {
  const facts: ModelFacts = {
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    inputPricePerMTok: 2.5,
    outputPricePerMTok: 10,
    encoding: 'o200k_base',
    source: 'test',
  };

  it('finds the longest matching model name, through vendor prefixes and dated snapshots', () => {
    assert.equal(lookupModelPrice(DEFAULT_PRICE_TABLE, 'openai/gpt-4o')?.name, 'gpt-4o');
    assert.equal(lookupModelPrice(DEFAULT_PRICE_TABLE, 'gpt-4o-2024-08-06')?.name, 'gpt-4o');
    assert.equal(lookupModelPrice(DEFAULT_PRICE_TABLE, 'gpt-4.1-mini-2025-04-14')?.name, 'gpt-4.1-mini');
    assert.equal(lookupModelPrice(DEFAULT_PRICE_TABLE, 'llama3.2'), undefined);
  });

  it("lets the person's table override prices while keeping what it does not say", () => {
    const table = mergePriceTables(DEFAULT_PRICE_TABLE, {
      'gpt-4o': { inputPricePerMTok: 1 },
      'My-Local': { inputPricePerMTok: 0.01, outputPricePerMTok: 0.02, contextWindow: 32_000 },
    });
    assert.deepEqual(table['gpt-4o'], { inputPricePerMTok: 1, outputPricePerMTok: 10, contextWindow: 128_000, maxOutputTokens: 16_384 });
    assert.equal(lookupModelPrice(table, 'my-local')?.price.contextWindow, 32_000);
    assert.equal(DEFAULT_PRICE_TABLE['gpt-4o']?.inputPricePerMTok, 2.5, 'the defaults are untouched');
  });

  it('costs a call from its usage', () => {
    assert.equal(estimateCost({ inputTokens: 1_000_000, outputTokens: 100_000 }, facts), 3.5);
  });

  it('estimates tokens, cost and whether the call fits before it is made', () => {
    const estimate = preflight({ promptTokens: 8_192, maxOutputTokens: 1_000, facts });
    assert.equal(estimate.tokens, 9_192);
    assert.equal(estimate.fitsContext, true);
    assert.equal(estimate.attention, 1);
    assert.ok(Math.abs(estimate.cost - (8_192 * 2.5 + 1_000 * 10) / 1e6) < 1e-12);
    assert.equal(preflight({ promptTokens: 127_500, maxOutputTokens: 1_000, facts }).fitsContext, false);
  });

  it('grows attention cost with the square of the prompt length', () => {
    assert.equal(preflight({ promptTokens: 16_384, maxOutputTokens: 0, facts }).attention, 4);
    assert.equal(preflight({ promptTokens: 4_096, maxOutputTokens: 0, facts }).attention, 0.25);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 8 }), (tokens, factor) => {
        const once = preflight({ promptTokens: tokens, maxOutputTokens: 0, facts }).attention;
        const scaled = preflight({ promptTokens: tokens * factor, maxOutputTokens: 0, facts }).attention;
        return Math.abs(scaled / once - factor * factor) < 1e-9;
      }),
    );
  });
});

describe('presets', () => {
  it('cover the six servers with their default addresses', () => {
    assert.deepEqual(
      Object.values(PROVIDER_PRESETS).map((p) => [p.id, p.defaultBaseURL, p.needsKey]),
      [
        ['openai', 'https://api.openai.com/v1', true],
        ['azure', 'https://RESOURCE.openai.azure.com/openai', true],
        ['ollama', 'http://127.0.0.1:11434/v1', false],
        ['lmstudio', 'http://127.0.0.1:1234/v1', false],
        ['vllm', 'http://127.0.0.1:8000/v1', false],
        ['openrouter', 'https://openrouter.ai/api/v1', true],
      ],
    );
  });

  it('guess the server behind a base URL', () => {
    assert.equal(presetForBaseURL('http://localhost:11434/v1'), 'ollama');
    assert.equal(presetForBaseURL('http://127.0.0.1:8000/v1'), 'vllm');
    assert.equal(presetForBaseURL('https://openrouter.ai/api/v1'), 'openrouter');
    assert.equal(presetForBaseURL('https://contoso.openai.azure.com/openai'), 'azure');
    assert.equal(presetForBaseURL('https://api.openai.com/v1'), 'openai');
  });
});
