// The OpenAI-compatible provider through the real `openai` client against a scripted local server:
// streaming, usage, retries, timeouts, cancellation, and the answers it must refuse to return.
import assert from 'node:assert/strict';
import {
  AuthenticationError,
  BadResponseError,
  CancelledError,
  ConnectionFailedError,
  IdleTimeoutError,
  IncompleteStreamError,
  RateLimitedError,
  RequestRejectedError,
  ServerError,
} from '../../src/core/providers/errors';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from '../../src/core/providers/openaiCompatible';
import { retryAfterMs, retryDelayMs } from '../../src/core/providers/retryPolicy';
import type { ChatRequest, ProviderStatus } from '../../src/core/providers/types';
import { ScriptedServer } from '../support/scriptedServer';

const ASK: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }] };

describe('OpenAI-compatible provider', () => {
  let server: ScriptedServer;
  let statuses: ProviderStatus[];

  beforeEach(async () => {
    server = await ScriptedServer.start();
    statuses = [];
  });
  afterEach(async () => {
    await server.close();
  });

  function provider(options: Partial<OpenAICompatibleOptions> = {}): OpenAICompatibleProvider {
    return new OpenAICompatibleProvider({
      id: 'test-openai',
      preset: 'openai',
      baseURL: server.baseURL,
      apiKey: 'sk-test',
      retry: { baseBackoffMs: 20, maxWaitMs: 5_000 },
      onStatus: (status) => statuses.push(status),
      ...options,
    });
  }

  async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof Error);
      return error;
    }
    assert.fail('expected the call to fail');
  }

  it('streams an answer with its usage and finish reason, and asks for usage in the stream', async () => {
    server.enqueue({ text: 'Hello there, person.', usage: { promptTokens: 11, completionTokens: 5 }, chunkChars: 4 });
    const deltas: string[] = [];
    const result = await provider().chat({ ...ASK, onDelta: (d) => deltas.push(d), maxOutputTokens: 50, temperature: 0.2 });
    assert.equal(result.text, 'Hello there, person.');
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual(result.usage, { inputTokens: 11, outputTokens: 5 });
    assert.equal(result.model, 'gpt-4o-mini');
    assert.ok(deltas.length >= 5, `deltas arrive piece by piece (${deltas.length})`);
    assert.equal(deltas.join(''), result.text);
    const [request] = server.chatRequests;
    const body = request?.body as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_completion_tokens, 50);
    assert.equal(body.temperature, 0.2);
    assert.equal(request?.headers.authorization, 'Bearer sk-test');
  });

  it('counts tokens itself, marked estimated, when the server sends no usage', async () => {
    server.enqueue({ text: 'Hello there, person.', usage: null });
    const result = await provider({ preset: 'ollama' }).chat(ASK);
    assert.equal(result.usage.estimated, true);
    assert.ok(result.usage.inputTokens > 3 && result.usage.outputTokens === 5, JSON.stringify(result.usage));
    assert.equal((server.chatRequests[0]?.body as Record<string, unknown>).max_completion_tokens, undefined);
  });

  it('honours Retry-After on 429 and says so before retrying', async () => {
    server.enqueue({ status: 429, retryAfter: '1' }, { text: 'ok' });
    const started = Date.now();
    const result = await provider().chat(ASK);
    const elapsed = Date.now() - started;
    assert.equal(result.text, 'ok');
    assert.equal(statuses[0]?.waitMs, 1_000, 'the wait is what the server asked for');
    // It really waited, and not the 5 s cap (the upper bound leaves room for a loaded machine).
    assert.ok(elapsed >= 950 && elapsed < 5_000, `waited ${elapsed} ms for Retry-After: 1`);
    assert.equal(statuses.length, 1);
    assert.equal(statuses[0]?.message, 'rate limited, retrying in 1 s (attempt 2 of 4)');
    assert.equal(server.chatRequests.length, 2);
  });

  it('caps a long Retry-After at the maximum wait', async () => {
    server.enqueue({ status: 429, retryAfter: '3600' }, { text: 'ok' });
    const started = Date.now();
    await provider({ retry: { maxWaitMs: 300, baseBackoffMs: 20 } }).chat(ASK);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 5_000, `waited ${elapsed} ms, not the hour asked for`);
    assert.equal(statuses[0]?.waitMs, 300);
  });

  it('gives up after the retries allowed with an error naming provider, model and attempts', async () => {
    server.enqueue(...Array.from({ length: 3 }, () => ({ status: 429, retryAfter: '0', errorMessage: 'Rate limit reached for requests' })));
    const error = await rejection(provider({ retry: { maxRetries: 2, baseBackoffMs: 10 } }).chat(ASK));
    assert.ok(error instanceof RateLimitedError);
    assert.equal(error.attempts, 3);
    assert.match(error.message, /^test-openai \(gpt-4o-mini\): rate limited after 3 attempts \(Rate limit reached for requests\)/);
    assert.equal(server.chatRequests.length, 3);
    assert.deepEqual(
      statuses.map((s) => s.attempt),
      [2, 3],
    );
  });

  it('retries 500 and 503 with backoff, then answers', async () => {
    server.enqueue({ status: 500 }, { status: 503 }, { text: 'recovered' });
    const result = await provider().chat(ASK);
    assert.equal(result.text, 'recovered');
    assert.deepEqual(
      statuses.map((s) => s.reason),
      ['server-error', 'server-error'],
    );
    assert.match(statuses[1]?.message ?? '', /^server error 503, retrying in [\d.]+ s \(attempt 3 of 4\)$/);
  });

  it('reports a server that keeps failing as a ServerError with its status', async () => {
    server.enqueue({ status: 502 }, { status: 502 });
    const error = await rejection(provider({ retry: { maxRetries: 1, baseBackoffMs: 10 } }).chat(ASK));
    assert.ok(error instanceof ServerError);
    assert.equal(error.status, 502);
    assert.match(error.message, /HTTP 502 after 2 attempts/);
  });

  it('does not retry a refused key, and says which key to fix', async () => {
    server.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
    const error = await rejection(provider({ keyName: 'baton.key.openai' }).chat(ASK));
    assert.ok(error instanceof AuthenticationError);
    assert.match(error.message, /"baton\.key\.openai".*Incorrect API key provided/);
    assert.equal(server.chatRequests.length, 1);
  });

  it('does not retry other client errors', async () => {
    server.enqueue({ status: 404, errorMessage: 'The model `gpt-9` does not exist' });
    const error = await rejection(provider().chat(ASK));
    assert.ok(error instanceof RequestRejectedError);
    assert.match(error.message, /HTTP 404: The model `gpt-9` does not exist/);
  });

  it('retries a connection reset before any answer text', async () => {
    server.enqueue({ fault: 'reset-before-headers' }, { text: 'second time lucky' });
    const result = await provider().chat(ASK);
    assert.equal(result.text, 'second time lucky');
    assert.equal(statuses[0]?.reason, 'connection-failed');
  });

  it('names the base URL when the server cannot be reached at all', async () => {
    const url = server.baseURL;
    await server.close();
    const error = await rejection(provider({ baseURL: url, retry: { maxRetries: 1, baseBackoffMs: 10 } }).chat(ASK));
    assert.ok(error instanceof ConnectionFailedError, error.message);
    assert.ok(error.message.includes(`could not reach ${url}: connection refused`), error.message);
    assert.doesNotMatch(error.message, /fetch failed|Connection error\./, "the reason in words, not the client library's");
  });

  it('fails a stream reset mid-answer, returning no partial text and not retrying', async () => {
    server.enqueue({ text: 'This answer will be cut off halfway through.', fault: 'reset-mid-stream', chunkChars: 4 });
    const deltas: string[] = [];
    const error = await rejection(provider().chat({ ...ASK, onDelta: (d) => deltas.push(d) }));
    assert.ok(error instanceof IncompleteStreamError, `${error.name}: ${error.message}`);
    assert.ok(deltas.length > 0, 'part of the answer had been streamed');
    assert.equal(server.chatRequests.length, 1);
  });

  it('fails a stream that ends without a finish reason', async () => {
    server.enqueue({ text: 'Looks complete but is not.', finishReason: null });
    const error = await rejection(provider().chat(ASK));
    assert.ok(error instanceof IncompleteStreamError);
    assert.match(error.message, /ended without a finish reason after 26 characters/);
  });

  it('fails an error event inside the stream as incomplete', async () => {
    server.enqueue({ text: 'Starting to answer', fault: 'error-event' });
    const error = await rejection(provider().chat(ASK));
    assert.ok(error instanceof IncompleteStreamError);
    assert.match(error.message, /scripted error event mid-stream/);
  });

  it('fails malformed SSE JSON with a clear error', async () => {
    server.enqueue({ text: 'Some text first', fault: 'malformed-sse' });
    const error = await rejection(provider().chat(ASK));
    assert.ok(error instanceof BadResponseError);
    assert.match(error.message, /not valid JSON.*OpenAI-compatible/);
  });

  it('times out a stream that goes silent', async () => {
    server.enqueue({ text: 'I will stop talking now', fault: 'idle-after-text' });
    const started = Date.now();
    const error = await rejection(provider({ idleTimeoutMs: 300 }).chat(ASK));
    const elapsed = Date.now() - started;
    assert.ok(error instanceof IdleTimeoutError);
    assert.equal(error.phase, 'stream');
    // At the 0.3 s limit, far from the 60 s default (the upper bound leaves room for a loaded machine).
    assert.ok(elapsed >= 290 && elapsed < 5_000, `gave up after ${elapsed} ms`);
    assert.match(error.message, /went silent for 0\.3 s/);
  });

  it('times out a server that never sends headers', async () => {
    server.enqueue({ fault: 'hang-before-headers' });
    const started = Date.now();
    const error = await rejection(provider({ headersTimeoutMs: 300 }).chat(ASK));
    const elapsed = Date.now() - started;
    assert.ok(error instanceof IdleTimeoutError);
    assert.equal(error.phase, 'headers');
    assert.ok(elapsed >= 290 && elapsed < 5_000, `gave up after ${elapsed} ms`);
  });

  it('keeps a slow but steady stream alive past the idle timeout', async () => {
    // Five pauses of 250 ms: 1.25 s in all, past the 1 s limit, while each silence leaves 750 ms to
    // spare for a loaded machine.
    server.enqueue({ text: 'slow and steady wins', chunkChars: 4, chunkDelayMs: 250 });
    const started = Date.now();
    const result = await provider({ idleTimeoutMs: 1_000 }).chat(ASK);
    assert.equal(result.text, 'slow and steady wins');
    assert.ok(Date.now() - started >= 1_000, 'the whole answer took longer than the idle limit');
  });

  it('streams a huge answer whole', async () => {
    const huge = 'abcdefghij'.repeat(200_000); // 2 MB
    server.enqueue({ text: huge, chunkChars: 65_536 });
    const result = await provider().chat(ASK);
    assert.equal(result.text.length, huge.length);
    assert.equal(result.text, huge);
  });

  describe('cancellation ends a call within a second', () => {
    /** Cancels once the call is in the state under test (`inState`), however long getting there takes. */
    async function cancelWhen(inState: () => boolean, run: (signal: AbortSignal) => Promise<unknown>): Promise<{ error: Error; afterAbortMs: number }> {
      const controller = new AbortController();
      let abortedAt = 0;
      const poll = setInterval(() => {
        if (!inState()) return;
        clearInterval(poll);
        abortedAt = Date.now();
        controller.abort();
      }, 5);
      try {
        const error = await rejection(run(controller.signal));
        assert.ok(abortedAt > 0, `the call ended before it was cancelled: ${error.message}`);
        return { error, afterAbortMs: Date.now() - abortedAt };
      } finally {
        clearInterval(poll);
      }
    }

    it('while connecting (no headers yet)', async () => {
      server.enqueue({ fault: 'hang-before-headers' });
      const { error, afterAbortMs } = await cancelWhen(
        () => server.chatRequests.length === 1,
        (signal) => provider().chat({ ...ASK, signal }),
      );
      assert.ok(error instanceof CancelledError, error.message);
      assert.ok(afterAbortMs < 1_000, `${afterAbortMs} ms`);
    });

    it('while waiting to retry', async () => {
      server.enqueue({ status: 429, retryAfter: '20' }, { text: 'never reached' });
      const { error, afterAbortMs } = await cancelWhen(
        () => statuses.length === 1,
        (signal) => provider({ retry: { maxWaitMs: 30_000 } }).chat({ ...ASK, signal }),
      );
      assert.ok(error instanceof CancelledError, error.message);
      assert.ok(afterAbortMs < 1_000, `${afterAbortMs} ms`);
      assert.equal(server.chatRequests.length, 1);
    });

    it('while streaming', async () => {
      server.enqueue({ text: 'a long answer arriving slowly '.repeat(20), chunkChars: 2, chunkDelayMs: 50 });
      const deltas: string[] = [];
      const { error, afterAbortMs } = await cancelWhen(
        () => deltas.length > 0,
        (signal) => provider().chat({ ...ASK, signal, onDelta: (d) => deltas.push(d) }),
      );
      assert.ok(error instanceof CancelledError, error.message);
      assert.ok(afterAbortMs < 1_000, `${afterAbortMs} ms`);
      assert.ok(deltas.length > 0);
    });

    it('before the call starts', async () => {
      const error = await rejection(provider().chat({ ...ASK, signal: AbortSignal.abort() }));
      assert.ok(error instanceof CancelledError);
      assert.equal(server.chatRequests.length, 0);
    });
  });

  it("passes an error thrown by the caller's onDelta through unchanged, without retrying", async () => {
    server.enqueue({ text: 'some text' });
    const error = await rejection(
      provider().chat({
        ...ASK,
        onDelta: () => {
          throw new RangeError('caller bug');
        },
      }),
    );
    assert.ok(error instanceof RangeError);
    assert.equal(server.chatRequests.length, 1);
  });

  it('calls Azure deployments with api-version and an api-key header', async () => {
    server.enqueue({ text: 'from azure' });
    const azure = provider({ id: 'azure', preset: 'azure', baseURL: `${server.url}/openai`, apiVersion: '2024-10-21', apiKey: 'azure-key' });
    const result = await azure.chat({ ...ASK, model: 'my-gpt4o-deployment' });
    assert.equal(result.text, 'from azure');
    const [request] = server.chatRequests;
    assert.equal(request?.path, '/openai/deployments/my-gpt4o-deployment/chat/completions');
    assert.equal(request?.query['api-version'], '2024-10-21');
    assert.equal(request?.headers['api-key'], 'azure-key');
  });
});

describe('retry policy', () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });

  it('reads Retry-After as seconds, as an HTTP date, and retry-after-ms first', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(retryAfterMs(headers({ 'retry-after': '2' }), now), 2_000);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }), now), 5_000);
    assert.equal(retryAfterMs(headers({ 'retry-after': '2', 'retry-after-ms': '150' }), now), 150);
    assert.equal(retryAfterMs(headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(retryAfterMs(headers({}), now), undefined);
  });

  it('caps what the server asks for and backs off exponentially when it asks nothing', () => {
    const policy = { maxRetries: 3, maxWaitMs: 5_000, baseBackoffMs: 1_000 };
    assert.equal(retryDelayMs(policy, 2, 60_000), 5_000);
    for (const [attempt, wait] of [
      [2, 1_000],
      [3, 2_000],
      [4, 4_000],
      [5, 5_000],
    ]) {
      assert.equal(
        retryDelayMs(policy, attempt!, undefined, () => 0),
        wait,
        `attempt ${attempt}`,
      );
    }
  });
});
