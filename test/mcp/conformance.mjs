#!/usr/bin/env node
// npm run test:mcp-conformance: the official MCP conformance suite (@modelcontextprotocol/conformance,
// installed by npm ci) against `baton mcp --http` (the built dist/cli.js), offline. It runs every
// server scenario that applies to a server offering tools only: at 2026-07-28 (stateless, per-request
// _meta) and at 2025-11-25 (the initialize handshake the SDK's fallback serves). Checks that need the
// suite's own diagnostic tools, prompts or resources are listed, with why, in conformance-baseline.yml.
// The suite needs Node >= 22; under an older Node it runs on the Node 24 the in-editor tests install.
//   node test/mcp/conformance.mjs [--no-build]
// Exit code: 0 every applicable check passed, 1 a check failed, 2 could not run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { ensureRealVscode, SERVER_NODE } from '../vscode/codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const suite = path.join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const baseline = path.join(root, 'test/mcp/conformance-baseline.yml');
const SCENARIOS = {
  '2026-07-28': ['server-stateless', 'tools-list', 'http-header-validation', 'caching', 'server-sse-multiple-streams', 'dns-rebinding-protection'],
  '2025-11-25': ['server-initialize', 'ping', 'tools-list', 'server-session-lifecycle', 'dns-rebinding-protection'],
};
const say = (m) => console.error(`[test:mcp-conformance] ${m}`);

function suiteNode() {
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  if (process.env.CONFORMANCE_NODE) return process.env.CONFORMANCE_NODE;
  if (!fs.existsSync(SERVER_NODE)) ensureRealVscode();
  return SERVER_NODE;
}

function startServer() {
  const child = spawn(
    process.execPath,
    [path.join(root, 'dist/cli.js'), 'mcp', '--repo', path.join(root, 'test/fixtures/pyshop'), '--http', '0', '--no-index-cache'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // The suite sends malformed requests on purpose; the server's notes on them are shown only on failure.
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`baton mcp exited with ${code} before listening: ${out}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(out)?.[1];
      if (url) resolve({ child, url, log: () => log });
    });
  });
}

async function main() {
  if (!process.argv.includes('--no-build')) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('building failed (node esbuild.mjs)');
  }
  const node = suiteNode();
  const { child, url, log } = await startServer();
  const results = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-mcp-conformance-'));
  const totals = { passed: 0, checks: 0, expected: 0 };
  let failed = 0;
  try {
    for (const [version, scenarios] of Object.entries(SCENARIOS)) {
      for (const scenario of scenarios) {
        const run = spawnSync(
          node,
          [suite, 'server', '--url', url, '--scenario', scenario, '--spec-version', version, '--expected-failures', baseline, '-o', results],
          { encoding: 'utf8', timeout: 120_000 },
        );
        const text = stripVTControlCharacters(`${run.stdout}${run.stderr}`);
        const [, passed = '0', checks = '0'] = /Passed: (\d+)\/(\d+)/.exec(text) ?? [];
        const expected = (text.match(/expected failure/gi) ?? []).length;
        totals.passed += Number(passed);
        totals.checks += Number(checks);
        totals.expected += expected;
        const ok = run.status === 0;
        if (!ok) failed++;
        console.log(`${ok ? 'ok  ' : 'FAIL'} ${version} ${scenario}: ${passed}/${checks} checks passed${ok ? '' : ` (exit ${run.status})`}`);
        if (!ok)
          console.log(
            text
              .split('\n')
              .filter((l) => /FAILURE|WARNING|regression|stale|Error/i.test(l))
              .join('\n'),
          );
      }
    }
    if (failed) console.log(`baton mcp said:\n${log()}`);
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(results, { recursive: true, force: true });
  }
  const scenarios = Object.values(SCENARIOS).flat().length;
  const { name, version } = JSON.parse(fs.readFileSync(path.join(suite, '../../package.json'), 'utf8'));
  console.log(
    `${name} ${version}: ` +
      `${scenarios - failed} of ${scenarios} scenarios passed, ${totals.passed} of ${totals.checks} checks (the rest not applicable, see conformance-baseline.yml)`,
  );
  console.log(`${scenarios - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exit(
  await main().catch((err) => {
    say(String(err?.stack ?? err));
    return 2;
  }),
);
