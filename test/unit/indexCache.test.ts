import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBlob, sealBlob } from '../../src/core/context/cacheBlob';
import { ContextEngine, type ContextPlan, type PlanRequest } from '../../src/core/context/engine';
import { engineBuild, IndexCache } from '../../src/core/context/indexCache';
import { decodeSnapshot, encodeSnapshot } from '../../src/core/context/indexSnapshot';
import { defaultCacheRoot, MAX_CACHED_WORKSPACES, NodeIndexCacheStore } from '../../src/node/nodeIndexCacheStore';

const fixture = join(__dirname, '..', 'fixtures', 'pyshop');
const RESERVE: PlanRequest = { task: 'Inventory.reserve raises OutOfStockError even when enough stock is left', budget: 900 };
const TAX: PlanRequest = { task: 'compute_tax rounds EU tax the wrong way for small subtotals in Cart.total', budget: 900 };

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-ws-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

function cacheFolder(): string {
  return mkdtempSync(join(tmpdir(), 'baton-cache-'));
}

/** A plan as a person sees it: the prompt, the ledger and what is claimed verbatim. */
function seen(plan: ContextPlan): unknown {
  return { prompt: plan.prompt, ledger: plan.ledger, ranking: plan.ranking, context: plan.context };
}

async function freshPlan(ws: string, request: PlanRequest): Promise<unknown> {
  return seen(await (await ContextEngine.open(ws)).plan(request));
}

/** Opens with the cache, plans, saves: what one `baton context` run does. */
async function run(ws: string, store: NodeIndexCacheStore, request: PlanRequest): Promise<{ engine: ContextEngine; plan: ContextPlan }> {
  const engine = await ContextEngine.open(ws, { cache: store });
  const plan = await engine.plan(request);
  assert.deepEqual(await engine.saveCache(), [], 'the cache is written without problems');
  return { engine, plan };
}

