// The bundles. The extension host's and the `baton` CLI's code (CommonJS on Node, `vscode`
// external) is built in one rolldown build: esbuild cannot split CommonJS output, and one build
// lets both entries share their chunks, so each module exists once in dist/ and once at run time.
// What the host only reaches through `await import()` lands in chunks required on first use, so
// activation parses only extension.js and the chunks it requires at once (dist/chunks.json lists
// them for bench/size.mjs). The webview is an ESM bundle for the browser, built by esbuild.
// Tree-sitter's runtime and grammars are WASM files read at run time, so they are copied next to
// the bundles, and so are the tokenizers' merge tables (megabytes of JavaScript that every start
// would otherwise parse).
import * as esbuild from 'esbuild';
import { build as rolldown, watch as rolldownWatch } from 'rolldown';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const webview = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  entryPoints: ['webview/main.ts'],
  outfile: 'dist/webview.js',
};

const EXTENSION_ENTRY = resolve('src/host/extension.ts');
const SERVICES_ENTRY = resolve('src/host/batonServices.ts');
const PLAN_WORKER_ENTRY = resolve('src/node/planWorker.ts');
const HOST_DIR = resolve('src/host') + sep;

/** The modules an entry reaches: by static imports only, or also through `await import()`. */
function reachable(entry, moduleInfo, dynamic) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const info = moduleInfo(stack.pop());
    if (!info || seen.has(info.id)) continue;
    seen.add(info.id);
    stack.push(...info.importedIds, ...(dynamic ? info.dynamicallyImportedIds : []));
  }
  return seen;
}

// Five named chunks besides the entries, so that what loads when reads from dist/:
//   services.js the host's services (sidebar, stores, command table) that the first use loads: the
//               sidebar opening, a command, the tool; activation itself loads extension.js and the
//               small shared chunks it requires at once (capped by ACTIVATION_MAX_BYTES below)
//   base.js     the core code the services need (task tree, checkpoints, message schemas with zod)
//   engine.js   what the first run loads: secret rules, tokenizer, model clients, maker, test command
//   planner.js  the context engine (scanner, index, tree-sitter, ranking, packing): only the plan
//               worker (planWorker.js, a thread of its own) and the CLI load it, never the host
//   commands.js the editor's commands behind `await import()` (they import `vscode`, so never the CLI's)
// The CLI's own code stays in cli.js and its subcommands' chunks. base.js, engine.js and planner.js
// import nothing of the host.
let graph = { atActivation: new Set(), atFirstUse: new Set(), inExtension: new Set(), inWorker: new Set() };
const moduleGraph = {
  name: 'baton-module-graph',
  buildEnd() {
    const info = (id) => this.getModuleInfo(id);
    graph = {
      atActivation: reachable(EXTENSION_ENTRY, info, false),
      atFirstUse: reachable(SERVICES_ENTRY, info, false),
      inExtension: reachable(EXTENSION_ENTRY, info, true),
      inWorker: reachable(PLAN_WORKER_ENTRY, info, true),
    };
  },
};
const lazy = (id) => graph.inExtension.has(id) && !graph.atActivation.has(id);
const onFirstUse = (id) => lazy(id) && graph.atFirstUse.has(id);
const chunkGroups = [
  { name: 'planner', test: (id) => id !== PLAN_WORKER_ENTRY && graph.inWorker.has(id) && !graph.inExtension.has(id) },
  { name: 'services', test: (id) => onFirstUse(id) && id.startsWith(HOST_DIR) },
  { name: 'base', test: (id) => onFirstUse(id) && !id.startsWith(HOST_DIR) },
  { name: 'commands', test: (id) => lazy(id) && id.startsWith(HOST_DIR) },
  { name: 'engine', test: (id) => lazy(id) && !id.startsWith(HOST_DIR) },
];

// extension.js and what it requires at once, unminified (the in-editor test checks the same bound).
const ACTIVATION_MAX_BYTES = 32 * 1024;
const SHEBANG = '#!/usr/bin/env node';
const node = {
  input: { extension: 'src/host/extension.ts', cli: 'src/cli/main.ts', planWorker: 'src/node/planWorker.ts' },
  platform: 'node',
  external: ['vscode'],
  plugins: [moduleGraph],
  // The chunks' own exports are what other chunks import; the entries keep theirs too.
  preserveEntrySignatures: 'allow-extension',
  transform: { target: 'node20' },
  // web-tree-sitter's Emscripten glue evaluates its own generated code with eval; nothing of ours does.
  onLog: (level, log, handler) => (log.code === 'EVAL' ? undefined : handler(level, log)),
  output: {
    dir: 'dist',
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    comments: { legal: false },
    entryFileNames: '[name].js',
    // Next to the entries: the engine finds its WASM and tokenizer files beside the file it runs from.
    chunkFileNames: '[name].js',
    // `await import()` becomes a require() on first use (the extension host loads CommonJS).
    dynamicImportInCjs: false,
    // Each group only its own modules: a dependency stays in the chunk whose group names it.
    codeSplitting: { groups: chunkGroups, includeDependenciesRecursively: false },
    banner: (chunk) => (chunk.fileName === 'cli.js' ? SHEBANG : ''),
  },
};

