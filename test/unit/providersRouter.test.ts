// Role routing: settings validated with messages naming the setting, keys only from the SecretStore,
// usage and cost recorded per call, and the CLI's environment variables.
import assert from 'node:assert/strict';
import { KeyWithheldError, MissingKeyError } from '../../src/core/providers/errors';
import { settingsFromEnvironment } from '../../src/core/providers/environmentSettings';
import { SettingsError, parseProviderSettings } from '../../src/core/providers/providerSettings';
import { HYBRID_EXAMPLE_SETTINGS, RoleNotConfiguredError, RoleRouter, type KeyDestination } from '../../src/core/providers/router';
import type { Provider } from '../../src/core/providers/types';
import { UsageLedger } from '../../src/core/providers/usage';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';

function settingsProblem(raw: unknown): string {
  try {
    parseProviderSettings(raw);
  } catch (error) {
    assert.ok(error instanceof SettingsError);
    return error.message;
  }
  assert.fail('expected a SettingsError');
}

describe('provider settings', () => {
  it('names the bad setting and what it must be', () => {
    assert.equal(
      settingsProblem({ roles: { maker: { provider: 'openai', model: '  ' } } }),
      'Invalid setting: baton.roles.maker.model must be a non-empty string',
    );
    assert.match(
      settingsProblem({ roles: { planner: { provider: 'opneai', model: 'gpt-4o' } } }),
      /baton\.roles\.planner\.provider must be one of openai, azure, ollama, lmstudio, vllm, openrouter/,
    );
    assert.match(
      settingsProblem({ roles: { breaker: { provider: 'ollama', model: 'm', temperature: 7 } } }),
      /baton\.roles\.breaker\.temperature must be a number from 0 to 2/,
    );
    assert.match(
      settingsProblem({ roles: { summariser: { provider: 'ollama', model: 'm', baseURL: 'localhost:11434' } } }),
      /baton\.roles\.summariser\.baseURL must be an http\(s\) URL/,
    );
    assert.match(settingsProblem({ roles: { maker: 'gpt-4o' } }), /baton\.roles\.maker must be an object/);
    assert.match(settingsProblem({ roles: { critic: { provider: 'openai', model: 'gpt-4o' } } }), /baton\.roles\.critic is not a known setting/);
    assert.match(settingsProblem({ network: { maxRetries: 99 } }), /baton\.network\.maxRetries must be a whole number from 0 to 10/);
    assert.match(settingsProblem({ prices: { 'my-model': { inputPricePerMTok: -1 } } }), /baton\.prices\.my-model\.inputPricePerMTok must be 0 or more/);
  });

  it('lists every bad setting at once', () => {
    const message = settingsProblem({ roles: { maker: { provider: 'openai', model: '' }, planner: { provider: 'x', model: 'y' } } });
    assert.match(message, /^Invalid settings:\n- /);
    assert.match(message, /baton\.roles\.maker\.model/);
    assert.match(message, /baton\.roles\.planner\.provider/);
  });

  it('refuses a key in settings and points to SecretStorage', () => {
    assert.match(
      settingsProblem({ roles: { maker: { provider: 'openai', model: 'gpt-4o', apiKey: 'sk-live' } } }),
      /baton\.roles\.maker\.apiKey is not allowed: API keys are kept in SecretStorage only/,
    );
  });

  it('accepts the hybrid example and ignores unrelated baton settings', () => {
    const settings = parseProviderSettings({ ...HYBRID_EXAMPLE_SETTINGS, context: { budget: 16000 } });
    assert.equal(settings.roles?.summariser?.provider, 'ollama');
    assert.equal(settings.roles?.planner?.provider, 'openai');
    assert.equal((settings as Record<string, unknown>).context, undefined);
  });
});

