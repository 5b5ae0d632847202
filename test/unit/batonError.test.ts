import { strict as assert } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import { OpenAI } from 'openai';
import { BatonError, CancellationError, errorKind, isCancellation } from '../../src/core/batonError';
import { CheckpointError } from '../../src/core/checkpoints/checkpointError';
import { TimeSlicer } from '../../src/core/context/timeSlicer';
import { ChangedSinceProposalError } from '../../src/core/proposals/types';
import { ConnectionFailedError } from '../../src/core/providers/errors';
import { OpenAICompatibleProvider } from '../../src/core/providers/openaiCompatible';
import { SettingsError } from '../../src/core/providers/providerSettings';
import { NodeRunFailure } from '../../src/core/run/savedNodeRun';
import { PathRefusedError } from '../../src/core/security/pathPolicy';
import { ScriptedServer } from '../support/scriptedServer';

/** What `work` rejects with (it must reject). */
async function rejection(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => assert.fail('expected a rejection'),
    (err: unknown) => err,
  );
}

describe('errors: one base whose kind says how to show it, and one isCancellation()', function () {
  this.timeout(20_000);
  let server: ScriptedServer;

  beforeEach(async () => {
    server = await ScriptedServer.start();
  });
  afterEach(() => server.close());

  it('a provider call aborted while its answer streams is a cancellation, not a provider failure', async () => {
    server.enqueue({ text: 'a long answer '.repeat(200), chunkChars: 4, chunkDelayMs: 20 });
    const provider = new OpenAICompatibleProvider({ id: 'vllm', preset: 'vllm', baseURL: server.baseURL });
    const controller = new AbortController();
    const error = await rejection(
      provider.chat({
        model: 'maker-model',
        messages: [{ role: 'user', content: 'write it' }],
        signal: controller.signal,
        onDelta: () => controller.abort(new CancellationError('Cancelled: nothing unreviewed was written.')),
      }),
    );
    assert.match(String(error), /the call was cancelled/);
    assert.equal(isCancellation(error), true);
    assert.equal(errorKind(error), 'cancelled', 'shown as a cancel, never with the model fixes of a provider failure');
  });

  it("the openai client's own APIUserAbortError is a cancellation (aborted while the server holds the response)", async () => {
    server.enqueue({ fault: 'hang-before-headers' });
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'no-key', maxRetries: 0 });
    const controller = new AbortController();
    const call = client.chat.completions.create(
      { model: 'maker-model', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { signal: controller.signal },
    );
    while (server.chatRequests.length === 0) await delay(10);
    controller.abort();
    const error = await rejection(call);
    assert.equal((error as Error).constructor.name, 'APIUserAbortError');
    assert.equal(isCancellation(error), true);
  });

  it("an AbortError (the DOMException of an aborted signal, Node's own) and a cancelled indexing are cancellations", async () => {
    const aborted = new AbortController();
    aborted.abort();
    const domException = (() => {
      try {
        aborted.signal.throwIfAborted();
      } catch (err) {
        return err;
      }
    })();
    assert.ok(domException instanceof DOMException && domException.name === 'AbortError');
    assert.equal(isCancellation(domException), true);

    const nodeAbort = await rejection(delay(1_000, undefined, { signal: aborted.signal }));
    assert.equal((nodeAbort as Error).name, 'AbortError');
    assert.equal(isCancellation(nodeAbort), true);

    const indexing = await rejection(new TimeSlicer({ signal: aborted.signal }).pause());
    assert.match(String(indexing), /the workspace was not indexed/);
    assert.equal(isCancellation(indexing), true);
  });

  it('a run that stopped on a cancel is a cancellation; the wording of a plain error, a timeout or a failure is not', () => {
    const context = { providerId: 'vllm', model: 'maker-model' };
    assert.equal(isCancellation(new NodeRunFailure('the maker step (round 1)', new CancellationError(), true)), true);
    assert.equal(
      isCancellation(new NodeRunFailure('the maker step (round 1)', new ConnectionFailedError(context, 'http://127.0.0.1:9', 1, 'refused'), false)),
      false,
    );
    assert.equal(isCancellation(new Error('Cancelled: nothing unreviewed was written.')), false, 'a message is never sniffed');
    assert.equal(isCancellation(new DOMException('The operation timed out.', 'TimeoutError')), false, 'a timeout is a failure');
    assert.equal(isCancellation(undefined), false);
  });

  it("each error's kind is how the editor and the CLI show it; anything that is not Baton's own is a bug", () => {
    const kinds = {
      input: new SettingsError(['baton.roles.maker.model: Required']),
      refused: new PathRefusedError('write', [{ path: '../outside.txt', reason: 'it leaves the workspace folder' }]),
      conflict: new ChangedSinceProposalError(['shop/cart.py']),
      provider: new ConnectionFailedError({ providerId: 'vllm', model: 'maker-model' }, 'http://127.0.0.1:9', 3, 'connection refused'),
      cancelled: new CheckpointError('declined', 'The restore was not confirmed: nothing was written.'),
      bug: new TypeError("Cannot read properties of undefined (reading 'path')"),
    };
    for (const [kind, error] of Object.entries(kinds)) assert.equal(errorKind(error), kind, `${error.name}: ${error.message}`);
    assert.equal(errorKind(new CheckpointError('changed-since', 'shop/cart.py changed since the checkpoint.')), 'conflict');
    assert.ok(kinds.input instanceof BatonError && kinds.input.name === 'SettingsError', 'the class name stays the error name');
  });
});
