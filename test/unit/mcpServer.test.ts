// `baton mcp` end to end: the built dist/cli.js started over stdio and over streamable HTTP, driven
// by the official MCP client SDK as Claude Code, Copilot or Cursor would drive it. The workspace is
// a copy of the pyshop fixture with a secret file (.env) and an ignored file, both written to rank
// high for the task, each holding a canary that must never come out of any tool.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { request, type IncomingMessage } from 'node:http';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { getEncoding } from 'js-tiktoken';
import { cliPath, startHttpMcp, type HttpMcpProcess } from '../support/batonMcpProcess';

const root = join(__dirname, '..', '..');
const SECRET_CANARY = 'sk_live_51MCPcanaryQ8wX2vB7nK4pL9tR3yH6';
const IGNORED_CANARY = 'IGNORED-CANARY-3318';
const TASK = 'Inventory.reserve raises OutOfStockError even when enough stock is left';
const BUDGET = 1200;
const MODERN = { versionNegotiation: { mode: { pin: '2026-07-28' } } } as const;

interface ToolResult {
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

function workspace(): string {
  const ws = join(mkdtempSync(join(tmpdir(), 'baton-mcp-')), 'pyshop');
  cpSync(join(root, 'test', 'fixtures', 'pyshop'), ws, { recursive: true });
  writeFileSync(join(ws, '.env'), `# Inventory.reserve OutOfStockError settings\nSTRIPE_SECRET_KEY=${SECRET_CANARY}\n`);
  writeFileSync(join(ws, '.gitignore'), 'generated/\n');
  mkdirSync(join(ws, 'generated'));
  writeFileSync(
    join(ws, 'generated', 'inventory_generated.py'),
    `# ${IGNORED_CANARY}\nclass Inventory:\n    def reserve(self, sku, qty):\n        raise OutOfStockError("${IGNORED_CANARY}")\n\ndef reserve_generated():\n    return "${IGNORED_CANARY}"\n`,
  );
  return ws;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

function assertNoLeak(result: unknown, what: string): void {
  const text = JSON.stringify(result);
  assert.ok(!text.includes(SECRET_CANARY), `${what}: the secret in .env came out`);
  assert.ok(!text.includes(IGNORED_CANARY), `${what}: the ignored file's text came out`);
}

describe('baton mcp (the built CLI, driven by the official MCP client SDK)', function () {
  this.timeout(60_000);
  const cacheHome = mkdtempSync(join(tmpdir(), 'baton-mcp-cache-'));
  const env = { XDG_CACHE_HOME: cacheHome };
  let ws: string;
  let expected: {
    ranking: string[];
    prompt: string;
    context: unknown;
    ledger: { used: number; budget: number; reserved: { answer: number }; items: { path: string }[]; omitted: { path: string; reason: string }[] };
  };

  before(function () {
    this.timeout(120_000);
    if (!existsSync(cliPath)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    ws = workspace();
    // What `baton context --json` plans for the same input: the MCP tool must give exactly this.
    const json = join(mkdtempSync(join(tmpdir(), 'baton-mcp-json-')), 'plan.json');
    const run = spawnSync(
      process.execPath,
      [cliPath, 'context', '--repo', ws, '--task', TASK, '--budget', String(BUDGET), '--model', 'gpt-4o', '--json', json],
      {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      },
    );
    assert.equal(run.status, 0, run.stderr);
    expected = JSON.parse(readFileSync(json, 'utf8'));
  });

  /** Every check a client of either transport should see pass. */
  async function exerciseTools(client: Client): Promise<void> {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['find_definitions', 'outline', 'plan_context']);
    for (const t of tools) {
      assert.ok((t.description ?? '').length > 80, `${t.name} has a description a model can act on`);
      assert.ok(t.outputSchema, `${t.name} declares its output schema`);
      assert.equal(t.annotations?.readOnlyHint, true, `${t.name} is marked read-only`);
    }
    const plan = tools.find((t) => t.name === 'plan_context')!;
    assert.deepEqual([...((plan.inputSchema.required as string[]) ?? [])].sort(), ['budget', 'task']);
    assert.ok(
      plan.inputSchema.properties && 'pins' in plan.inputSchema.properties && 'drops' in plan.inputSchema.properties && 'model' in plan.inputSchema.properties,
    );

    const planned = await call(client, 'plan_context', { task: TASK, budget: BUDGET, model: 'gpt-4o' });
    assert.ok(!planned.isError, JSON.stringify(planned.content));
    const out = planned.structuredContent as typeof expected & { root: string };
    assert.deepEqual(
      { ranking: out.ranking, prompt: out.prompt, context: out.context, ledger: out.ledger },
      { ranking: expected.ranking, prompt: expected.prompt, context: expected.context, ledger: expected.ledger },
      'plan_context plans exactly what `baton context --json` plans for the same input',
    );
    const tokens = getEncoding('o200k_base').encode(out.prompt, 'all').length;
    assert.equal(out.ledger.used, tokens, "the ledger counts the prompt with gpt-4o's tokenizer, exactly");
    assert.ok(tokens + out.ledger.reserved.answer <= BUDGET, `${tokens} + ${out.ledger.reserved.answer} answer tokens fit ${BUDGET}`);
    assert.equal(out.ledger.items[0]?.path, 'shop/inventory.py');
    assert.ok(
      planned.content.some((c) => c.text === out.prompt),
      'the packed context is in the text a model reads',
    );
    assert.ok(
      planned.content.some((c) => /^tier\s+tokens\s+score\s+item\s+why$/m.test(c.text ?? '')),
      'so is the ledger',
    );
    assert.ok(
      out.ledger.omitted.some((o) => o.path === '.env' && o.reason === 'secret'),
      'the ledger says .env was left out as a secret',
    );
    assert.ok(
      out.ledger.omitted.some((o) => o.path.startsWith('generated/') && o.reason === 'ignored'),
      'the ledger says generated/ was ignored',
    );
    assert.ok(!out.ledger.items.some((i) => i.path === '.env' || i.path.startsWith('generated/')));
    assertNoLeak(planned, 'plan_context');

    const defs = await call(client, 'find_definitions', { names: ['reserve', 'OutOfStockError', 'reserve_generated', 'no_such_name'] });
    assert.ok(!defs.isError, JSON.stringify(defs.content));
    const results = (defs.structuredContent as { results: { name: string; definitions: { path: string; range: [number, number]; signature: string }[] }[] })
      .results;
    const byName = new Map(results.map((r) => [r.name, r.definitions]));
    const inventory = readFileSync(join(ws, 'shop', 'inventory.py'), 'utf8').split('\n');
    const reserve = byName.get('reserve')!;
    assert.deepEqual(
      reserve.map((d) => d.path),
      ['shop/inventory.py'],
      'reserve is defined in inventory.py only (the ignored copy never counts)',
    );
    const [start, end] = reserve[0]!.range;
    assert.match(inventory[start - 1]!, /def reserve\(/, 'the range starts at the definition');
    assert.ok(end > start && end <= inventory.length, `the range ${start}-${end} spans the method body`);
    assert.match(reserve[0]!.signature, /def reserve\(/);
    assert.equal(byName.get('OutOfStockError')?.[0]?.path, 'shop/errors.py');
    assert.deepEqual(byName.get('reserve_generated'), [], 'a name defined only in an ignored file is not found');
    assert.deepEqual(byName.get('no_such_name'), []);
    assertNoLeak(defs, 'find_definitions');

    const outline = await call(client, 'outline', {
      paths: ['shop/inventory.py', '.env', 'generated/inventory_generated.py', '../outside.py', '/etc/passwd'],
      maxTokens: 400,
      model: 'gpt-4o',
    });
    assert.ok(!outline.isError, JSON.stringify(outline.content));
    const o = outline.structuredContent as { tokens: number; maxTokens: number; files: { path: string; definitions: { name: string }[]; refused?: string }[] };
    assert.ok(o.tokens <= 400, `outline used ${o.tokens} of 400 tokens`);
    const files = new Map(o.files.map((f) => [f.path, f]));
    assert.ok(files.get('shop/inventory.py')!.definitions.some((d) => d.name === 'reserve'));
    assert.match(files.get('.env')!.refused ?? '', /secret/);
    assert.match(files.get('generated/inventory_generated.py')!.refused ?? '', /ignored/);
    assert.match(files.get('../outside.py')!.refused ?? '', /leaves the workspace/);
    assert.match(files.get('/etc/passwd')!.refused ?? '', /absolute/);
    assertNoLeak(outline, 'outline');

    const tight = await call(client, 'outline', { paths: ['shop/inventory.py', 'shop/cart.py', 'shop/pricing.py'], maxTokens: 100 });
    const t = tight.structuredContent as { tokens: number; files: { cut?: number }[] };
    assert.ok(t.tokens <= 100, `a tight cap is kept (${t.tokens} tokens)`);
    assert.ok(
      t.files.some((f) => (f.cut ?? 0) > 0),
      'what does not fit is cut and counted',
    );
  }

  /** Roots and paths outside the workspace are refused with a message naming what to give instead. */
  async function exerciseRefusals(client: Client): Promise<void> {
    const outside = await call(client, 'plan_context', { task: TASK, budget: BUDGET, root: tmpdir() });
    assert.equal(outside.isError, true);
    assert.match(outside.content[0]?.text ?? '', /not a workspace folder Baton serves.*Use one of/);
    const pin = await call(client, 'plan_context', { task: TASK, budget: BUDGET, pins: ['.env', '../../etc/passwd'] });
    assert.equal(pin.isError, true);
    assert.match(pin.content[0]?.text ?? '', /"\.env": left out of the index \(secret/);
    assert.match(pin.content[0]?.text ?? '', /"\.\.\/\.\.\/etc\/passwd": not a workspace path/);
    const small = await call(client, 'plan_context', { task: TASK, budget: 500 });
    assert.equal(small.isError, true, 'a budget under the schema minimum is refused');
    assertNoLeak([outside, pin, small], 'refusals');
  }

  it('over stdio, speaking 2026-07-28: lists the tools, plans as `baton context` does, finds definitions, outlines, and never shows .env or an ignored file', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliPath, 'mcp', '--repo', ws],
      env: { ...(process.env as Record<string, string>), ...env },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const client = new Client({ name: 'baton-test', version: '1.0.0' }, MODERN);
    await client.connect(transport);
    try {
      assert.equal(client.getProtocolEra(), 'modern');
      assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
      await exerciseTools(client);
      await exerciseRefusals(client);
    } finally {
      await client.close();
    }
    assert.equal(stderr.match(/indexed \d+ files/g)?.length, 1, `the index is built once and kept warm across calls:\n${stderr}`);
  });

  describe('over streamable HTTP on 127.0.0.1', () => {
    let server: HttpMcpProcess;
    before(async () => {
      server = await startHttpMcp(['--repo', ws], env);
    });
    after(async () => {
      await server?.stop();
    });

    it('speaking 2026-07-28: the same tools, the same plan, nothing secret or ignored', async () => {
      const client = new Client({ name: 'baton-test', version: '1.0.0' }, MODERN);
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      try {
        assert.equal(client.getNegotiatedProtocolVersion(), '2026-07-28');
        await exerciseTools(client);
        await exerciseRefusals(client);
      } finally {
        await client.close();
      }
    });

    it('a 2025-11-25 client (initialize handshake) is served by the stateless fallback', async () => {
      const client = new Client({ name: 'baton-test-2025', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      try {
        assert.equal(client.getProtocolEra(), 'legacy');
        assert.equal(client.getNegotiatedProtocolVersion(), '2025-11-25');
        const planned = await call(client, 'plan_context', { task: TASK, budget: BUDGET, model: 'gpt-4o' });
        assert.equal((planned.structuredContent as { prompt: string }).prompt, expected.prompt);
        assertNoLeak(planned, 'plan_context (2025-11-25)');
      } finally {
        await client.close();
      }
    });

    it('re-indexes after a file changes, once, and the index is otherwise kept across requests', async () => {
      const client = new Client({ name: 'baton-test', version: '1.0.0' }, MODERN);
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      try {
        await call(client, 'find_definitions', { names: ['reserve'] });
        const before = server.stderr().match(/indexed \d+ files/g)?.length ?? 0;
        assert.equal(before, 1, `one index for every request so far:\n${server.stderr()}`);
        appendFileSync(join(ws, 'shop', 'inventory.py'), '\n\ndef restock_all(inventory):\n    return inventory\n');
        let found: unknown[] = [];
        for (let i = 0; i < 50 && !found.length; i++) {
          await new Promise((r) => setTimeout(r, 100));
          const r = await call(client, 'find_definitions', { names: ['restock_all'] });
          found = (r.structuredContent as { results: { definitions: unknown[] }[] }).results[0]!.definitions;
        }
        assert.equal(found.length, 1, 'a function added after the first call is found');
        assert.match(server.stderr(), /indexed \d+ files of .* \(files changed, \d+ from the index cache\)/);
      } finally {
        await client.close();
      }
    });

    it('refuses requests whose Host is not this machine (DNS rebinding)', async () => {
      const { port } = new URL(server.url);
      const res = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/mcp',
            method: 'POST',
            headers: { host: 'attacker.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
          },
          (r: IncomingMessage) => resolve(r.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end('{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}');
      });
      assert.equal(res, 403);
    });
  });

  after(() => {
    // The index cache went where XDG_CACHE_HOME says, never into the workspace.
    assert.ok(readdirSync(join(cacheHome, 'baton', 'index')).length > 0, 'the persistent index cache was written');
    assert.ok(!existsSync(join(ws, '.baton')), 'nothing was written into the workspace');
  });
});
