// The scripted server itself: the parts other suites rely on without going through a provider.
import assert from 'node:assert/strict';
import { ScriptedServer } from '../support/scriptedServer';

describe('scripted server', () => {
  it('answers non-streaming chat completions and records the request', async () => {
    const server = await ScriptedServer.start();
    try {
      server.enqueue({ text: 'plain answer', usage: { promptTokens: 3, completionTokens: 2 } });
      const response = await fetch(`${server.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      const body = (await response.json()) as { choices: Array<{ message: { content: string }; finish_reason: string }>; usage: { total_tokens: number } };
      assert.equal(body.choices[0]?.message.content, 'plain answer');
      assert.equal(body.choices[0]?.finish_reason, 'stop');
      assert.equal(body.usage.total_tokens, 5);
      assert.equal(server.chatRequests[0]?.headers.authorization, 'Bearer k');
      assert.deepEqual(server.chatRequests[0]?.body, { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    } finally {
      await server.close();
    }
  });

  it('answers a chat call it has no script for with a 400 that says so', async () => {
    const server = await ScriptedServer.start();
    try {
      const response = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /no reply scripted for chat call 1/);
    } finally {
      await server.close();
    }
  });

  it('closes promptly while a request hangs', async () => {
    const server = await ScriptedServer.start();
    server.enqueue({ fault: 'hang-before-headers' });
    const pending = fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{}' }).catch((error: unknown) => error);
    while (server.chatRequests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await server.close();
    assert.ok(Date.now() - started < 500);
    assert.ok((await pending) instanceof Error, 'the hung client sees the connection drop');
  });
});
