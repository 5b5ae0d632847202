// The maker with answers as real models write them, on real files against the scripted server: the
// text format with a block quoted a level short, an answer cut off at the output limit and the rest
// asked for within the node's budget, and a file that changed while the maker was answering.
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextEngine } from '../../src/core/context/engine';
import { RoleRouter } from '../../src/core/providers/router';
import type { NodePrompt } from '../../src/core/tasks/nodePrompt';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { CutOffAnswerError, makeProposal, UnresolvableEditsError } from '../../src/core/proposals/maker';
import { NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';

const fixture = join(__dirname, '..', 'fixtures', 'pyshop');
const clock = { now: () => Date.now() };
const CART = 'shop/cart.py';
const TOTAL = '        return subtotal + compute_tax(subtotal, self.region)\n';
const ROUNDED = '        return round(subtotal + compute_tax(subtotal, self.region), 2)\n';
const ADD_CHECK = '        if quantity <= 0:\n';
const ADD_CHECK_NEW = '        if quantity <= 0 or quantity > 999:\n';

interface Body {
  response_format?: unknown;
  messages: { role: string; content: string }[];
}

describe('the maker with answers as real models write them', function () {
  this.timeout(30_000);
  let server: ScriptedServer;
  let root: string;
  let engine: ContextEngine;
  let prompts: NodePrompt[];

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'baton-maker-'));
    cpSync(fixture, root, { recursive: true });
    engine = await ContextEngine.open(root);
    server = await ScriptedServer.start();
    server.models = [{ id: 'maker-model', max_model_len: 16000 }];
    prompts = [];
  });
  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  function make(maker: Record<string, unknown> = {}) {
    const router = RoleRouter.fromSettings(
      { roles: { maker: { provider: 'vllm', model: 'maker-model', baseURL: server.baseURL, ...maker } } },
      { secrets: new MemorySecretStore() },
    );
    const { tree, node } = TaskTree.empty(clock).addChild(null, {
      title: 'Cart.total must round to cents',
      acceptance: ['total() returns at most 2 decimals'],
      budget: 6000,
    });
    return makeProposal({ router, engine, tree, nodeId: node.id, files: new NodeWorkspaceFiles(root), round: 1, onPrompt: (p) => prompts.push(p) });
  }
  const body = (call: number): Body => server.chatRequests[call]!.body as Body;
  const cart = (): string => readFileSync(join(root, CART), 'utf8');

  it('reads the text format with a block quoted a level short, and says which rung matched', async () => {
    // The whole method, quoted at the margin: four spaces short on every line.
    const method = `    def total(self) -> float:\n        subtotal = self.subtotal()\n${TOTAL}`;
    const dedent = (block: string): string => block.replace(/^ {4}/gm, '');
    server.enqueue({
      text: `Summary: Round the total\n\n${CART}\n\`\`\`python\n<<<<<<< SEARCH\n${dedent(method)}=======\n${dedent(method.replace(TOTAL, ROUNDED))}>>>>>>> REPLACE\n\`\`\`\n`,
    });
    const { proposal } = await make({ answerFormat: 'text' });
    assert.equal(body(0).response_format, undefined);
    assert.match(body(0).messages[0]!.content, /<<<<<<< SEARCH/, 'the format is asked for in the instructions, inside the budget');
    assert.ok(prompts[0]!.promptTokens <= prompts[0]!.budget);
    const change = proposal.changes[0]!;
    assert.equal(change.after, cart().replace(TOTAL, ROUNDED));
    assert.deepEqual(
      change.matches?.map((m) => m.rung),
      ['indentation'],
    );
    assert.equal(proposal.summary, 'Round the total');
  });

  it('keeps the whole edits of a cut-off answer, asks for the rest within the budget, and notes the cut', async () => {
    const first = { kind: 'replace', path: CART, search: TOTAL, replace: ROUNDED };
    const second = { kind: 'replace', path: CART, search: ADD_CHECK, replace: ADD_CHECK_NEW };
    const whole = JSON.stringify({ summary: 'Round and bound', edits: [first, second] });
    server.enqueue(
      { text: whole.slice(0, whole.indexOf('or quantity')), finishReason: 'length' },
      // The rest, repeating the kept edit as models do: it counts once.
      { json: { summary: 'Bound the quantity', edits: [first, second] } },
    );
    const { proposal } = await make({ maxOutputTokens: 300 });
    const asked = body(1)
      .messages.map((m) => m.content)
      .join('\n');
    assert.match(asked, /Your previous answer was too long for the output limit\. The answer was cut off at the output limit after 1 whole edit/);
    assert.match(asked, /- edit 1: changes shop\/cart\.py where it reads " {8}return subtotal \+ compute_tax/);
    assert.ok(
      prompts.every((p) => p.promptTokens <= p.budget),
      'every prompt fits the node budget',
    );
    assert.equal(proposal.changes.length, 1);
    assert.equal(proposal.changes[0]!.after, cart().replace(TOTAL, ROUNDED).replace(ADD_CHECK, ADD_CHECK_NEW));
    assert.equal(proposal.summary, 'Round and bound Bound the quantity');
    assert.match(proposal.notes?.[0] ?? '', /cut off at the output limit after 1 whole edit.*The maker was asked for the rest\./);
  });

  it('gives up, changing nothing, when the answer stops before any whole edit', async () => {
    const cut = JSON.stringify({ summary: 'x', edits: [{ kind: 'replace', path: CART, search: TOTAL, replace: ROUNDED }] });
    server.enqueue({ text: cut.slice(0, cut.indexOf('round(')), finishReason: 'length' });
    const original = cart();
    await assert.rejects(make({ maxOutputTokens: 300 }), (error: unknown) => {
      assert.ok(error instanceof CutOffAnswerError);
      assert.match(
        error.message,
        /cut off at its output limit \(300 tokens\).*after 0 whole edits.*Raise baton\.roles\.maker\.maxOutputTokens.*or split this node/s,
      );
      return true;
    });
    assert.equal(cart(), original);
  });

  it('places the edits of a file that changed while the maker answered in its new text, and says so', async () => {
    server.enqueue(() => {
      // Someone saves the file while the model is writing.
      writeFileSync(join(root, CART), `# Prices in euros.\n${cart()}`);
      return { json: { summary: 'Round', edits: [{ kind: 'replace', path: CART, search: TOTAL, replace: ROUNDED }] } };
    });
    const { proposal } = await make();
    const change = proposal.changes[0]!;
    assert.match(change.before ?? '', /^# Prices in euros\.\n/, 'resolved against the file as it is now');
    assert.equal(change.after, change.before!.replace(TOTAL, ROUNDED));
    assert.match(proposal.notes?.join(' ') ?? '', /shop\/cart\.py changed while the maker was answering: its edits were placed in the file as it is now/);
  });

  it('refuses the edits of a file that changed under them, saying it changed, to the maker and to the person', async () => {
    const edit = { summary: 'Round', edits: [{ kind: 'replace', path: CART, search: TOTAL, replace: ROUNDED }] };
    server.enqueue(
      () => {
        writeFileSync(join(root, CART), cart().replace(TOTAL, '        return subtotal + compute_tax(subtotal, self.region, rate=None)\n'));
        return { json: edit };
      },
      { json: edit },
    );
    await assert.rejects(make(), (error: unknown) => {
      assert.ok(error instanceof UnresolvableEditsError);
      assert.match(error.message, /Search block 1 for shop\/cart\.py matches nothing.*shop\/cart\.py changed after you were shown it/s);
      return true;
    });
    const reask = body(1)
      .messages.map((m) => m.content)
      .join('\n');
    assert.match(reask, /shop\/cart\.py changed after you were shown it: the edits for it were tried against the file as it is now/);
  });
});
