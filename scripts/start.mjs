#!/usr/bin/env node
// npm start: Baton in a real VS Code in the browser. Builds the extension, packs it as a .vsix,
// installs it into a throw-away code-server (installing code-server itself first if needed, see
// scripts/install-real-vscode.sh), opens a copy of sample-workspace/ and serves the workbench on
// 127.0.0.1 until Ctrl-C.
//   npm start [-- --port N] [-- --folder DIR] [-- --dev]
// --port N / $PORT   port to listen on (default: a free one)
// --folder DIR       open DIR itself instead of a copy of sample-workspace/
// --dev              load the repository as the extension under development instead of a packed
//                    .vsix: after `node esbuild.mjs --watch` rebuilds, "Developer: Reload Window"
//                    picks the change up
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureRealVscode, folderQuery, freePort, startCodeServer } from '../test/vscode/codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opt } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT },
    folder: { type: 'string' },
    dev: { type: 'boolean', default: false },
  },
});
const say = (m) => console.error(`[start] ${m}`);
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-start-'));
let server = null;
let stopping = false;

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('stopping code-server');
  await server?.stop();
  fs.rmSync(runDir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('SIGHUP', () => void shutdown(0));

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
}

async function main() {
  say('building the extension (node esbuild.mjs)');
  run(process.execPath, ['esbuild.mjs'], 'node esbuild.mjs');
  const vsix = path.join(runDir, 'baton.vsix');
  if (!opt.dev) {
    say('packing it (vsce package --no-dependencies)');
    // The README's images are relative and ship in the .vsix (docs/): keep the links as they are.
    run(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--out', vsix], 'vsce package');
  }
  ensureRealVscode();

  let folder = opt.folder ? path.resolve(opt.folder) : path.join(runDir, 'sample-workspace');
  if (opt.folder) {
    if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--folder ${opt.folder}: not a directory`);
  } else {
    fs.cpSync(path.join(root, 'sample-workspace'), folder, { recursive: true }); // the repo copy stays clean
  }
  folder = fs.realpathSync(folder);

  const port = Number(opt.port) || (await freePort());
  fs.mkdirSync(path.join(root, 'out'), { recursive: true });
  server = await startCodeServer({
    runDir,
    port,
    installExtensions: opt.dev ? [] : [vsix],
    smokeTestDriver: opt.dev, // the only way a built web workbench honours extensionDevelopmentPath
    logFile: path.join(root, 'out/start-server.log'),
  });
  let url = `${server.url}?folder=${folderQuery(folder)}`;
  if (opt.dev) {
    const remote = `vscode-remote://${server.host}${root.split('/').map(encodeURIComponent).join('/')}`;
    url += `&payload=${encodeURIComponent(JSON.stringify([['extensionDevelopmentPath', remote]]))}`;
  }
  console.log(`\nBaton is running in VS Code at ${url}\n`);
  say(`Baton icon in the activity bar, or F1 "Baton: Show Context Plan". Workspace: ${folder}. Ctrl-C stops.`);
  const why = await server.exited;
  if (stopping) return; // Ctrl-C: shutdown() is already under way
  say(why);
  await shutdown(1);
}

main().catch(async (err) => {
  say(err instanceof Error ? err.message : String(err));
  await shutdown(1);
});