describe('index cache (real files on disk)', () => {
  it('a second run reuses the index, the graph, the extents and the token counts, and plans the same prompt', async () => {
    const ws = workspace();
    const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
    const first = await run(ws, store, RESERVE);
    const files = first.engine.index.files.length;
    assert.deepEqual(first.engine.cacheStats!.loaded, { index: 'absent', extents: 'absent', tokens: 'absent' });
    assert.equal(first.engine.cacheStats!.filesIndexed, files);
    assert.deepEqual(first.engine.cacheStats!.written.sort(), ['extents', 'index', 'tokens']);

    const second = await run(ws, store, RESERVE);
    const stats = second.engine.cacheStats!;
    assert.deepEqual(stats.loaded, { index: 'used', extents: 'used', tokens: 'used' });
    assert.equal(stats.filesReused, files);
    assert.equal(stats.filesIndexed, 0);
    assert.equal(stats.graphReused, true);
    assert.ok(stats.extentsReused > 0, 'extents come from the cache');
    assert.equal(stats.extentsParsed, 0, 'nothing is parsed again');
    assert.deepEqual(stats.written, [], 'an unchanged workspace and a known task write nothing');
    assert.deepEqual(seen(second.plan), seen(first.plan));
    assert.deepEqual(seen(second.plan), await freshPlan(ws, RESERVE), 'the plan from the cache is the plan from a fresh index');
  });

  it('a different task on the unchanged workspace reuses the index and plans what a fresh index plans', async () => {
    const ws = workspace();
    const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
    await run(ws, store, RESERVE);
    const other = await run(ws, store, TAX);
    assert.equal(other.engine.cacheStats!.filesIndexed, 0);
    assert.equal(other.engine.cacheStats!.graphReused, true);
    assert.deepEqual(seen(other.plan), await freshPlan(ws, TAX));
  });

  it('an edited file is indexed again even with the same size and time: its new names and terms are used, its old ones never', async () => {
    const ws = workspace();
    const path = join(ws, 'shop', 'inventory.py');
    const stamp = 1_700_000_000; // whole seconds: set again exactly after the edit
    utimesSync(path, stamp, stamp);
    const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
    await run(ws, store, RESERVE);

    const before = statSync(path);
    const text = readFileSync(path, 'utf8');
    const edited = text.replace('def release(', 'def restore(');
    assert.equal(edited.length, text.length);
    writeFileSync(path, edited);
    utimesSync(path, stamp, stamp);
    assert.equal(statSync(path).size, before.size);
    assert.equal(statSync(path).mtimeMs, before.mtimeMs, 'size and time stamp say nothing changed');

    const task: PlanRequest = { task: 'Inventory.restore should refuse negative quantities', budget: 900 };
    const { engine, plan } = await run(ws, store, task);
    const stats = engine.cacheStats!;
    assert.equal(stats.filesIndexed, 1, 'only the edited file is indexed again');
    assert.equal(stats.filesReused, engine.index.files.length - 1);
    assert.equal(stats.graphReused, false, 'the graph is built again');
    const inventory = engine.index.byPath.get('shop/inventory.py')!.id;
    assert.deepEqual(engine.index.definingFiles('restore'), [inventory]);
    assert.deepEqual(engine.index.definingFiles('release'), [], 'the old name is gone');
    assert.ok(engine.index.bm25.has(inventory, 'restore'));
    assert.ok(!engine.index.bm25.has(inventory, 'release'));
    assert.ok(stats.extentsParsed >= 1, 'the edited file is parsed again');
    assert.match(plan.prompt, /def restore\(/);
    assert.doesNotMatch(plan.prompt, /def release\(/);
    assert.deepEqual(seen(plan), await freshPlan(ws, task));
  });

  it('forgets files that are gone: their index entries and extents are dropped on write', async () => {
    const ws = workspace();
    const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
    const first = await run(ws, store, RESERVE);
    const gone = first.engine.index.contentHash(first.engine.index.byPath.get('shop/inventory.py')!.id)!;
    rmSync(join(ws, 'shop', 'inventory.py'));
    await run(ws, store, RESERVE);

    const saved = decodeSnapshot(openBlob((await store.read('index'))!, 'index', engineBuild()));
    assert.ok(!saved.files.some((f) => f.path === 'shop/inventory.py'));
    assert.equal(saved.files.length, first.engine.index.files.length - 1);
    const extents = Buffer.from((await store.read('extents'))!).toString('latin1');
    assert.ok(!extents.includes(gone), "the deleted file's extents are not kept");
  });

  describe('never trusts a cache file it cannot check', () => {
    const damages: [string, (bytes: Buffer) => Buffer][] = [
      ['truncated to half', (b) => b.subarray(0, b.length >> 1)],
      ['cut by one byte', (b) => b.subarray(0, b.length - 1)],
      ['one byte of the body changed', (b) => flip(b, b.length - 5)],
      ['empty', () => Buffer.alloc(0)],
      ['random bytes', (b) => Buffer.from(Array.from({ length: b.length }, (_, i) => (i * 7919) & 255))],
      ['another format version', (b) => flip(b, 12)],
      ['written by another build', (b) => Buffer.from(b.toString('latin1').replace(engineBuild(), engineBuild().replace(/\d/, 'x')), 'latin1')],
    ];
    for (const name of ['index', 'extents', 'tokens']) {
      for (const [what, damage] of damages) {
        it(`${name}: ${what}`, async () => {
          const ws = workspace();
          const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
          const first = await run(ws, store, RESERVE);
          const file = join(store.folder, name);
          writeFileSync(file, damage(readFileSync(file)));

          const { engine, plan } = await run(ws, store, RESERVE);
          assert.match(engine.cacheStats!.loaded[name as 'index'], /^rejected: /);
          if (name === 'index') assert.equal(engine.cacheStats!.filesIndexed, first.engine.index.files.length, 'every file is indexed again');
          if (name === 'extents') assert.equal(engine.cacheStats!.extentsReused, 0);
          assert.deepEqual(seen(plan), seen(first.plan), 'the plan is the one a fresh index makes');
          assert.ok(engine.cacheStats!.written.includes(name as 'index'), 'the damaged file is rewritten');
          const again = await IndexCache.load(store);
          assert.equal(again.stats.loaded[name as 'index'], 'used', 'and reads whole the next time');
        });
      }
    }

    it('index: well-formed and checksummed, but holding lines and graph edges out of range', async () => {
      const ws = workspace();
      const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
      const first = await run(ws, store, RESERVE);
      const snapshot = first.engine.index.snapshot()!;
      const hostile = [
        { ...snapshot, files: snapshot.files.map((f) => ({ ...f, file: { ...f.file, definitions: [{ name: 'x', line: 0 }] } })) },
        { ...snapshot, graph: { ...snapshot.graph!, targets: snapshot.graph!.targets.map(() => 1_000_000) } },
      ];
      for (const [i, forged] of hostile.entries()) {
        await store.write('index', sealBlob('index', engineBuild(), encodeSnapshot(forged)));
        const { engine, plan } = await run(ws, store, RESERVE);
        assert.match(engine.cacheStats!.loaded.index, i === 0 ? /^rejected: definition line out of range/ : /^rejected: edge target out of range/);
        assert.deepEqual(seen(plan), seen(first.plan));
      }
    });

    it('a link in place of a cache file is not followed', async () => {
      const ws = workspace();
      const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
      await run(ws, store, RESERVE);
      const elsewhere = join(mkdtempSync(join(tmpdir(), 'baton-elsewhere-')), 'index');
      writeFileSync(elsewhere, readFileSync(join(store.folder, 'index')));
      rmSync(join(store.folder, 'index'));
      symlinkSync(elsewhere, join(store.folder, 'index'));
      const cache = await IndexCache.load(store);
      assert.match(cache.stats.loaded.index, /^unreadable: /);
    });
  });

  it('two processes writing at once leave a cache that always reads whole', async function () {
    this.timeout(120_000);
    const ws = workspace();
    const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
    const writer = join(__dirname, '..', 'support', 'indexCacheWriter.ts');
    const children = [0, 1].map(
      (i) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(process.execPath, ['--require', 'tsx/cjs', writer, ws, store.folder, String(i), '12'], {
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          child.on('error', reject);
          child.on('exit', resolve);
        }),
    );
    let done = false;
    const finished = Promise.all(children).then((codes) => {
      done = true;
      return codes;
    });
    let reads = 0;
    while (!done) {
      const cache = await IndexCache.load(store);
      for (const outcome of Object.values(cache.stats.loaded)) assert.match(outcome, /^(used|absent)$/, 'a reader never sees half a file');
      reads++;
    }
    assert.deepEqual(await finished, [0, 0]);
    assert.ok(reads > 1);
    assert.deepEqual(readdirSync(store.folder).sort(), ['extents', 'index', 'tokens'], 'no temp file is left behind');
    const { engine, plan } = await run(ws, store, RESERVE);
    assert.deepEqual(engine.cacheStats!.loaded, { index: 'used', extents: 'used', tokens: 'used' });
    assert.deepEqual(seen(plan), await freshPlan(ws, RESERVE));
  });

  describe('where it lives', () => {
    it('in the per-user cache folder, never in the workspace', () => {
      assert.equal(defaultCacheRoot({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/p'), '/x/cache/baton');
      assert.equal(defaultCacheRoot({}, 'linux', '/home/p'), '/home/p/.cache/baton');
      assert.equal(
        defaultCacheRoot({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/p'),
        '/home/p/.cache/baton',
        'a relative XDG_CACHE_HOME is ignored, as the spec says',
      );
      assert.equal(defaultCacheRoot({}, 'darwin', '/Users/p'), '/Users/p/Library/Caches/baton');
    });

    it('keyed by the workspace real path: a link to it shares its cache, another workspace does not', () => {
      const root = cacheFolder();
      const ws = workspace();
      const link = join(mkdtempSync(join(tmpdir(), 'baton-link-')), 'ws');
      symlinkSync(ws, link);
      const store = NodeIndexCacheStore.forWorkspace(root, ws);
      assert.equal(NodeIndexCacheStore.forWorkspace(root, link).folder, store.folder);
      assert.notEqual(NodeIndexCacheStore.forWorkspace(root, workspace()).folder, store.folder);
      assert.ok(store.folder.startsWith(join(root, 'index')));
    });

    it(`keeps the caches of the ${MAX_CACHED_WORKSPACES} most recently used workspaces`, async () => {
      const root = cacheFolder();
      for (let i = 0; i < MAX_CACHED_WORKSPACES + 5; i++) {
        const old = join(root, 'index', `old${String(i).padStart(3, '0')}`);
        mkdirSync(old, { recursive: true });
        utimesSync(old, 1_600_000_000 + i, 1_600_000_000 + i);
      }
      const ws = workspace();
      const store = NodeIndexCacheStore.forWorkspace(root, ws);
      await run(ws, store, RESERVE);
      const left = readdirSync(join(root, 'index')).sort();
      assert.equal(left.length, MAX_CACHED_WORKSPACES);
      assert.ok(left.includes(store.folder.split('/').pop()!), "this workspace's cache is kept");
      assert.ok(!left.includes('old000') && !left.includes('old005'), 'the least recently used are gone');
      assert.ok(left.includes('old006'));
    });

    it("a workspace's own .baton folder cannot plant entries", async () => {
      const ws = workspace();
      const store = NodeIndexCacheStore.forWorkspace(cacheFolder(), ws);
      const first = await run(ws, store, RESERVE);
      // The workspace carries a well-formed cache that claims other definitions for its files.
      const forged = first.engine.index.snapshot()!;
      const planted = { ...forged, files: forged.files.map((f) => ({ ...f, file: { ...f.file, definitions: [{ name: 'planted_name', line: 1 }] } })) };
      mkdirSync(join(ws, '.baton'), { recursive: true });
      writeFileSync(join(ws, '.baton', 'index'), sealBlob('index', engineBuild(), encodeSnapshot(planted)));
      rmSync(store.folder, { recursive: true });
      const { engine } = await run(ws, store, RESERVE);
      assert.equal(engine.cacheStats!.loaded.index, 'absent');
      assert.deepEqual(engine.index.definingFiles('planted_name'), []);
    });
  });
});

function flip(bytes: Buffer, at: number): Buffer {
  const out = Buffer.from(bytes);
  out[at] = out[at]! ^ 0xff;
  return out;
}
