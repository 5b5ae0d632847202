import { strict as assert } from 'node:assert';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { scanWorkspace } from '../../src/core/context/scan';
import { makeTree as makeTreeAt } from '../support/tempTree';

const makeTree = (files: Record<string, string | Buffer>): string => makeTreeAt('baton-scan-', files);

describe('scan', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('honours .gitignore at every level and .batonignore', async () => {
    root = makeTree({
      '.gitignore': '*.log\n/generated/\n',
      'app.py': 'x = 1\n',
      'debug.log': 'log\n',
      'generated/x.py': 'y = 2\n',
      'pkg/.gitignore': 'local_*.py\n!local_keep.py\n',
      'pkg/local_tmp.py': 'z\n',
      'pkg/local_keep.py': 'k\n',
      'pkg/mod.py': 'm\n',
      'pkg/sub/deep.log': 'd\n',
      '.batonignore': 'private/\n',
      'private/plan.md': 'secret plan\n',
    });
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['.batonignore', '.gitignore', 'app.py', 'pkg/.gitignore', 'pkg/local_keep.py', 'pkg/mod.py'],
    );
    const reasons = Object.fromEntries(scan.skipped.map((s) => [s.path, `${s.reason}: ${s.detail}`]));
    assert.equal(reasons['debug.log'], 'ignored: matched .gitignore');
    assert.equal(reasons['generated/'], 'ignored: matched .gitignore');
    assert.equal(reasons['pkg/local_tmp.py'], 'ignored: matched pkg/.gitignore');
    assert.equal(reasons['pkg/sub/deep.log'], 'ignored: matched .gitignore');
    assert.equal(reasons['private/'], 'ignored: matched .batonignore');
  });

  it('leaves out dependency and build folders, lock files and secrets by default', async () => {
    root = makeTree({
      'src/a.ts': 'export const a = 1;\n',
      'node_modules/lib/index.js': 'module.exports = 1;\n',
      '.git/config': '[core]\n',
      'dist/a.js': 'var a = 1;\n',
      'package-lock.json': '{}\n',
      '.env': 'API_KEY=sk-1234\n',
      '.env.production': 'API_KEY=sk-5678\n',
      'certs/server.pem': '-----BEGIN PRIVATE KEY-----\n',
      'config/credentials.json': '{"token": "x"}\n',
    });
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['src/a.ts'],
    );
    const reasons = Object.fromEntries(scan.skipped.map((s) => [s.path, s.reason]));
    assert.deepEqual(reasons, {
      '.env': 'secret',
      '.env.production': 'secret',
      '.git/': 'excluded',
      'certs/server.pem': 'secret',
      'config/credentials.json': 'secret',
      'dist/': 'excluded',
      'node_modules/': 'excluded',
      'package-lock.json': 'excluded',
    });
  });

  it('leaves out binary, oversized and non-UTF-8 files, saying why', async () => {
    root = makeTree({
      'ok.py': 'print("ok")\n',
      'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
      'big.txt': 'a'.repeat(5000),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    });
    const scan = await scanWorkspace(root, { maxFileBytes: 4096 });
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['ok.py'],
    );
    const skipped = Object.fromEntries(scan.skipped.map((s) => [s.path, s]));
    assert.equal(skipped['image.png']!.reason, 'binary');
    assert.equal(skipped['big.txt']!.reason, 'too-large');
    assert.match(skipped['big.txt']!.detail, /5 KB, over the 4 KB limit \(setting baton\.context\.maxFileBytes\)/);
    assert.equal(skipped['latin1.txt']!.reason, 'not-utf8');
  });

  it('survives symlink loops, and never follows links outside the workspace or to secrets', async () => {
    root = makeTree({ 'a/file.py': 'x = 1\n', '.env': 'TOKEN=abc\n' });
    const outside = makeTree({ 'elsewhere.py': 'y = 2\n' });
    symlinkSync(join(root, 'a'), join(root, 'a', 'loop'));
    symlinkSync(outside, join(root, 'out'));
    symlinkSync(join(root, '.env'), join(root, 'config.txt'));
    symlinkSync(join(root, 'missing'), join(root, 'broken'));
    const scan = await scanWorkspace(root);
    assert.deepEqual(
      scan.files.map((f) => f.path),
      ['a/file.py'],
    );
    const reasons = Object.fromEntries(scan.skipped.map((s) => [s.path, `${s.reason}: ${s.detail}`]));
    assert.match(reasons['a/loop/']!, /^symlink: link loop/);
    assert.equal(reasons['out'], 'symlink: link leads outside the workspace');
    assert.match(reasons['config.txt']!, /^secret: link to \.env/);
    assert.equal(reasons['broken'], 'symlink: broken link');
    rmSync(outside, { recursive: true, force: true });
  });

  it('stops at the file limit and says so', async () => {
    root = makeTree(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${String(i).padStart(2, '0')}.py`, `x = ${i}\n`])));
    const scan = await scanWorkspace(root, { maxFiles: 10 });
    assert.equal(scan.files.length, 10);
    assert.deepEqual(
      scan.skipped.map((s) => `${s.path} ${s.reason}`),
      ['f10.py file-limit', 'f11.py file-limit'],
    );
  });
});
