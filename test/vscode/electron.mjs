#!/usr/bin/env node
// npm run test:electron: the same in-editor suite in desktop VS Code (Electron) through
// @vscode/test-electron, for machines that can download VS Code from update.code.visualstudio.com
// (this project's CI machines cannot: there `npm run test:vscode` runs the suite in code-server).
// On a Linux machine without a display, run it under xvfb-run. The browser-driven checks
// (command palette, webview text, screenshots) need test/vscode/run.mjs's runner and are skipped
// here; activation and command registration run.
//   node test/vscode/electron.mjs [--version stable|insiders|1.90.0] [--grep TEXT] [--no-build]
// --version 1.90.0 runs on the oldest VS Code that package.json's engines.vscode accepts.
import { runTests } from '@vscode/test-electron';
import { parseArgs } from 'node:util';
import { buildExtension, bundleSuite, copySampleWorkspace, root } from './prepare.mjs';

const { values: opt } = parseArgs({
  options: {
    version: { type: 'string', default: process.env.VSCODE_VERSION ?? 'stable' },
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});

if (!opt['no-build']) buildExtension();
const { testsPath } = await bundleSuite();
const workspace = copySampleWorkspace();
let code = 0;
try {
  await runTests({
    version: opt.version,
    extensionDevelopmentPath: root,
    extensionTestsPath: testsPath,
    launchArgs: [workspace.folder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    extensionTestsEnv: opt.grep ? { BATON_TEST_GREP: opt.grep } : {},
  });
} catch (err) {
  console.error(`[test:electron] ${err instanceof Error ? err.message : String(err)}`);
  code = 1;
} finally {
  workspace.remove();
}
process.exit(code);
