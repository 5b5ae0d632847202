// What both in-editor runners need before VS Code starts: a fresh extension build, the suite
// bundled into out/test-vscode/ (mocha bundled in, `vscode` left to the extension host), and a
// throw-away copy of sample-workspace/ to open.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `node esbuild.mjs`; throws if it fails. */
export function buildExtension() {
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('building the extension failed (node esbuild.mjs); fix the build first');
}

/** Bundles test/vscode/suite/index.ts and each *.test.ts; returns { testsPath, files }. */
export async function bundleSuite() {
  const suiteDir = path.join(root, 'test/vscode/suite');
  const outDir = path.join(root, 'out/test-vscode');
  fs.rmSync(outDir, { recursive: true, force: true });
  const files = fs
    .readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(suiteDir, f));
  await esbuild.build({
    entryPoints: [path.join(suiteDir, 'index.ts'), ...files],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'], // provided by the extension host
    sourcemap: 'inline',
    logLevel: 'warning',
    // mocha's parallel mode (unused here) resolves its worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return { testsPath: path.join(outDir, 'index.js'), files };
}

/** Copies sample-workspace/ to a temp dir (the tests and the extension may write into it);
 *  returns { folder, remove() }. The folder keeps its name: the UI shows it. */
export function copySampleWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-ws-'));
  const folder = path.join(dir, 'sample-workspace');
  fs.cpSync(path.join(root, 'sample-workspace'), folder, { recursive: true });
  return { folder, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
