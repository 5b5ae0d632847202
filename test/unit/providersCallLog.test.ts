import { strict as assert } from 'node:assert';
import { RoleRouter } from '../../src/core/providers/router';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';

describe('provider call log', () => {
  it('logs each call with model, size, outcome and time, never the key or the messages', async () => {
    const server = await ScriptedServer.start();
    try {
      server.enqueue({ text: 'fine', usage: { promptTokens: 12, completionTokens: 3 } }, { status: 400, errorMessage: 'no such model' });
      const lines: string[] = [];
      const log = {
        info: (m: string) => lines.push(`info ${m}`),
        warn: (m: string) => lines.push(`warn ${m}`),
        error: (m: string) => lines.push(`error ${m}`),
      };
      const router = RoleRouter.fromSettings(
        { roles: { maker: { provider: 'openai', model: 'gpt-4.1', baseURL: server.baseURL } } },
        { secrets: new MemorySecretStore({ 'baton.key.openai': 'sk-SECRET-KEY-123' }), log },
      );
      const maker = await router.bindingFor('maker');
      await maker.provider.chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'PRIVATE-WORKSPACE-TEXT' }] });
      await assert.rejects(maker.provider.chat({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'again' }] }));
      assert.match(lines[0]!, /^info maker: calling openai \(gpt-4\.1\) with 1 messages, 22 characters$/);
      assert.match(lines[1]!, /^info maker: openai \(gpt-4\.1\) answered in \d+ ms: 12 input \+ 3 output tokens, finish stop$/);
      assert.match(lines[3]!, /^warn maker: openai \(gpt-4\.1\) failed after \d+ ms: .*no such model/);
      assert.ok(!lines.join('\n').includes('sk-SECRET-KEY-123'), 'the key is never logged');
      assert.ok(!lines.join('\n').includes('PRIVATE-WORKSPACE-TEXT'), 'message text is never logged');
    } finally {
      await server.close();
    }
  });
});
