import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { ContextEngine } from '../../src/core/context/engine';
import { RoleRouter } from '../../src/core/providers/router';
import { planTask } from '../../src/core/tasks/planner';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { FilesApplier } from '../../src/core/proposals/filesApplier';
import { diffHunks } from '../../src/core/proposals/hunks';
import { RedactedLineEditError } from '../../src/core/proposals/maker';
import { runNode, type TestStep } from '../../src/core/run/nodeRun';
import type { FileDecision, ReviewPort } from '../../src/core/proposals/types';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { fakeSecrets, materialiseSecretsWorkspace, type FakeSecret } from '../fixtures/secrets/fakeSecrets';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';
import { attempted } from '../support/attackLedger';
import { testSigningKey } from '../support/checkpointFixtures';

// The workspace, the task text, test output and the models' own answers are all untrusted, and any
// of them may carry a secret. Each attack puts fake secrets (made at test time) where they would
// really be, checks they are there, runs the real code against the scripted server, and checks
// that no byte of any secret is in anything the server received.

const clock = { now: () => Date.UTC(2026, 0, 1) };
const ROLES = ['planner', 'maker', 'breaker', 'summariser'] as const;
const secrets = fakeSecrets();
const secretOf = (format: string): string => secrets.find((s) => s.format === format)!.secret;

/** Every piece of a secret long enough to be worth anything (each line of a PEM body too). */
function pieces(secret: FakeSecret): string[] {
  return secret.secret.split(/\n|\\n/).filter((piece) => piece.length >= 8 && !piece.startsWith('-----'));
}

/** The formats whose secret is in this text, as written in the workspace. */
const formatsIn = (text: string): string[] => secrets.filter((s) => text.includes(s.secret)).map((s) => s.format);

/** The formats any of whose pieces the server received, raw or JSON-escaped, in any request. */
function leakedFormats(server: ScriptedServer): string[] {
  const bodies = server.requests.map((r) => r.rawBody);
  return secrets.filter((s) => pieces(s).some((p) => bodies.some((b) => b.includes(p) || b.includes(JSON.stringify(p).slice(1, -1))))).map((s) => s.format);
}

function userText(server: ScriptedServer, call: number): string {
  return (server.chatRequests[call]!.body as { messages: { content: string }[] }).messages.map((m) => m.content).join('\n');
}