/** Which files each chunk requires at once and which on first use, for bench/size.mjs. */
function writeChunkGraph(output) {
  const chunks = output
    .filter((o) => o.type === 'chunk')
    .map((c) => ({
      file: c.fileName,
      entry: c.isEntry,
      bytes: Buffer.byteLength(c.code),
      usesVscode: c.imports.includes('vscode'),
      imports: c.imports.filter((i) => i.endsWith('.js')),
      dynamicImports: c.dynamicImports.filter((i) => i.endsWith('.js')),
    }));
  const byFile = new Map(chunks.map((c) => [c.file, c]));
  const closure = (file, dynamic) => {
    const seen = new Set();
    for (const stack = [file]; stack.length;) {
      const c = byFile.get(stack.pop());
      if (!c || seen.has(c.file)) continue;
      seen.add(c.file);
      stack.push(...c.imports, ...(dynamic ? c.dynamicImports : []));
    }
    return [...seen];
  };
  // The CLI and the plan worker run without VS Code, and the extension must never run the CLI's main.
  for (const entry of ['cli.js', 'planWorker.js']) {
    const vscodeInEntry = closure(entry, true).filter((f) => byFile.get(f).usesVscode);
    if (vscodeInEntry.length) throw new Error(`esbuild.mjs: ${entry} would load ${vscodeInEntry.join(', ')}, which require vscode`);
  }
  if (closure('extension.js', true).includes('cli.js')) throw new Error('esbuild.mjs: the extension would load cli.js');
  // Activation registers and nothing more: what it parses stays small, the services load on first use.
  const atActivation = closure('extension.js', false);
  const activationBytes = atActivation.reduce((sum, f) => sum + byFile.get(f).bytes, 0);
  if (activationBytes > ACTIVATION_MAX_BYTES)
    throw new Error(
      `esbuild.mjs: activation would parse ${activationBytes} bytes (${atActivation.join(', ')}), over ${ACTIVATION_MAX_BYTES}; import what extension.ts needs beyond registration with await import()`,
    );
  // The context engine runs in the plan worker's thread, never in the extension host's.
  if (closure('extension.js', true).includes('planner.js'))
    throw new Error('esbuild.mjs: the extension would load planner.js (the context engine) in the host');
  writeFileSync('dist/chunks.json', JSON.stringify(chunks, null, 2) + '\n');
}

/** The grammars the language specs in syntax.ts parse with (the grammar package ships more). */
function grammarsInUse() {
  const names = new Set([...readFileSync('src/core/context/syntax.ts', 'utf8').matchAll(/\bgrammar: '([\w-]+)'/g)].map((m) => m[1]));
  if (names.size === 0) throw new Error("esbuild.mjs: no `grammar: '...'` found in src/core/context/syntax.ts; update grammarsInUse()");
  return names;
}

function copyRuntimeFiles() {
  const grammars = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  const runtime = join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm');
  rmSync('dist/grammars', { recursive: true, force: true });
  mkdirSync('dist/grammars', { recursive: true });
  for (const grammar of grammarsInUse()) copyFileSync(join(grammars, `tree-sitter-${grammar}.wasm`), join('dist/grammars', `tree-sitter-${grammar}.wasm`));
  copyFileSync(runtime, 'dist/web-tree-sitter.wasm');
  mkdirSync('dist/tokenizers', { recursive: true });
  for (const name of ['cl100k_base', 'o200k_base']) copyFileSync(require.resolve(`js-tiktoken/ranks/${name}`), join('dist/tokenizers', `${name}.cjs`));
}

// Chunks are named after a module of theirs: one left from an earlier build must not linger in dist/.
mkdirSync('dist', { recursive: true });
for (const f of readdirSync('dist', { withFileTypes: true }).filter((e) => e.isFile())) rmSync(join('dist', f.name));
const [{ output }] = await Promise.all([rolldown(node), esbuild.build(webview)]);
writeChunkGraph(output);
copyRuntimeFiles();
chmodSync('dist/cli.js', 0o755);
if (watch) {
  await (await esbuild.context(webview)).watch();
  rolldownWatch(node);
}
