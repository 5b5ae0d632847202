// Answer formats through the real `openai` client against the scripted server: json_schema, JSON
// in the prompt, the maker's text format, auto stepping down from a server that refuses json_schema
// (and remembering it per model), answers cut off at the output limit, and the per-role setting.
import assert from 'node:assert/strict';
import { FormatMemory } from '../../src/core/providers/answerFormats';
import { RequestRejectedError } from '../../src/core/providers/errors';
import { OpenAICompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { parseProviderSettings, SettingsError } from '../../src/core/providers/providerSettings';
import { RoleRouter } from '../../src/core/providers/router';
import { askStructured, type StructuredOptions } from '../../src/core/providers/structured';
import { keepWholeEdits } from '../../src/core/proposals/cutOffEdits';
import { MakerAnswerSchema } from '../../src/core/proposals/makerSchema';
import { MAKER_TEXT_FORMAT } from '../../src/core/proposals/textEdits';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';

const ASK = {
  model: 'local-coder',
  messages: [
    { role: 'system' as const, content: 'You edit code.' },
    { role: 'user' as const, content: 'Say nothing for an empty cart.' },
  ],
};
const EDIT = { kind: 'replace', path: 'src/cart.ts', search: "    return 'empty';\n", replace: "    return 'nothing';\n" };
const ANSWER = { summary: 'Say nothing', edits: [EDIT] };
const TEXT_ANSWER = "Summary: Say nothing\n\nsrc/cart.ts\n```ts\n<<<<<<< SEARCH\n    return 'empty';\n=======\n    return 'nothing';\n>>>>>>> REPLACE\n```\n";
const MAKER: StructuredOptions = { text: MAKER_TEXT_FORMAT, keepWholeParts: keepWholeEdits };

interface Body {
  response_format?: { type: string };
  messages: { role: string; content: string }[];
}

describe('answer formats', () => {
  let server: ScriptedServer;
  let provider: OpenAICompatibleProvider;

  beforeEach(async () => {
    server = await ScriptedServer.start();
    provider = new OpenAICompatibleProvider({ id: 'ollama', preset: 'ollama', baseURL: server.baseURL });
  });
  afterEach(async () => {
    await server.close();
  });

  const body = (call: number): Body => server.chatRequests[call]!.body as Body;

  it('auto: a server that refuses json_schema is asked again with the schema in the prompt, and the model is remembered', async () => {
    server.structuredOutput = false;
    server.enqueue({ text: `Here is the change:\n\`\`\`json\n${JSON.stringify(ANSWER)}\n\`\`\`` });
    const memory = new FormatMemory();
    const first = await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { ...MAKER, format: 'auto', memory });
    assert.deepEqual(first.value, ANSWER);
    assert.equal(first.format, 'json');
    assert.equal(server.chatRequests.length, 2, 'the refused request, then one in JSON');
    assert.equal(body(0).response_format?.type, 'json_schema');
    assert.equal(body(1).response_format, undefined, 'no response_format the second time');
    assert.match(body(1).messages.at(-1)!.content, /^Answer with only a JSON value .* JSON Schema, "edits":\n\{/s);

    // The next call to the same model starts in JSON: no refused request first.
    server.enqueue({ json: ANSWER });
    const second = await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { ...MAKER, format: 'auto', memory });
    assert.equal(second.format, 'json');
    assert.equal(server.chatRequests.length, 3);
    assert.equal(body(2).response_format, undefined);
    // Another model on the same server is still tried with json_schema first.
    server.enqueue({ json: ANSWER });
    await askStructured(provider, { ...ASK, model: 'other-model' }, MakerAnswerSchema, 'edits', { ...MAKER, format: 'auto', memory });
    assert.equal(body(3).response_format?.type, 'json_schema');
    assert.equal(body(4).response_format, undefined);
  });

  it('auto: a model that cannot keep to JSON is asked for the text format, and it is remembered', async () => {
    server.structuredOutput = false;
    server.enqueue({ text: 'I would return "nothing" for an empty cart.' }, { text: TEXT_ANSWER });
    const memory = new FormatMemory();
    const result = await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { ...MAKER, format: 'auto', memory });
    assert.deepEqual(result.value, ANSWER);
    assert.equal(result.format, 'text');
    const reask = body(2).messages;
    assert.match(reask.at(-3)!.content, /<<<<<<< SEARCH/, 'the text format is described');
    assert.match(reask.at(-1)!.content, /not valid JSON.*\nAnswer again in the plain-text format/s);
    assert.equal(memory.get('ollama', 'local-coder'), 'text');
  });

  it('auto: an answer in blocks where JSON was asked is read as the text format', async () => {
    server.enqueue({ text: TEXT_ANSWER });
    const memory = new FormatMemory();
    const result = await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { ...MAKER, format: 'auto', memory });
    assert.deepEqual(result.value, ANSWER);
    assert.equal(server.chatRequests.length, 1);
    assert.equal(memory.get('ollama', 'local-coder'), 'text');
  });

  it('text: asks for fenced search/replace blocks with no response_format, and names a block it cannot use', async () => {
    server.enqueue(
      { text: "Summary: x\n```\n<<<<<<< SEARCH\n    return 'empty';\n=======\n    return 'nothing';\n>>>>>>> REPLACE\n```\n" },
      { text: TEXT_ANSWER },
    );
    const result = await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { ...MAKER, format: 'text' });
    assert.deepEqual(result.value, ANSWER);
    assert.equal(body(0).response_format, undefined);
    assert.match(body(0).messages.at(-1)!.content, /^Answer in this plain-text format, not JSON\./);
    assert.match(body(1).messages.at(-1)!.content, /block 1 names no file: put the file's path alone on the line above/);
  });

  it('json_schema chosen explicitly: a refusal is the error, with no second format tried', async () => {
    server.structuredOutput = false;
    await assert.rejects(askStructured(provider, ASK, MakerAnswerSchema, 'edits', { ...MAKER, format: 'json_schema' }), (error: unknown) => {
      assert.ok(error instanceof RequestRejectedError);
      assert.match(error.message, /HTTP 400: response_format type 'json_schema' is not supported/);
      return true;
    });
    assert.equal(server.chatRequests.length, 1);
  });

  it('repairs trailing commas and raw line breaks in JSON, but never repairs an answer cut off at the limit', async () => {
    server.enqueue({
      text: `{"summary": "Say nothing", "edits": [{"kind": "replace", "path": "src/cart.ts", "search": "    return 'empty';\n", "replace": "    return 'nothing';\n",},],}`,
    });
    assert.deepEqual((await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { format: 'json' })).value, ANSWER);
    // Without keepWholeParts (the planner, the breaker) a cut answer is re-asked, not completed.
    const cut = JSON.stringify(ANSWER).slice(0, -20);
    server.enqueue({ text: cut, finishReason: 'length' }, { json: ANSWER });
    const result = await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { format: 'json' });
    assert.equal(result.calls.length, 2);
    assert.match(body(2).messages.at(-1)!.content, /cut off at the output token limit/);
  });

  it('keeps only the whole edits of an answer cut off at the output limit, and says what was lost', async () => {
    const two = { summary: 'Two changes', edits: [EDIT, { ...EDIT, search: '  let sum = 0;\n', replace: '  let sum = 0; // cents\n' }] };
    const text = JSON.stringify(two);
    server.enqueue({ text: text.slice(0, text.indexOf('// cents')), finishReason: 'length' });
    const result = await askStructured(provider, ASK, MakerAnswerSchema, 'edits', { ...MAKER, format: 'json_schema' });
    assert.deepEqual(result.value, { summary: 'Two changes', edits: [EDIT] });
    assert.equal(result.calls.length, 1, 'no re-ask: the maker asks for the rest itself');
    assert.match(result.cutOff ?? '', /cut off at the output limit after 1 whole edit: the edit after edit 1 was incomplete and was dropped/);
  });

  it("the router gives each role its answer format and one memory; text is the maker's alone", async () => {
    const router = RoleRouter.fromSettings(
      { roles: { maker: { provider: 'ollama', model: 'm', answerFormat: 'text' }, breaker: { provider: 'ollama', model: 'b' } } },
      { secrets: new MemorySecretStore() },
    );
    const maker = await router.bindingFor('maker');
    const breaker = await router.bindingFor('breaker');
    assert.equal(maker.answerFormat.format, 'text');
    assert.equal(breaker.answerFormat.format, 'auto');
    assert.equal(maker.answerFormat.memory, breaker.answerFormat.memory);
    assert.throws(
      () => parseProviderSettings({ roles: { planner: { provider: 'ollama', model: 'p', answerFormat: 'text' } } }),
      (error: unknown) => {
        assert.ok(error instanceof SettingsError);
        assert.equal(
          error.message,
          'Invalid setting: baton.roles.planner.answerFormat cannot be text: only the maker has a plain-text format; use auto, json_schema or json',
        );
        return true;
      },
    );
    assert.throws(
      () => parseProviderSettings({ roles: { maker: { provider: 'ollama', model: 'm', answerFormat: 'yaml' } } }),
      /baton\.roles\.maker\.answerFormat must be one of auto, json_schema, json, text/,
    );
  });
});
