import { strict as assert } from 'node:assert';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeStateStore, NodeWorkspaceFiles } from '../../src/node/nodeAdapters';
import { CheckpointError } from '../../src/core/checkpoints/checkpointError';
import { CheckpointStore } from '../../src/core/checkpoints/checkpointStore';
import { manifestPath } from '../../src/core/checkpoints/manifest';
import { ContextEngine } from '../../src/core/context/engine';
import { scanWorkspace } from '../../src/core/context/scan';
import { TaskTree } from '../../src/core/tasks/taskTree';
import { TaskTreeStore, TreeFileError } from '../../src/core/tasks/treeStore';
import { WebviewToHost } from '../../src/protocol';
import { fastTempDir, writeManyFiles } from '../support/faultMatrix';
import { testSigningKey } from '../support/checkpointFixtures';

// Issue 6, bad input: a 100 MB file, binary files, invalid UTF-8, very deep folders, symlink loops,
// a big workspace (20,000 files here to keep the unit suite quick; bench:reliability scans 100,000),
// malformed .baton/ state, and webview messages of the wrong shape: no crash, a clear note, nothing lost.
const clock = { now: () => Date.UTC(2026, 0, 1) };
const DEEP = 300;

describe('reliability: bad input', function () {
  this.timeout(20_000);
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-bad-input-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('plans around a 100 MB file, binary and invalid UTF-8 files, a 300-deep folder chain and a symlink loop', async () => {
    writeFileSync(join(root, 'cart.py'), 'def total(items):\n    return sum(items)\n');
    closeSync(openSync(join(root, 'huge.log.txt'), 'w'));
    truncateSync(join(root, 'huge.log.txt'), 100 * 1024 * 1024); // sparse: instant, no disk used
    writeFileSync(join(root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    writeFileSync(join(root, 'latin1.txt'), Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'));
    writeFileSync(join(root, 'truncated-utf8.txt'), Buffer.from([0x68, 0x69, 0xe2, 0x82])); // a cut multi-byte character
    const deepFolder = join(root, ...Array.from({ length: DEEP }, () => 'd'));
    mkdirSync(deepFolder, { recursive: true });
    writeFileSync(join(deepFolder, 'bottom.py'), 'BOTTOM = True\n');
    mkdirSync(join(root, 'pkg'));
    symlinkSync('..', join(root, 'pkg', 'loop'));
    symlinkSync('loop2', join(root, 'loop1'));
    symlinkSync('loop1', join(root, 'loop2'));

    const engine = await ContextEngine.open(root);
    const plan = await engine.plan({ task: 'Cart total should round to cents', budget: 4000 });
    const omitted = new Map(plan.ledger.omitted.map((o) => [o.path, `${o.reason}: ${o.detail}`]));
    assert.match(omitted.get('huge.log.txt') ?? '', /^too-large: 100\.0 MB, over the 1\.0 MB limit \(setting baton\.context\.maxFileBytes\)$/);
    assert.equal(omitted.get('logo.png'), 'binary: holds NUL bytes');
    assert.equal(omitted.get('latin1.txt'), 'not-utf8: not valid UTF-8 text');
    assert.equal(omitted.get('truncated-utf8.txt'), 'not-utf8: not valid UTF-8 text');
    assert.match(omitted.get('pkg/loop/') ?? '', /^symlink: link loop back to \./);
    assert.equal(omitted.get('loop1'), 'symlink: broken link');
    assert.ok(
      plan.ledger.items.some((item) => item.path === 'cart.py'),
      'the real source is still planned',
    );
    const scan = await scanWorkspace(root);
    assert.ok(
      scan.files.some((f) => f.path === `${'d/'.repeat(DEEP)}bottom.py`),
      'the file at the bottom of the deep chain is found',
    );
  });

  it('scans a 20,000-file workspace, and says which files went over the file limit', async () => {
    const many = fastTempDir('many-files');
    try {
      await writeManyFiles(many, 20_000);
      const scan = await scanWorkspace(many, { maxFiles: 15_000 });
      assert.equal(scan.files.length, 15_000);
      const overLimit = scan.skipped.filter((s) => s.reason === 'file-limit');
      assert.equal(overLimit.length, 5_000, 'every file over the limit is listed, none silently dropped');
      assert.equal(overLimit[0]!.detail, 'more than 15000 files in the workspace');
    } finally {
      rmSync(many, { recursive: true, force: true });
    }
  });

  it('names a malformed .baton/tree.json and never overwrites it', async () => {
    const state = new NodeStateStore(join(root, '.baton'));
    const store = new TaskTreeStore(state, clock);
    mkdirSync(join(root, '.baton'));
    for (const broken of [
      '{"schemaVersion": 2, "nodes": [',
      '\u0000\u00ff binary',
      '{"schemaVersion": 2, "nextSeq": 1, "roots": ["t1"], "nodes": [{"id": "t1"}]}',
      '[]',
      '{"schemaVersion": 99}',
    ]) {
      const bytes = Buffer.from(broken, 'latin1');
      writeFileSync(join(root, '.baton', 'tree.json'), bytes);
      await assert.rejects(
        store.load(),
        (error: unknown) => error instanceof TreeFileError && /^\.baton\/tree\.json cannot be read: .+ Baton left the file untouched/.test(error.message),
      );
      await assert.rejects(store.save(TaskTree.empty(clock)), TreeFileError);
      assert.deepEqual(readFileSync(join(root, '.baton', 'tree.json')), bytes, 'the unreadable file is kept byte for byte');
    }
    // Starting fresh keeps the bad file aside, then saves.
    const fresh = await store.load({ startFreshIfUnreadable: true });
    assert.match(fresh.keptBadFileAs ?? '', /^tree\.json\.bad-/);
    assert.ok(readFileSync(join(root, '.baton', fresh.keptBadFileAs!)).length > 0);
  });

  it('refuses a restore across a malformed checkpoint manifest among its own, naming it, and keeps the others listed', async () => {
    writeFileSync(join(root, 'a.txt'), 'one\n');
    const files = new NodeWorkspaceFiles(root);
    const warnings: string[] = [];
    const log = { info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined, trace: () => undefined, show: () => undefined };
    const store = new CheckpointStore({ files, state: new NodeStateStore(join(root, '.baton')), clock, key: testSigningKey, log } as ConstructorParameters<
      typeof CheckpointStore
    >[0]);
    const first = await store.create({ nodeId: 't1', label: 'first', paths: ['a.txt'] });
    writeFileSync(join(root, 'a.txt'), 'two\n');
    await store.recordAfter(first);
    const second = await store.create({ nodeId: 't2', label: 'second', paths: ['a.txt'] });
    writeFileSync(join(root, 'a.txt'), 'three\n');
    await store.recordAfter(second);
    const third = await store.create({ nodeId: 't3', label: 'third', paths: ['b.txt'] });
    writeFileSync(join(root, 'b.txt'), 'new\n');
    await store.recordAfter(third);
    writeFileSync(join(root, '.baton', ...manifestPath(second).split('/')), '{"version": 1, "id": ');

    const history = await store.history();
    assert.deepEqual(
      history.map((h) => h.id),
      [third, first],
      'the readable checkpoints are still listed',
    );
    assert.ok(
      warnings.some((w) => w.includes(second)),
      'the unreadable one is logged',
    );
    await assert.rejects(
      store.restore(first),
      (error: unknown) => error instanceof CheckpointError && error.code === 'unreadable-manifest' && error.message.includes(manifestPath(second)),
    );
    assert.equal(readFileSync(join(root, 'a.txt'), 'utf8'), 'three\n', 'nothing was written');
    assert.equal(readFileSync(join(root, 'b.txt'), 'utf8'), 'new\n', 'nothing was deleted');
  });

  it('rejects webview messages of the wrong shape, and never lets one pollute a prototype', () => {
    const bad: unknown[] = [
      null,
      undefined,
      42,
      'ready',
      [],
      [{ type: 'ready' }],
      {},
      { type: 'nope' },
      { type: 42 },
      { type: { toString: 'ready' } },
      { type: 'openItem' },
      { type: 'openItem', path: 7 },
      { type: 'openItem', path: '' },
      { type: 'openItem', path: '/etc/passwd' },
      { type: 'openItem', path: '../outside.txt' },
      { type: 'openItem', path: 'a/../../b' },
      { type: 'openItem', path: 'C:\\Windows\\win.ini' },
      { type: 'openItem', path: 'x'.repeat(10 * 1024 * 1024) },
      { type: 'x'.repeat(1024 * 1024) },
      JSON.parse('{"__proto__": {"type": "ready"}}'),
      JSON.parse('{"constructor": {"prototype": {"type": "ready"}}}'),
    ];
    for (const message of bad) {
      assert.equal(WebviewToHost.safeParse(message).success, false, `accepted ${JSON.stringify(message)?.slice(0, 80)}`);
    }
    // Extra keys, the pollution kind included, are stripped from what the host gets, and pollute nothing.
    const polluting = JSON.parse('{"type": "ready", "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}') as unknown;
    const parsed = WebviewToHost.safeParse(polluting);
    if (parsed.success) {
      assert.deepEqual(Object.keys(parsed.data), ['type']);
      assert.equal(Object.getPrototypeOf(parsed.data), Object.prototype);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