describe('hostile inputs: no secret reaches a model', function () {
  this.timeout(60_000);
  let server: ScriptedServer;
  let root: string;
  beforeEach(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'baton-hostile-secrets-')));
    materialiseSecretsWorkspace(root);
    server = await ScriptedServer.start();
    server.models = [
      { id: 'maker-model', max_model_len: 64000 },
      { id: 'reviewer-model', max_model_len: 64000 },
    ];
  });
  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });
  const router = (): RoleRouter =>
    RoleRouter.fromSettings(
      {
        roles: Object.fromEntries(
          ROLES.map((r) => [r, { provider: 'vllm', model: r === 'breaker' ? 'reviewer-model' : 'maker-model', baseURL: server.baseURL }]),
        ),
      },
      { secrets: new MemorySecretStore() },
    );

  it(`attack secret-leak: every role's every message, holding all ${secrets.length} fake formats, is redacted at the gate`, async () => {
    const lines = secrets.map((s) => s.line).join('\n');
    const given: string[] = [];
    const r = router();
    for (const role of ROLES) {
      server.enqueue({ text: 'ok' });
      const binding = await r.bindingFor(role);
      const messages = [
        { role: 'system' as const, content: `Context for the ${role}:\n${lines}` },
        { role: 'user' as const, content: lines },
        { role: 'assistant' as const, content: lines },
      ];
      given.push(...messages.map((m) => m.content));
      await binding.provider.chat({ model: binding.model, messages });
    }
    assert.equal(server.chatRequests.length, ROLES.length);
    for (const s of secrets)
      attempted(`${s.format} in each of the ${given.length} messages`, given.length === 3 * ROLES.length && given.every((text) => text.includes(s.secret)));
    assert.deepEqual(leakedFormats(server), []);
    for (let call = 0; call < ROLES.length; call++) assert.match(userText(server, call), /\[REDACTED:digitalocean-token\]/);
  });

  it("attack secret-leak: a full run (task text, files, the breaker's diff and findings, test output, the save state) sends none", async () => {
    const engine = await ContextEngine.open(root);
    const files = new NodeWorkspaceFiles(root);
    const reviewed: string[] = [];
    const acceptAll: ReviewPort = {
      async review(proposal) {
        reviewed.push(proposal.id);
        return proposal.changes.map((c): FileDecision => ({ path: c.path, acceptedHunks: diffHunks(c.before, c.after).map((h) => h.index) }));
      },
    };
    // The task as a person might paste it, with a token in it.
    const task = `Move the fallback tokens out of src/services.js (the DigitalOcean one is ${secretOf('digitalocean-token')})`;
    // A model that echoes secrets: the maker's summaries and the breaker's findings quote them.
    const edit = (from: string, to: string, summary: string) => ({
      json: { summary, edits: [{ kind: 'replace', path: 'src/services.js', search: from, replace: to }] },
    });
    const comment = '// Third-party services; the fallbacks below were meant for local runs only.';
    server.enqueue(
      edit(comment, '// Third-party services (v1).', `Moved ${secretOf('slack-bot-token')} to the environment`),
      {
        json: {
          verdict: 'fail',
          findings: [
            {
              file: 'config/settings.py',
              line: 7,
              severity: 'major',
              problem: `still holds ${secretOf('aws-access-key-id')}`,
              edgeCase: `curl -H "Authorization: Bearer ${secretOf('authorization-bearer-hex')}"`,
            },
          ],
        },
      },
      // The breaker failed round 1, so round 2 starts from the file as it was.
      edit(comment, '// Third-party services (v2).', 'Kept the comment short'),
      { json: { verdict: 'pass', findings: [] } },
      edit(
        '// Third-party services (v2).',
        '// Third-party services (v3).',
        `Fixed the test; the hook was https://api.weather.example/v2?api_key=${secretOf('url-query-api-key')}`,
      ),
      { json: { verdict: 'pass', findings: [] } },
      { json: { filesChanged: [{ path: 'src/services.js', summary: 'comment' }], decisions: [], openQuestions: [], pinnedFacts: [], summary: 'done' } },
    );
    // Test output that prints the environment and a request, as failing tests do.
    const failingOutput = [
      'FAILED tests/test_services.py::test_forecast',
      `E   requests.exceptions.HTTPError: 401 for url: https://api.weather.example/v2/forecast?city=Oslo&api_key=${secretOf('url-query-api-key')}`,
      `E   DATABASE_URL=postgres://app:${secretOf('postgres-url-password')}@db.internal:5432/shop`,
      `E   > Authorization: Basic ${secretOf('basic-authorization-header')}`,
      `E   smtp pass "pass": "${secretOf('json-short-password')}"`,
      `E   blob ${secretOf('hex-encoded-github-token')}`,
    ].join('\n');
    let testRuns = 0;
    const tests: TestStep = {
      command: 'pytest -q',
      async run() {
        testRuns++;
        return testRuns === 1
          ? { passed: false, summary: '1 failed', output: failingOutput, forMaker: `pytest -q exited with 1:\n${failingOutput}` }
          : { passed: true, summary: '1 passed', output: '1 passed', forMaker: '' };
      },
    };
    const { tree, node } = TaskTree.empty(clock).addChild(null, {
      title: task,
      acceptance: ['no token literal left'],
      budget: 30_000,
      likelyFiles: ['src/services.js', 'config/settings.py', 'docs/api.md'],
    });
    // The attack is made: the secrets are in what each call is built from.
    attempted('the task text holds a DigitalOcean token', formatsIn(tree.get(node.id).title).includes('digitalocean-token'));
    const services = readFileSync(join(root, 'src/services.js'), 'utf8');
    for (const f of ['digitalocean-token', 'stripe-restricted-key', 'hex-encoded-github-token', 'url-query-api-key'])
      attempted(`src/services.js holds ${f}`, formatsIn(services).includes(f));

    const result = await runNode(tree, node.id, {
      router: router(),
      engine,
      files,
      checkpoints: new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey }),
      review: acceptAll,
      applier: new FilesApplier(files),
      tests,
    });

    assert.equal(result.outcome.kind, 'done');
    assert.equal(testRuns, 2, 'the failing output went back to the maker, then the tests passed');
    assert.equal(server.chatRequests.length, 7, 'maker, breaker x3, and the summariser');
    const served = server.pendingSteps === 0; // every scripted answer, the ones quoting secrets too
    attempted("the breaker's finding quotes an AWS key and a bearer token", served);
    attempted("the maker's summaries quote a Slack token and an API key in a URL", served);
    attempted('the failing test output holds five formats', testRuns === 2 && formatsIn(failingOutput).length === 5);
    assert.match(readFileSync(join(root, 'src/services.js'), 'utf8'), /Third-party services \(v3\)/, 'rounds 2 and 3 were applied');
    // And none of it reached the server, in any of the seven calls.
    assert.deepEqual(leakedFormats(server), []);
    assert.match(userText(server, 0), /the DigitalOcean one is \[REDACTED:digitalocean-token\]/, 'the task text, redacted');
    assert.match(
      userText(server, 1),
      /\+\/\/ Third-party services \(v1\)\.[\s\S]*\[REDACTED:digitalocean-token\]/,
      'the breaker saw the diff, its context redacted',
    );
    assert.match(userText(server, 2), /still holds \[REDACTED:aws-access-key-id\]/, "the breaker's finding, redacted, went to the maker");
    assert.match(userText(server, 4), /api_key=\[REDACTED:url-query-secret\]/, 'the test output, redacted, went to the maker');
    assert.match(userText(server, 6), /Moved \[REDACTED:slack-token\] to the environment/, "the save state's input, redacted");
  });

  it('attack secret-leak: the planner gets the task text and the files redacted', async () => {
    const engine = await ContextEngine.open(root);
    const task = `Clean up docs/api.md and src/services.js; CI uses curl -u deploy:${secretOf('curl-user-password')} and the runner token ${secretOf('gitlab-runner-token')}.`;
    const { tree, node } = TaskTree.empty(clock).addChild(null, { title: task, budget: 40_000 });
    server.enqueue({
      json: {
        subtasks: [
          {
            title: 'Use the environment',
            goal: 'no literals',
            acceptance: ['none left'],
            likelyFiles: ['docs/api.md'],
            budgetShare: 1,
            dependsOn: [],
            mode: 'delegate',
          },
        ],
        notes: '',
      },
    });
    const planned = await planTask({ router: router(), engine, tree, nodeId: node.id });
    const asked = server.chatRequests.length === 1;
    attempted('the task text holds a password and a runner token', asked && formatsIn(tree.get(node.id).title).length === 2);
    for (const path of ['docs/api.md', 'src/services.js'])
      attempted(`${path} holds secrets`, asked && formatsIn(readFileSync(join(root, path), 'utf8')).length > 0);
    assert.ok(
      ['docs/api.md', 'src/services.js'].every((p) => planned.prompt.plan.ledger.items.some((it) => it.path === p && (it.redacted ?? 0) >= 1)),
      'both files were sent, redacted',
    );
    assert.deepEqual(leakedFormats(server), []);
  });

  it('attack secret-leak: a maker edit of a line it saw redacted is reported to the person, with the line', async () => {
    const engine = await ContextEngine.open(root);
    const files = new NodeWorkspaceFiles(root);
    const before = readFileSync(join(root, 'src/services.js'), 'utf8');
    const line = before.split('\n').findIndex((l) => l.includes(secretOf('stripe-restricted-key'))) + 1;
    assert.ok(line > 0, 'the file holds the key');
    server.enqueue({
      json: {
        summary: 'Read the key from the environment',
        edits: [
          {
            kind: 'replace',
            path: 'src/services.js',
            search: "const stripe = new Stripe('[REDACTED:stripe-key]');",
            replace: 'const stripe = new Stripe(process.env.STRIPE_KEY);',
          },
        ],
      },
    });
    const { tree, node } = TaskTree.empty(clock).addChild(null, {
      title: 'Read the Stripe key from the environment in src/services.js',
      budget: 20_000,
      likelyFiles: ['src/services.js'],
    });

    await assert.rejects(
      runNode(tree, node.id, {
        router: router(),
        engine,
        files,
        checkpoints: new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey }),
        review: { review: async () => 'reject' },
        applier: new FilesApplier(files),
      }),
      (err: Error) => {
        assert.ok(err instanceof RedactedLineEditError);
        assert.equal(
          err.message,
          `The maker's edit cannot apply: line ${line} of src/services.js holds a secret that was redacted before sending; edit it yourself. Nothing was changed.`,
        );
        return true;
      },
    );
    attempted(`the maker edits line ${line}, holding the Stripe key, quoting its placeholder`, line > 0 && server.pendingSteps === 0);
    assert.match(userText(server, 0), /new Stripe\('\[REDACTED:stripe-key\]'\)/, 'the maker was shown the placeholder it quoted');
    assert.equal(server.chatRequests.length, 1, 'not asked again: no model can see that line');
    assert.equal(readFileSync(join(root, 'src/services.js'), 'utf8'), before, 'nothing was written');
  });
});
