import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { ContextEngine } from '../../src/core/context/engine';
import { scanWorkspace, type ScanResult } from '../../src/core/context/scan';
import { readRefusal, WorkspaceRules } from '../../src/core/context/workspaceRules';
import { RoleRouter } from '../../src/core/providers/router';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { FilesApplier } from '../../src/core/proposals/filesApplier';
import { UnresolvableEditsError } from '../../src/core/proposals/maker';
import { runNode } from '../../src/core/run/nodeRun';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { fakeSecrets } from '../fixtures/secrets/fakeSecrets';
import { attempted } from '../support/attackLedger';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';
import { testSigningKey } from '../support/checkpointFixtures';
import { makeTree as makeTreeAt } from '../support/tempTree';

// The repository is not trusted, and neither are its links. Each attack plants real files and real
// symbolic links, checks the link is there and leads where the attack needs it to, then checks the
// scan (what the context engine may show a model) holds nothing from behind it.

const secret = fakeSecrets().find((s) => s.format === 'github-pat-classic')!.secret;

const makeTree = (files: Record<string, string>): string => makeTreeAt('baton-hostile-scan-', files);

/** Creates `path -> target`; true when the link is there and resolves to `leadsTo`, as the attack needs. */
function plantLink(root: string, path: string, target: string, leadsTo: string): boolean {
  const at = join(root, path);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at);
  return lstatSync(at).isSymbolicLink() && readlinkSync(at) === target && existsSync(at) && realpathSync(at) === leadsTo;
}

/** What reading through the link gives, as a model would get it if nothing stopped it. */
const readThrough = (root: string, path: string): string => readFileSync(join(root, path), 'utf8');

function everyText(scan: ScanResult): string {
  return scan.files.map((f) => `${f.path}\n${f.text}`).join('\n');
}

function reasonOf(scan: ScanResult, path: string): string | undefined {
  const entry = scan.skipped.find((s) => s.path === path);
  return entry && `${entry.reason}: ${entry.detail}`;
}

