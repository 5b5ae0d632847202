import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextEngine } from '../../src/core/context/engine';
import { formatLedger } from '../../src/core/context/ledger';
import { RoleRouter } from '../../src/core/providers/router';
import { shannonEntropy, looksRandom } from '../../src/core/security/entropy';
import { redactSecrets } from '../../src/core/security/redact';
import { verbatimRanges } from '../../src/core/context/redactPackedBlocks';
import { linesBehindPlaceholders } from '../../src/core/security/redactedLines';
import { planTask } from '../../src/core/tasks/planner';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { fakeSecrets, materialiseSecretsWorkspace, type FakeSecret } from '../fixtures/secrets/fakeSecrets';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';

const fixtures = join(__dirname, '..', 'fixtures');
const clock = { now: () => Date.UTC(2026, 0, 1) };

/** Every piece of a secret long enough to be worth anything (each line of a PEM body too). */
function secretPieces(secret: FakeSecret): string[] {
  return secret.secret.split(/\n|\\n/).filter((piece) => piece.length >= 8 && !piece.startsWith('-----'));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('security: secrets are redacted before anything is sent', function () {
  this.timeout(30_000);
  const secrets = fakeSecrets();

  it(`has fixtures of at least 20 secret formats (${secrets.length})`, () => {
    assert.ok(secrets.length >= 20);
    const workspaceText = filesUnder(join(fixtures, 'secrets', 'workspace'))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    for (const s of secrets) assert.ok(workspaceText.includes(`{{FAKE:${s.format}}}`), `the fixture workspace uses ${s.format}`);
  });

  describe('catches each format in a realistic line', () => {
    for (const secret of secrets) {
      it(secret.format, async () => {
        const { text, findings } = await redactSecrets(`# config\n${secret.line}\nnext = 1\n`);
        for (const piece of secretPieces(secret)) assert.ok(!text.includes(piece), `${secret.format} leaked: ${text}`);
        assert.ok(findings.length >= 1);
        assert.equal(findings[0]!.line, 2);
        assert.match(text, /\[REDACTED:[a-z0-9-]+\]/);
        assert.ok(!findings.some((f) => secretPieces(secret).some((piece) => f.preview.includes(piece))), 'previews are masked');
        assert.equal(text.split('\n').length, `# config\n${secret.line}\nnext = 1\n`.split('\n').length, 'the line count is kept');
      });
    }
  });

  it("finds nothing in ordinary code (the pyshop and tsapp fixtures, and this repository's source)", async () => {
    const paths = [...filesUnder(join(fixtures, 'pyshop')), ...filesUnder(join(fixtures, 'tsapp')), ...filesUnder(join(__dirname, '..', '..', 'src'))];
    const found: string[] = [];
    for (const path of paths) {
      const { findings } = await redactSecrets(readFileSync(path, 'utf8'));
      found.push(...findings.map((f) => `${path}:${f.line} ${f.rule}`));
    }
    assert.deepEqual(found, []);
  });

  it('leaves ordinary code that looks like a header, a URL parameter or a password field alone', async () => {
    const ordinary = [
      'headers: { Authorization: `Bearer ${token}` },',
      "headers.Authorization = 'Bearer ' + token;",
      'type Headers = { Authorization: AuthorizationHeader };',
      '  -H "Authorization: Bearer $GITHUB_TOKEN" \\',
      'curl -H "X-API-Key: <your key>" https://api.example.com/v1',
      'key: ${{ runner.os }}-cache-key-v2',
      'cache-key: build-cache-main',
      'fetch(`/search?q=${query}&page=2&sort=name&key=title`)',
      'https://example.com/callback?token=YOUR_TOKEN&state=xyz',
      'token = scanner.scan();',
      'password: z.string().min(8),',
      '"password": "Password",',
      '"confirm_password": "Confirm password",',
      "password = os.environ['DB_PASSWORD']",
      '"pass": "${DB_PASS}"',
      'bypass: "cacheLayer2"',
      'curl -u "$USER:$PASS" https://ci.example.com/api',
      'connectionString.parse("mongodb://username:password@host:1234/db");',
      '"Server=db;Database=shop;User Id=sa;Password={0};"',
      'const sha = "da39a3ee5e6b4b0d3255bfef95601890afd80709";',
      'key: "item-42",',
      'primaryKey: "user_id_2023",',
      'const salt = bcrypt.genSaltSync(10);',
      `const greeting = "${Buffer.from('hello world, this is plain text').toString('hex')}";`,
    ];
    const found: string[] = [];
    for (const line of ordinary) found.push(...(await redactSecrets(line)).findings.map((f) => `${line} -> ${f.rule}`));
    assert.deepEqual(found, []);
  });

  it('finds a secret hidden by hex, base64 or percent encoding', async () => {
    const token = secrets.find((s) => s.format === 'github-pat-classic')!.secret;
    const encodings = {
      hex: Buffer.from(token).toString('hex'),
      base64: Buffer.from(`export GH=${token}`).toString('base64'),
      percent: [...token].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    };
    for (const [name, encoded] of Object.entries(encodings)) {
      const { text, findings } = await redactSecrets(`blob = ${encoded}\n`);
      assert.ok(!text.includes(encoded.slice(8, 40)), `${name}: ${text}`);
      assert.match(findings.map((f) => f.rule).join(), /encoded-secret|high-entropy/, name);
    }
  });

  it('leaves identifiers, hex digests and UUIDs alone, but not random tokens', () => {
    for (const word of [
      'WebGL2RenderingContextBase',
      'JsonSchema7TypeUnion',
      'A_return_statement_can_only_be_used_1108',
      'parseISO8601DateTimeString',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      '550e8400-e29b-41d4-a716-446655440000',
    ]) {
      assert.equal(looksRandom(word), false, word);
    }
    assert.equal(looksRandom('q8Vd2KfL0xZ7mRt4Wb9NcYp3'), true);
    assert.ok(shannonEntropy('aaaa') === 0 && Math.abs(shannonEntropy('abcd') - 2) < 1e-9);
  });

  it('redacts about 50 KB of packed text well within 50 ms of CPU time', async () => {
    const code = [...filesUnder(join(fixtures, 'pyshop')), ...filesUnder(join(fixtures, 'tsapp'))].map((p) => readFileSync(p, 'utf8')).join('\n');
    let text = secrets.map((s) => s.line).join('\n');
    while (text.length < 50_000) text += `\n${code}`;
    await redactSecrets(text); // loads and compiles the rules once
    // CPU time, not wall time: on a loaded machine the wall clock also counts other processes' turns.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = process.cpuUsage();
      await redactSecrets(text);
      const used = process.cpuUsage(before);
      times.push((used.user + used.system) / 1000);
    }
    times.sort((a, b) => a - b);
    assert.ok(times[2]! < 50, `median ${times[2]!.toFixed(1)} ms of CPU for ${text.length} characters`);
  });

  it('finds the file lines behind the placeholders an edit quotes', async () => {
    const slack = secrets.find((s) => s.format === 'slack-bot-token')!;
    const stripe = secrets.find((s) => s.format === 'stripe-restricted-key')!;
    const file = `// clients\n${slack.line}\n${stripe.line}\nexport {};\n`;
    const shown = (await redactSecrets(file)).text;
    assert.deepEqual(await linesBehindPlaceholders(file, shown.split('\n').slice(1, 3).join('\n')), [2, 3], 'quoted as shown');
    assert.deepEqual(
      await linesBehindPlaceholders(file, "const slack = makeClient('[REDACTED:slack-token]');"),
      [2],
      'the rest of the line changed: found by its kind',
    );
    assert.deepEqual(await linesBehindPlaceholders(file, 'export {};'), [], 'no placeholder quoted');
  });

  it('claims as verbatim only the lines redaction did not change', () => {
    assert.deepEqual(
      verbatimRanges(
        [
          [1, 10],
          [20, 22],
        ],
        [3, 4, 10, 21],
      ),
      [
        [1, 2],
        [5, 9],
        [20, 20],
        [22, 22],
      ],
    );
    assert.deepEqual(verbatimRanges([[5, 5]], [5]), []);
  });

  describe('through the real provider to a scripted server', () => {
    let server: ScriptedServer;
    let root: string;
    beforeEach(async () => {
      root = mkdtempSync(join(tmpdir(), 'baton-secrets-'));
      materialiseSecretsWorkspace(root);
      server = await ScriptedServer.start();
      server.models = [{ id: 'planner-model', max_model_len: 64000 }];
    });
    afterEach(async () => {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    });
    const router = (): RoleRouter =>
      RoleRouter.fromSettings(
        { roles: { planner: { provider: 'vllm', model: 'planner-model', baseURL: server.baseURL } } },
        { secrets: new MemorySecretStore() },
      );

    it('sends no secret from the files or the task, and the ledger names every redacted item', async () => {
      const engine = await ContextEngine.open(root);
      const github = secrets.find((s) => s.format === 'github-pat-classic')!.secret;
      const task =
        'Move every hard-coded credential in config/settings.py, config/app.yaml, config/appsettings.json, src/clients.js, src/gcp.js, src/services.js, ' +
        `deploy/ci_notify.sh, deploy/app-env.yaml, docs/api.md and tests/test_tls.py into environment variables. The CI token is ${github}.`;
      const { tree, node } = TaskTree.empty(clock).addChild(null, { title: task, budget: 40_000 });
      server.enqueue({
        json: {
          subtasks: [
            {
              title: 'Read credentials from the environment',
              goal: 'no literals',
              acceptance: ['none left'],
              likelyFiles: ['config/settings.py'],
              budgetShare: 1,
              dependsOn: [],
              mode: 'delegate',
            },
          ],
          notes: '',
        },
      });

      const planned = await planTask({ router: router(), engine, tree, nodeId: node.id });

      const bodies = server.chatRequests.map((r) => r.rawBody);
      assert.equal(bodies.length, 1);
      const leaked = secrets.filter((s) =>
        secretPieces(s).some((piece) => bodies.some((b) => b.includes(piece) || b.includes(JSON.stringify(piece).slice(1, -1)))),
      );
      assert.deepEqual(
        leaked.map((s) => s.format),
        [],
        'no secret reached the server',
      );

      const ledger = planned.prompt.plan.ledger;
      const shownFiles = [
        'config/app.yaml',
        'config/appsettings.json',
        'config/settings.py',
        'deploy/app-env.yaml',
        'deploy/ci_notify.sh',
        'docs/api.md',
        'src/clients.js',
        'src/gcp.js',
        'src/services.js',
        'tests/test_tls.py',
      ];
      for (const path of shownFiles) {
        const item = ledger.items.find((it) => it.path === path);
        assert.ok(item, `${path} is in the plan`);
        assert.ok((item.redacted ?? 0) >= 1, `${path}: the ledger records its redactions`);
      }
      assert.equal(ledger.items.reduce((n, it) => n + (it.redacted ?? 0), 0) >= secrets.length - 1, true, 'each fixture secret counted');
      assert.equal(ledger.redactedInTask, 1, 'the secret in the task text');
      assert.match(formatLedger(ledger), /secrets redacted before sending: the task \(1\), /);
      assert.ok(planned.prompt.promptTokens <= planned.prompt.budget, 'still within the budget');

      // The verbatim claims stay true: every claimed line is in the prompt exactly as in the file.
      for (const { path, ranges } of planned.prompt.plan.context) {
        const lines = readFileSync(join(root, path), 'utf8').split('\n');
        for (const [s, e] of ranges) assert.ok(planned.prompt.plan.prompt.includes(lines.slice(s - 1, e).join('\n')), `${path}:${s}-${e} is verbatim`);
      }
    });

    it('redacts at the provider gate too, for prompts the engine did not build (a breaker diff, test output)', async () => {
      const slack = secrets.find((s) => s.format === 'slack-bot-token')!.secret;
      server.enqueue({ text: 'ok' });
      const binding = await router().bindingFor('planner');
      await binding.provider.chat({
        model: binding.model,
        messages: [{ role: 'user', content: `-const slack = new WebClient('${slack}');\n+const slack = new WebClient(process.env.SLACK_TOKEN);` }],
      });
      assert.ok(!server.chatRequests[0]!.rawBody.includes(slack));
      assert.match(server.chatRequests[0]!.rawBody, /\[REDACTED:slack-token\]/);
    });
  });
});
