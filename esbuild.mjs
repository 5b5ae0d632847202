// Three bundles: the extension host (CommonJS on Node, `vscode` external), the webview
// (ESM for the browser) and the `baton` CLI. Tree-sitter's runtime and grammars are WASM
// files read at run time, so they are copied next to the bundles, and so are the tokenizers'
// merge tables (megabytes of JavaScript that every start would otherwise parse).
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
const node = { ...common, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'] };

const builds = [
  { ...node, entryPoints: ['src/host/extension.ts'], outfile: 'dist/extension.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, platform: 'browser', target: 'es2022', format: 'esm', entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js' },
];

function copyWasm() {
  const grammars = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
  const runtime = join(dirname(require.resolve('web-tree-sitter')), 'web-tree-sitter.wasm');
  mkdirSync('dist/grammars', { recursive: true });
  for (const f of readdirSync(grammars)) if (/^tree-sitter-.+\.wasm$/.test(f)) copyFileSync(join(grammars, f), join('dist/grammars', f));
  copyFileSync(runtime, 'dist/web-tree-sitter.wasm');
  mkdirSync('dist/tokenizers', { recursive: true });
  for (const name of ['cl100k_base', 'o200k_base']) copyFileSync(require.resolve(`js-tiktoken/ranks/${name}`), join('dist/tokenizers', `${name}.cjs`));
}

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
copyWasm();
chmodSync('dist/cli.js', 0o755);