describe('hostile workspace: what the scanner reads through links', () => {
  const cleanup: string[] = [];
  afterEach(() => {
    for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const workspace = (files: Record<string, string>): string => {
    const root = makeTree(files);
    cleanup.push(root);
    return root;
  };

  it('attack read-through-link: a link to .git brings no hooks, logs or config', async () => {
    const root = workspace({
      'app.py': 'print("shop")\n',
      '.git/config': `[remote "origin"]\n\turl = https://x-access-token:${secret}@github.com/acme/shop.git\n`,
      '.git/hooks/pre-commit': '#!/bin/sh\necho hook-body-marker\n',
      '.git/logs/HEAD': '0000 1111 Dev <dev@acme.example> commit: log-marker\n',
    });
    attempted('meta -> .git', plantLink(root, 'meta', '.git', join(root, '.git')));
    attempted(
      'docs/hooks -> .git/hooks',
      plantLink(root, 'docs/hooks', '../.git/hooks', join(root, '.git/hooks')) && readThrough(root, 'docs/hooks/pre-commit').includes('hook-body-marker'),
    );
    attempted(
      'gitconfig.txt -> .git/config, holding a token',
      plantLink(root, 'gitconfig.txt', '.git/config', join(root, '.git/config')) && readThrough(root, 'gitconfig.txt').includes(secret),
    );

    const scan = await scanWorkspace(root);

    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['app.py'],
    );
    const text = everyText(scan);
    for (const marker of [secret, 'hook-body-marker', 'log-marker', 'x-access-token']) assert.ok(!text.includes(marker), `${marker} was not read`);
    assert.equal(reasonOf(scan, 'meta/'), 'excluded: link to .git/, tool, dependency or build folder');
    assert.equal(reasonOf(scan, 'docs/hooks/'), 'excluded: link to .git/hooks/, tool, dependency or build folder');
    assert.equal(reasonOf(scan, 'gitconfig.txt'), 'excluded: link to .git/config, tool, dependency or build folder');
  });

  it('attack read-through-link: links into node_modules, build output and ignored files are judged where they lead', async () => {
    const root = workspace({
      '.gitignore': '*.log\nprivate/\n',
      'src/index.ts': 'export const ok = 1;\n',
      'node_modules/pkg/index.js': 'module.exports = "dependency-marker";\n',
      'dist/bundle.js': 'var built = "build-marker";\n',
      'logs/server.log': `token=${secret}\n`,
      'private/plan.md': 'ignored-folder-marker\n',
    });
    attempted('vendor -> node_modules/pkg', plantLink(root, 'vendor', 'node_modules/pkg', join(root, 'node_modules/pkg')));
    attempted('src/dep.js -> a file in node_modules', plantLink(root, 'src/dep.js', '../node_modules/pkg/index.js', join(root, 'node_modules/pkg/index.js')));
    attempted('bundle.js -> build output', plantLink(root, 'bundle.js', 'dist/bundle.js', join(root, 'dist/bundle.js')));
    attempted(
      'src/latest.txt -> an ignored log holding a token',
      plantLink(root, 'src/latest.txt', '../logs/server.log', join(root, 'logs/server.log')) && readThrough(root, 'src/latest.txt').includes(secret),
    );
    attempted('plans -> an ignored folder', plantLink(root, 'plans', 'private', join(root, 'private')));
    attempted('plan.md -> a file in an ignored folder', plantLink(root, 'plan.md', 'private/plan.md', join(root, 'private/plan.md')));
    // A chain of links ends where the last one leads.
    const chained = plantLink(root, 'chain-b', 'node_modules/pkg/index.js', join(root, 'node_modules/pkg/index.js'));
    attempted('chain-a -> chain-b -> a file in node_modules', plantLink(root, 'chain-a', 'chain-b', join(root, 'node_modules/pkg/index.js')) && chained);

    const scan = await scanWorkspace(root);

    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['.gitignore', 'src/index.ts'],
    );
    const text = everyText(scan);
    for (const marker of [secret, 'dependency-marker', 'build-marker', 'ignored-folder-marker']) assert.ok(!text.includes(marker), `${marker} was not read`);
    assert.equal(reasonOf(scan, 'vendor/'), 'excluded: link to node_modules/pkg/, tool, dependency or build folder');
    assert.equal(reasonOf(scan, 'src/dep.js'), 'excluded: link to node_modules/pkg/index.js, tool, dependency or build folder');
    assert.equal(reasonOf(scan, 'bundle.js'), 'excluded: link to dist/bundle.js, tool, dependency or build folder');
    assert.equal(reasonOf(scan, 'src/latest.txt'), 'ignored: link to logs/server.log, matched .gitignore');
    assert.equal(reasonOf(scan, 'plans/'), 'ignored: link to private/, matched .gitignore');
    assert.equal(reasonOf(scan, 'plan.md'), 'ignored: link to private/plan.md, matched .gitignore');
    assert.match(reasonOf(scan, 'chain-a')!, /^excluded: link to node_modules\/pkg\/index\.js/);
  });

  it('attack read-through-link: links to secret files deep in the tree, under an innocent name, are refused', async () => {
    const root = workspace({
      'app.py': 'x = 1\n',
      'deploy/prod/.env.production': `GITHUB_TOKEN=${secret}\n`,
      'ops/.aws/credentials': `[default]\naws_secret=${secret}\n`,
    });
    attempted(
      'docs/settings.txt -> an .env file holding a token',
      plantLink(root, 'docs/settings.txt', '../deploy/prod/.env.production', join(root, 'deploy/prod/.env.production')) &&
        readThrough(root, 'docs/settings.txt').includes(secret),
    );
    attempted(
      'aws.ini -> AWS credentials',
      plantLink(root, 'aws.ini', 'ops/.aws/credentials', join(root, 'ops/.aws/credentials')) && readThrough(root, 'aws.ini').includes(secret),
    );

    const scan = await scanWorkspace(root);

    assert.ok(!everyText(scan).includes(secret));
    assert.equal(reasonOf(scan, 'docs/settings.txt'), 'secret: link to deploy/prod/.env.production, looks like a secret or credential file');
    assert.equal(reasonOf(scan, 'aws.ini'), 'secret: link to ops/.aws/credentials, looks like a secret or credential file');
  });

  it('attack read-through-link: a workspace file linking outside is never read, not even as an ignore file', async () => {
    const outside = makeTree({ 'id_token.txt': `${secret}\n`, 'patterns.txt': '*.py\n' });
    cleanup.push(outside);
    const root = workspace({ 'app.py': 'x = 1\n', 'lib/util.py': 'y = 2\n' });
    attempted(
      'notes.txt -> an outside file holding a token',
      plantLink(root, 'notes.txt', join(outside, 'id_token.txt'), join(outside, 'id_token.txt')) && readThrough(root, 'notes.txt').includes(secret),
    );
    attempted('shared -> a folder outside', plantLink(root, 'shared', outside, outside));
    attempted(
      'lib/.gitignore -> outside patterns that would hide lib/util.py',
      plantLink(root, 'lib/.gitignore', join(outside, 'patterns.txt'), join(outside, 'patterns.txt')) && readThrough(root, 'lib/.gitignore') === '*.py\n',
    );

    const scan = await scanWorkspace(root);

    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['app.py', 'lib/util.py'],
      'the outside patterns ignored nothing',
    );
    assert.ok(!everyText(scan).includes(secret));
    assert.equal(reasonOf(scan, 'notes.txt'), 'symlink: link leads outside the workspace');
    assert.equal(reasonOf(scan, 'shared'), 'symlink: link leads outside the workspace');
    assert.equal(reasonOf(scan, 'lib/.gitignore'), 'symlink: link leads outside the workspace');
  });

  it('attack read-through-link: a maker edit naming a linked or secret path is judged as the scan judges it', async () => {
    const outside = makeTree({ 'home.txt': `${secret}\n` });
    cleanup.push(outside);
    const root = workspace({ 'src/app.py': 'x = 1\n', '.git/config': '[core]\n', '.env': `TOKEN=${secret}\n`, 'node_modules/p/i.js': '1\n' });
    const outsideLink = plantLink(root, 'notes.txt', join(outside, 'home.txt'), join(outside, 'home.txt'));
    const gitLink = plantLink(root, 'gitconfig', '.git/config', join(root, '.git/config'));
    const dependencyLink = plantLink(root, 'lib', 'node_modules/p', join(root, 'node_modules/p'));
    const rules = new WorkspaceRules(root);
    const refusal = (path: string): string | undefined => {
      const r = readRefusal(rules, path);
      return r && `${r.reason}: ${r.detail}`;
    };
    assert.equal(refusal('src/app.py'), undefined);
    assert.equal(refusal('src/new_file.py'), undefined, 'a file that does not exist yet has nothing to read');
    // Each edit the maker might name, what makes it an attack, and how the scan judges it.
    const attacks: [string, string, boolean, string][] = [
      [
        'notes.txt',
        'a link to an outside file holding a token',
        outsideLink && readThrough(root, 'notes.txt').includes(secret),
        'symlink: link leads outside the workspace',
      ],
      ['gitconfig', 'a link to .git/config', gitLink, 'excluded: link to .git/config, tool, dependency or build folder'],
      ['.git/config', "git's config itself", existsSync(join(root, '.git/config')), 'excluded: tool, dependency or build folder'],
      ['.env', 'an env file holding a token', readThrough(root, '.env').includes(secret), 'secret: looks like a secret or credential file'],
      [
        'lib/i.js',
        'a file through lib -> node_modules/p',
        dependencyLink && existsSync(join(root, 'lib/i.js')),
        'excluded: link to node_modules/p/i.js, tool, dependency or build folder',
      ],
      [
        '../outside.txt',
        'a path climbing out of the workspace',
        !resolve(root, '../outside.txt').startsWith(`${root}/`),
        'unreadable: not a plain path inside the workspace',
      ],
    ];
    for (const [path, how, holds, judged] of attacks) {
      attempted(`an edit of ${path}, ${how}`, holds);
      assert.equal(refusal(path), judged);
    }
  });

  it('attack read-through-link: a maker edit of a file linking outside or into .git never puts its text in a prompt', async () => {
    const outside = makeTree({ 'home.txt': `outside-marker ${secret}\n` });
    cleanup.push(outside);
    const root = workspace({ 'src/app.py': 'x = 1\n', '.git/config': '[core]\n\tgit-config-marker = 1\n' });
    const outsideLink = plantLink(root, 'notes.txt', join(outside, 'home.txt'), join(outside, 'home.txt'));
    const gitLink = plantLink(root, 'gitconfig', '.git/config', join(root, '.git/config'));
    const server = await ScriptedServer.start();
    try {
      server.models = [{ id: 'm', max_model_len: 16000 }];
      const answer = {
        summary: 's',
        edits: [
          { kind: 'replace', path: 'notes.txt', search: 'outside-marker', replace: 'x' },
          { kind: 'replace', path: 'gitconfig', search: 'git-config-marker', replace: 'x' },
        ],
      };
      server.enqueue({ json: answer }, { json: answer });
      const router = RoleRouter.fromSettings(
        { roles: { maker: { provider: 'vllm', model: 'm', baseURL: server.baseURL }, breaker: { provider: 'vllm', model: 'm', baseURL: server.baseURL } } },
        { secrets: new MemorySecretStore() },
      );
      const files = new NodeWorkspaceFiles(root);
      const { tree, node } = TaskTree.empty({ now: () => 0 }).addChild(null, { title: 'Tidy notes.txt and gitconfig', budget: 8000 });

      await assert.rejects(
        runNode(tree, node.id, {
          router,
          engine: await ContextEngine.open(root),
          files,
          checkpoints: new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock: { now: () => 0 }, key: testSigningKey }),
          review: { review: async () => 'reject' },
          applier: new FilesApplier(files),
        }),
        (err: Error) =>
          err instanceof UnresolvableEditsError &&
          /notes\.txt is never shown to a model \(link leads outside the workspace\)/.test(err.message) &&
          /gitconfig is never shown to a model \(link to \.git\/config/.test(err.message),
      );
      assert.equal(server.chatRequests.length, 2, 'the maker, asked twice; the breaker never saw a diff');
      const served = server.pendingSteps === 0; // both of the maker's answers naming the two links
      attempted('the maker edits notes.txt -> an outside file, twice', outsideLink && served);
      attempted('the maker edits gitconfig -> .git/config, twice', gitLink && served);
      const bodies = server.requests.map((r) => r.rawBody).join('\n');
      for (const marker of ['outside-marker', secret, 'git-config-marker']) assert.ok(!bodies.includes(marker), `${marker} reached no model`);
      assert.equal(readFileSync(join(outside, 'home.txt'), 'utf8'), `outside-marker ${secret}\n`, 'nothing was written through the link');
    } finally {
      await server.close();
    }
  });

  it('follows no link to a folder: its files are scanned once, where they are', async () => {
    const root = workspace({ 'src/a.py': 'a = 1\n', 'src/b.py': 'b = 2\n' });
    assert.ok(plantLink(root, 'alias', 'src', join(root, 'src')), 'alias leads to src');
    assert.ok(plantLink(root, 'src/self', '.', join(root, 'src')), 'src/self leads back to src');
    const engine = await ContextEngine.open(root);
    assert.deepEqual(
      engine.index.files.map((f) => f.path),
      ['src/a.py', 'src/b.py'],
    );
    const reasons = Object.fromEntries(engine.index.skipped.map((s) => [s.path, `${s.reason}: ${s.detail}`]));
    assert.equal(reasons['alias/'], 'symlink: link to src/, whose files are scanned there');
    assert.equal(reasons['src/self/'], 'symlink: link loop back to src');
  });

  it('scans a folder nested 1,000 deep, every level (its time is in bench:reliability)', async () => {
    const root = workspace({});
    let dir = root;
    for (let level = 1; level <= 1000; level++) {
      dir = join(dir, 'd');
      mkdirSync(dir);
      if (level % 250 === 0) writeFileSync(join(dir, `level${level}.txt`), `${level}\n`);
    }
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.text.trim()),
      ['1000', '750', '500', '250'],
    );
    assert.equal(scan.files.find((f) => f.text === '1000\n')!.path, `${'d/'.repeat(1000)}level1000.txt`);
  });
});
