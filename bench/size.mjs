#!/usr/bin/env node
// What the editor loads when Baton activates: the size of each bundle and of the packaged .vsix.
//   npm run bench:size            sizes of dist/ as built (run npm run build, or npm run package, first)
//   npm run bench:size -- FILE    also the size of a .vsix (default: the newest *.vsix in the repo root)
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const kb = (bytes) => `${(bytes / 1024).toFixed(0).padStart(6)} KB`;

function size(path) {
  return statSync(path, { throwIfNoEntry: false })?.size;
}

const rows = [
  ['dist/extension.js', 'parsed when the extension activates'],
  ['dist/cli.js', 'the baton command line and MCP server'],
  ['dist/webview.js', 'loaded by the sidebar webview'],
  ['dist/tokenizers/cl100k_base.cjs', 'read on the first plan counting with cl100k_base'],
  ['dist/tokenizers/o200k_base.cjs', 'read on the first plan counting with o200k_base'],
];
let missing = false;
for (const [file, what] of rows) {
  const bytes = size(join(repoRoot, file));
  if (bytes === undefined) missing = true;
  console.log(`${file.padEnd(34)} ${bytes === undefined ? '     (missing)' : kb(bytes)}  ${what}`);
}
const vsix =
  process.argv[2] ??
  readdirSync(repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(repoRoot, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (vsix) console.log(`${vsix.replace(`${repoRoot}/`, '').padEnd(34)} ${kb(size(vsix) ?? 0)}  the packaged extension`);
else console.log('(no .vsix: npm run package makes one)');
if (missing) {
  console.error('bench:size: some bundles are missing; run npm run build first.');
  process.exitCode = 1;
}
