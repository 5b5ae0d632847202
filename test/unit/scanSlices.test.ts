import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextEngine } from '../../src/core/context/engine';
import { scanWorkspace } from '../../src/core/context/scan';
import { IndexingCancelledError } from '../../src/core/context/timeSlicer';
import type { IndexingProgress } from '../../src/core/ports';

/** A workspace with one of every kind of entry the scan reads or leaves out, links included. */
function mixedWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'baton-slices-'));
  const write = (path: string, content: string | Buffer): void => {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  write('.gitignore', '*.log\n');
  write('src/app.ts', 'export function start(): void {}\n');
  write('src/util.ts', 'export const twice = (n: number): number => 2 * n;\n');
  write('debug.log', 'ignored\n');
  write('.env', 'API_KEY=not-a-real-key\n');
  write('node_modules/pkg/index.js', 'module.exports = 1;\n');
  write('logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
  write('huge.txt', 'x'.repeat(2048));
  write('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9]));
  for (let i = 0; i < 40; i++) write(`many/file${i}.ts`, `export const value${i} = ${i};\n`);
  symlinkSync('src/app.ts', join(root, 'app-link.ts'));
  symlinkSync('.env', join(root, 'innocent.txt'));
  symlinkSync('src', join(root, 'src-link'));
  symlinkSync(tmpdir(), join(root, 'outside'));
  symlinkSync('missing.ts', join(root, 'dangling.ts'));
  return root;
}

describe('scan and index in slices', () => {
  let root: string;
  beforeEach(() => (root = mixedWorkspace()));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the same files and leaves out the same entries, for the same reasons, as the scan before it', async () => {
    const scan = await scanWorkspace(root, { maxFileBytes: 1024 });
    // What the earlier, blocking scan gave on this workspace.
    assert.deepEqual(
      scan.files.map((f) => `${f.path} ${f.size}`),
      [
        '.gitignore 6',
        'app-link.ts 33',
        ...Array.from({ length: 40 }, (_, i) => `many/file${i}.ts ${i < 10 ? 25 : 27}`).sort(),
        'src/app.ts 33',
        'src/util.ts 51',
      ],
    );
    assert.deepEqual(
      scan.skipped.map((s) => `${s.path}: ${s.reason}, ${s.detail}`),
      [
        '.env: secret, looks like a secret or credential file',
        'dangling.ts: symlink, broken link',
        'debug.log: ignored, matched .gitignore',
        'huge.txt: too-large, 2 KB, over the 1 KB limit (setting baton.context.maxFileBytes)',
        'innocent.txt: secret, link to .env, looks like a secret or credential file',
        'latin1.txt: not-utf8, not valid UTF-8 text',
        'logo.png: binary, holds NUL bytes',
        'node_modules/: excluded, tool, dependency or build folder',
        'outside: symlink, link leads outside the workspace',
        'src-link/: symlink, link to src/, whose files are scanned there',
      ],
    );
  });

  it('reports each stage as it ends: folders walked, files read, files indexed', async () => {
    const seen: IndexingProgress[] = [];
    const engine = await ContextEngine.open(root, { maxFileBytes: 1024, onProgress: (p) => seen.push(p) });
    const last = (stage: IndexingProgress['stage']): IndexingProgress | undefined => seen.filter((p) => p.stage === stage).pop();
    assert.deepEqual(last('walk'), { stage: 'walk', done: 3 }); // the root, many/ and src/
    assert.deepEqual(last('read'), { stage: 'read', done: 47, total: 47 });
    assert.deepEqual(last('index'), { stage: 'index', done: engine.index.files.length, total: engine.index.files.length });
    assert.deepEqual([...new Set(seen.map((p) => p.stage))], ['walk', 'read', 'index']);
  });

  it('stops when cancelled, with a Cancelled error, and reads and indexes nothing more', async () => {
    const controller = new AbortController();
    const seen: IndexingProgress[] = [];
    const opening = ContextEngine.open(root, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.stage === 'walk') controller.abort();
      },
    });
    await assert.rejects(opening, (err: Error) => err instanceof IndexingCancelledError && err.message === 'Cancelled: the workspace was not indexed.');
    assert.deepEqual(
      seen.map((p) => p.stage),
      ['walk'],
      'no file was read or indexed after the cancel',
    );
  });
});
