import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextEngine } from '../../src/core/context/engine';
import { describeIndexing, SharedIndexing } from '../../src/core/context/sharedIndexing';
import { IndexingCancelledError } from '../../src/core/context/timeSlicer';
import type { IndexingProgress } from '../../src/core/ports';

describe('indexing shared by several callers', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-shared-indexing-'));
    mkdirSync(join(root, 'src'));
    for (let i = 0; i < 40; i++) writeFileSync(join(root, 'src', `m${i}.ts`), `export function f${i}(x: number): number {\n  return x + ${i};\n}\n`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const open = (): SharedIndexing<ContextEngine> => new SharedIndexing((control) => ContextEngine.open(root, control));

  it('tells every caller how far indexing got, and gives each the same engine', async () => {
    const run = open();
    const first: IndexingProgress[] = [];
    const second: IndexingProgress[] = [];
    const [a, b] = await Promise.all([run.join({ onProgress: (p) => first.push(p) }), run.join({ onProgress: (p) => second.push(p) })]);
    assert.equal(a, b);
    assert.deepEqual(first.at(-1), { stage: 'index', done: 40, total: 40 });
    assert.deepEqual(second, first);
    assert.equal(describeIndexing(first.at(-1)!), 'indexing: 40 of 40 files…');
  });

  it('stops indexing with a Cancelled error when its only caller cancels', async () => {
    const run = open();
    const controller = new AbortController();
    const waiting = run.join({ signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(waiting, (err: unknown) => err instanceof IndexingCancelledError && err.message.startsWith('Cancelled:'));
    assert.equal(run.cancelled, true, 'no one waits, so the scan stops');
  });

  it('keeps indexing for the callers still waiting when one of them cancels', async () => {
    const run = open();
    const controller = new AbortController();
    const cancelled = run.join({ signal: controller.signal });
    const kept = run.join();
    controller.abort();
    await assert.rejects(cancelled, IndexingCancelledError);
    assert.equal(run.cancelled, false);
    assert.equal((await kept).index.files.length, 40);
  });

  it('stops for every caller when the folder is closed', async () => {
    const run = open();
    const waiting = [run.join(), run.join()];
    run.abort();
    for (const w of waiting) await assert.rejects(w, IndexingCancelledError);
    assert.equal(run.cancelled, true, 'a new caller needs a new run');
  });

  it('words each stage for a progress notification', () => {
    assert.equal(describeIndexing({ stage: 'walk', done: 1200 }), 'indexing: 1,200 folders listed…');
    assert.equal(describeIndexing({ stage: 'read', done: 3, total: 50000 }), 'indexing: read 3 of 50,000 files…');
    assert.equal(describeIndexing({ stage: 'index', done: 12345, total: 50000 }), 'indexing: 12,345 of 50,000 files…');
  });
});
