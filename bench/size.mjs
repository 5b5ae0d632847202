#!/usr/bin/env node
// What the editor loads when Baton activates, and when: the size of each bundle and chunk in dist/
// (after the build, dist/chunks.json says which file requires which, at once or on first use),
// the code parsed at activation, and the size of the packaged .vsix.
//   npm run bench:size            sizes of dist/ as built (run npm run build, or npm run package, first)
//   npm run bench:size -- FILE    also the size of a .vsix (default: the newest *.vsix in the repo root)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(repoRoot, 'dist');
const kb = (bytes) =>
  `${Math.round(bytes / 1024)
    .toLocaleString('en-US')
    .padStart(6)} KB`;
const size = (path) => statSync(path, { throwIfNoEntry: false })?.size;
const row = (file, bytes, what) => console.log(`${file.padEnd(34)} ${bytes === undefined ? '     (missing)' : kb(bytes)}  ${what}`);

const graphFile = join(dist, 'chunks.json');
if (!existsSync(graphFile)) {
  console.error('bench:size: dist/chunks.json is missing; run npm run build (or npm run package) first.');
  process.exit(1);
}
const chunks = new Map(JSON.parse(readFileSync(graphFile, 'utf8')).map((c) => [c.file, c]));
/** The chunks `file` loads: at once, or also those it loads on first use. */
function closure(file, onFirstUse) {
  const seen = new Set();
  for (const stack = [file]; stack.length;) {
    const c = chunks.get(stack.pop());
    if (!c || seen.has(c.file)) continue;
    seen.add(c.file);
    stack.push(...c.imports, ...(onFirstUse ? c.dynamicImports : []));
  }
  return seen;
}
const atActivation = closure('extension.js', false);
// The services (sidebar, stores, command table): loaded by the first use, the sidebar opening or a command.
const atFirstUse = new Set([...closure('services.js', false)].filter((f) => !atActivation.has(f)));
const inExtension = closure('extension.js', true);
const inCli = closure('cli.js', true);
const inPlanWorker = closure('planWorker.js', true);
const alsoCli = (file) => (inCli.has(file) ? ' (the CLI too)' : '');
const when = (file) =>
  atActivation.has(file)
    ? `parsed when the extension activates${alsoCli(file)}`
    : atFirstUse.has(file)
      ? `loaded when the sidebar opens or a command runs${alsoCli(file)}`
      : inExtension.has(file)
        ? `loaded with the first plan or run${alsoCli(file)}`
        : inPlanWorker.has(file)
          ? `loaded by the plan worker's thread, never the host's${alsoCli(file)}`
          : 'the baton command line and MCP server only';
const order = (file) => (atActivation.has(file) ? 0 : atFirstUse.has(file) ? 1 : inExtension.has(file) ? 2 : inPlanWorker.has(file) ? 3 : 4);
for (const file of [...chunks.keys()].sort((a, b) => order(a) - order(b) || chunks.get(b).bytes - chunks.get(a).bytes))
  row(`dist/${file}`, size(join(dist, file)), when(file));
let missing = [...chunks.keys()].some((f) => size(join(dist, f)) === undefined);
for (const [file, what] of [
  ['dist/webview.js', 'loaded by the sidebar webview'],
  ['dist/tokenizers/cl100k_base.cjs', 'read on the first plan counting with cl100k_base'],
  ['dist/tokenizers/o200k_base.cjs', 'read on the first plan counting with o200k_base'],
]) {
  const bytes = size(join(repoRoot, file));
  missing ||= bytes === undefined;
  row(file, bytes, what);
}
const bytesOf = (files) => [...files].reduce((sum, f) => sum + (size(join(dist, f)) ?? 0), 0);
console.log(`${'code parsed at activation'.padEnd(34)} ${kb(bytesOf(atActivation))}  ${[...atActivation].join(' + ')}`);
console.log(`${'... and by the first use'.padEnd(34)} ${kb(bytesOf(atFirstUse))}  ${[...atFirstUse].join(' + ')}`);

const vsix =
  process.argv[2] ??
  readdirSync(repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(repoRoot, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (vsix) {
  // `unzip -Z1` lists the entries; the count says what vsce packed.
  const files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l && !l.endsWith('/')).length;
  row(vsix.replace(`${repoRoot}/`, ''), size(vsix) ?? 0, `the packaged extension (${files} files)`);
} else console.log('(no .vsix: npm run package makes one)');
if (missing) {
  console.error('bench:size: some bundles are missing; run npm run build first.');
  process.exitCode = 1;
}