describe('role router', () => {
  let server: ScriptedServer;
  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('binds each role to its provider and model, with the key from the SecretStore', async () => {
    const secrets = new MemorySecretStore({ 'baton.key.openai': 'sk-from-secret-storage' });
    const router = RoleRouter.fromSettings(
      {
        roles: {
          maker: { provider: 'openai', model: 'gpt-4.1', baseURL: server.baseURL, temperature: 0.2 },
          summariser: { provider: 'ollama', model: 'qwen2.5-coder:7b', baseURL: server.baseURL },
        },
      },
      { secrets },
    );
    server.enqueue({ text: 'code' }, { text: 'summary' });
    const maker = await router.bindingFor('maker');
    assert.equal(maker.model, 'gpt-4.1');
    assert.equal(maker.temperature, 0.2);
    await maker.provider.chat({ model: maker.model, messages: [{ role: 'user', content: 'write' }] });
    const summariser = await router.bindingFor('summariser');
    await summariser.provider.chat({ model: summariser.model, messages: [{ role: 'user', content: 'sum up' }] });
    assert.equal(server.chatRequests[0]?.headers.authorization, 'Bearer sk-from-secret-storage');
    assert.notEqual(server.chatRequests[1]?.headers.authorization, 'Bearer sk-from-secret-storage', 'the local model gets no cloud key');
    assert.deepEqual(secrets.reads, ['baton.key.openai', 'baton.key.ollama']);
  });

  it("keeps a stored key from an address other than its provider's own until the person says it may go there", async () => {
    const secrets = new MemorySecretStore({ 'baton.key.openai': 'sk-from-secret-storage' });
    const asked: KeyDestination[] = [];
    let answer = false;
    const settings = { roles: { maker: { provider: 'openai', model: 'gpt-4.1', baseURL: `${server.baseURL}/` } } };
    const router = RoleRouter.fromSettings(settings, { secrets, keyMayGoTo: async (d) => (asked.push(d), answer) });
    await assert.rejects(router.bindingFor('maker'), (error: unknown) => {
      assert.ok(error instanceof KeyWithheldError);
      assert.match(
        error.message,
        /the key stored as "baton\.key\.openai" was not sent to http:\/\/127\.0\.0\.1:\d+\/v1\/: you have not said this key may go there/,
      );
      return true;
    });
    assert.deepEqual(asked, [{ role: 'maker', providerId: 'openai', keyName: 'baton.key.openai', baseURL: `${server.baseURL}/` }]);
    assert.equal(server.requests.length, 0, 'nothing reached the address');

    answer = true;
    server.enqueue({ text: 'code' });
    const maker = await router.bindingFor('maker');
    await maker.provider.chat({ model: maker.model, messages: [{ role: 'user', content: 'write' }] });
    assert.equal(server.chatRequests[0]?.headers.authorization, 'Bearer sk-from-secret-storage', 'sent once allowed');

    // The provider's own server, and a provider with no key stored, need no question.
    const own = RoleRouter.fromSettings(
      { roles: { maker: { provider: 'openai', model: 'gpt-4.1', baseURL: 'https://api.openai.com/v1/' } } },
      { secrets, keyMayGoTo: async (d) => (asked.push(d), false) },
    );
    await own.bindingFor('maker');
    const keyless = RoleRouter.fromSettings(
      { roles: { maker: { provider: 'vllm', model: 'm', baseURL: server.baseURL } } },
      { secrets, keyMayGoTo: async (d) => (asked.push(d), false) },
    );
    await keyless.bindingFor('maker');
    assert.equal(asked.length, 2, 'asked only for the other address');
  });

  it("asks before another provider's key goes anywhere, and before an Azure key goes to any resource; a setting can name no secret but a key", async () => {
    const secrets = new MemorySecretStore({ 'baton.key.openai': 'sk-openai', 'baton.checkpointKey.abc': 'signing-key', 'baton.key.azure': 'az' });
    const asked: KeyDestination[] = [];
    const deps = { secrets, keyMayGoTo: async (d: KeyDestination) => (asked.push(d), false) };
    // The OpenAI key, named by a role on openrouter's own server: asked, kept back.
    const borrowed = RoleRouter.fromSettings({ roles: { maker: { provider: 'openrouter', model: 'm', keyName: 'baton.key.openai' } } }, deps);
    await assert.rejects(borrowed.bindingFor('maker'), KeyWithheldError);
    assert.deepEqual(asked.at(-1), { role: 'maker', providerId: 'openrouter', keyName: 'baton.key.openai', baseURL: 'https://openrouter.ai/api/v1' });
    // Azure has no server of its own: the placeholder address, lower-cased, is asked about too.
    const azure = RoleRouter.fromSettings({ roles: { maker: { provider: 'azure', model: 'd', baseURL: 'https://resource.openai.azure.com/openai' } } }, deps);
    await assert.rejects(azure.bindingFor('maker'), KeyWithheldError);
    assert.equal(asked.length, 2);
    // A keyName that names another secret reads a key of that name, never the secret.
    const vllm = RoleRouter.fromSettings(
      { roles: { maker: { provider: 'vllm', model: 'm', baseURL: server.baseURL, keyName: 'baton.checkpointKey.abc' } } },
      deps,
    );
    await vllm.bindingFor('maker');
    assert.deepEqual(secrets.reads.at(-1), 'baton.key.baton.checkpointKey.abc');
    assert.equal(asked.length, 2, 'no key found, nothing to ask about');
  });

  it('says which key is missing for a provider that needs one', async () => {
    const router = RoleRouter.fromSettings({ roles: { planner: { provider: 'openrouter', model: 'openai/gpt-4o' } } }, { secrets: new MemorySecretStore() });
    await assert.rejects(router.bindingFor('planner'), (error: unknown) => {
      assert.ok(error instanceof MissingKeyError);
      assert.match(error.message, /^openrouter \(openai\/gpt-4o\): no API key is stored as "baton\.key\.openrouter"/);
      return true;
    });
  });

  it('says how to configure a role that has no model', async () => {
    const router = RoleRouter.fromSettings({}, { secrets: new MemorySecretStore() });
    assert.equal(router.isConfigured('breaker'), false);
    await assert.rejects(
      router.bindingFor('breaker'),
      (error: unknown) => error instanceof RoleNotConfiguredError && /set baton\.roles\.breaker/.test(error.message),
    );
  });

  it('routes to providers the host adds, by id', async () => {
    const editorModels: Provider = {
      id: 'vscode-lm',
      chat: async (request) => ({ text: 'from the editor', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 }, model: request.model }),
      modelFacts: async () => ({ contextWindow: 1, maxOutputTokens: 1, inputPricePerMTok: 0, outputPricePerMTok: 0, encoding: 'o200k_base', source: 'test' }),
    };
    const router = RoleRouter.fromSettings(
      { roles: { maker: { provider: 'vscode-lm', model: 'copilot/gpt-4o' } } },
      { secrets: new MemorySecretStore(), extraProviders: { 'vscode-lm': editorModels } },
    );
    const binding = await router.bindingFor('maker');
    assert.equal((await binding.provider.chat({ model: binding.model, messages: [] })).text, 'from the editor');
  });

  it("records usage and cost per call, with the person's prices over the defaults", async () => {
    const ledger = new UsageLedger();
    const router = RoleRouter.fromSettings(
      {
        roles: { maker: { provider: 'openai', model: 'gpt-4o', baseURL: server.baseURL } },
        prices: { 'gpt-4o': { inputPricePerMTok: 1, outputPricePerMTok: 2 } },
      },
      { secrets: new MemorySecretStore({ 'baton.key.openai': 'sk' }), ledger },
    );
    server.enqueue(
      { text: 'a', usage: { promptTokens: 1_000_000, completionTokens: 500_000 } },
      { text: 'b', usage: { promptTokens: 2_000, completionTokens: 1_000 } },
    );
    const maker = await router.bindingFor('maker');
    await maker.provider.chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'one' }] });
    await maker.provider.chat({ model: 'gpt-4o', messages: [{ role: 'user', content: 'two' }] });
    assert.equal(ledger.records.length, 2);
    assert.deepEqual(
      { ...ledger.records[0], at: 0 },
      { at: 0, providerId: 'openai', model: 'gpt-4o', role: 'maker', inputTokens: 1_000_000, outputTokens: 500_000, estimated: false, cost: 2 },
    );
    assert.equal(ledger.records[1]?.cost, 0.004);
    const totals = ledger.totals();
    assert.equal(totals.calls, 2);
    assert.equal(totals.inputTokens, 1_002_000);
    assert.ok(Math.abs(totals.cost - 2.004) < 1e-9);
    // The person's table kept the default context window of the entry it overrode.
    assert.equal((await maker.provider.modelFacts('gpt-4o')).contextWindow, 128_000);
  });

  it('reports retries per role', async () => {
    const seen: string[] = [];
    const router = RoleRouter.fromSettings(
      { roles: { summariser: { provider: 'ollama', model: 'llama3.2', baseURL: server.baseURL } }, network: { maxRetries: 1 } },
      { secrets: new MemorySecretStore(), onStatus: (role, status) => seen.push(`${role}: ${status.message}`) },
    );
    server.enqueue({ status: 503, retryAfter: '0' }, { text: 'ok' });
    const binding = await router.bindingFor('summariser');
    await binding.provider.chat({ model: binding.model, messages: [{ role: 'user', content: 'x' }] });
    assert.deepEqual(seen, ['summariser: server error 503, retrying in 0 s (attempt 2 of 2)']);
  });
});

describe('CLI environment', () => {
  it("puts every role on OPENAI_MODEL at OPENAI_BASE_URL, with OPENAI_API_KEY as that provider's key", async () => {
    const { settings, secrets } = settingsFromEnvironment({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_MODEL: 'llama3.2', OPENAI_API_KEY: 'k' });
    assert.deepEqual(settings.roles?.planner, { provider: 'ollama', model: 'llama3.2', baseURL: 'http://127.0.0.1:11434/v1' });
    assert.deepEqual(settings.roles?.summariser, settings.roles?.maker);
    assert.equal(await secrets.get('baton.key.ollama'), 'k');
  });

  it('configures no role without OPENAI_MODEL, and names a bad OPENAI_BASE_URL', async () => {
    assert.equal(settingsFromEnvironment({ OPENAI_API_KEY: 'k' }).settings.roles, undefined);
    assert.throws(() => settingsFromEnvironment({ OPENAI_BASE_URL: 'localhost:8000', OPENAI_MODEL: 'm' }), /OPENAI_BASE_URL must be an http\(s\) URL/);
  });
});
