#!/usr/bin/env node
// npm run test:vscode: the in-editor tests in a real VS Code (code-server's extension host,
// driven through headless Chromium), offline. Installs that VS Code if needed
// (scripts/install-real-vscode.sh), builds the extension, bundles test/vscode/suite/ (mocha
// included) into out/test-vscode/, opens a throw-away copy of sample-workspace/ and runs the
// suite with the repository as the extension under development.
//   node test/vscode/run.mjs [--grep TEXT] [--timeout SEC] [--no-build] [--verbose]
// Exit code: 0 passed, 1 tests failed, 124 timed out, 2 could not run. Screenshots land in
// out/screenshots/, server and workbench logs in out/test-vscode-logs/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { ensureRealVscode, runExtensionTests, stopAllServers } from './codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values: opt } = parseArgs({
  options: {
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    'no-build': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const say = (m) => console.error(`[test:vscode] ${m}`);
let workspaceDir = null;
const removeWorkspace = () => workspaceDir && fs.rmSync(workspaceDir, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    say(`${sig}: stopping`);
    await stopAllServers();
    removeWorkspace();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

async function main() {
  const started = Date.now();
  ensureRealVscode();

  if (!opt['no-build']) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) { say('building the extension failed (node esbuild.mjs)'); return 2; }
  }

  const suiteDir = path.join(root, 'test/vscode/suite');
  const outDir = path.join(root, 'out/test-vscode');
  fs.rmSync(outDir, { recursive: true, force: true });
  const tests = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(suiteDir, f));
  await esbuild.build({
    entryPoints: [path.join(suiteDir, 'index.ts'), ...tests],
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

  // A fresh copy each run: the tests and the extension may write into the workspace.
  workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-ws-'));
  const folder = path.join(workspaceDir, 'sample-workspace');
  fs.cpSync(path.join(root, 'sample-workspace'), folder, { recursive: true });

  say(`running ${tests.length} test file(s) in code-server`);
  const code = await runExtensionTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(outDir, 'index.js'),
    folder,
    shotDir: path.join(root, 'out/screenshots'),
    logDir: path.join(root, 'out/test-vscode-logs'),
    timeoutSec: Number(opt.timeout),
    env: opt.grep ? { BATON_TEST_GREP: opt.grep } : {},
    verbose: opt.verbose,
  });
  removeWorkspace();
  const verdict = { 0: 'passed', 1: 'FAILED', 124: 'TIMED OUT' }[code] ?? 'COULD NOT RUN';
  say(`${verdict} in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code}); screenshots in out/screenshots/, logs in out/test-vscode-logs/`);
  return code;
}

process.exit(await main().catch((err) => { say(String(err?.stack ?? err)); return 2; }));
