#!/usr/bin/env node
// npm run test:vscode: the in-editor tests in a real VS Code (code-server's extension host,
// driven through headless Chromium), offline. Installs that VS Code if needed
// (scripts/install-real-vscode.sh), builds the extension, bundles test/vscode/suite/ (mocha
// included) into out/test-vscode/, opens a throw-away copy of sample-workspace/ and runs the
// suite with the repository as the extension under development.
//   node test/vscode/run.mjs [--grep TEXT] [--timeout SEC] [--no-build] [--verbose]
// Exit code: 0 passed, 1 tests failed, 124 timed out, 2 could not run. Screenshots land in
// out/screenshots/, server and workbench logs in out/test-vscode-logs/.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRealVscode, runExtensionTests, stopAllServers } from './codeServer.mjs';
import { buildExtension, bundleSuite, copySampleWorkspace, root } from './prepare.mjs';

const { values: opt } = parseArgs({
  options: {
    grep: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    'no-build': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const say = (m) => console.error(`[test:vscode] ${m}`);
let workspace = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    say(`${sig}: stopping`);
    await stopAllServers();
    workspace?.remove();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}

async function main() {
  const started = Date.now();
  ensureRealVscode();
  if (!opt['no-build']) buildExtension();
  const { testsPath, files } = await bundleSuite();
  workspace = copySampleWorkspace();
  say(`running ${files.length} test file(s) in code-server`);
  const code = await runExtensionTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: testsPath,
    folder: workspace.folder,
    shotDir: path.join(root, 'out/screenshots'),
    logDir: path.join(root, 'out/test-vscode-logs'),
    timeoutSec: Number(opt.timeout),
    env: opt.grep ? { BATON_TEST_GREP: opt.grep } : {},
    verbose: opt.verbose,
  });
  workspace.remove();
  const verdict = { 0: 'passed', 1: 'FAILED', 124: 'TIMED OUT' }[code] ?? 'COULD NOT RUN';
  say(`${verdict} in ${((Date.now() - started) / 1000).toFixed(1)} s (exit ${code}); screenshots in out/screenshots/, logs in out/test-vscode-logs/`);
  return code;
}

process.exit(
  await main().catch((err) => {
    say(String(err?.stack ?? err));
    workspace?.remove();
    return 2;
  }),
);
