#!/usr/bin/env node
// How long the context engine holds the event loop while it opens a large workspace and plans. See USAGE.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { syntheticTree } from './syntheticTree.mjs';
import { bundleRunner } from './bundleRunner.mjs';
import { positiveWholeNumber, usageFailure } from './options.mjs';

const USAGE = `Usage: npm run bench:event-loop -- [TREE] [--files N] [--runs N] [--baseline DIR] [--budget N] [--task TEXT]
       node bench/eventLoop.mjs [TREE] [options]

Opens the context engine (scan + index) on a workspace and plans one task, in a fresh process per
run, while a 1 ms timer probes the event loop. Reports the longest stretch the loop was held, the
99th percentile of the probe's gaps, how many stretches were over 50 ms, and open + plan time, for
the engine in a worker thread as the editor runs it ("editor": the target is on this one) and in
the probed thread itself as the CLI runs it ("in-thread").

  TREE            the workspace; by default a made-up TypeScript tree of --files files (default
                  50000), written once into the temp folder
  --runs N        runs per engine (default 3); with --baseline the two engines take turns
  --baseline DIR  also measure the engine of DIR/src (an earlier checkout, e.g.
                  git archive <commit> src | tar -x -C DIR); both must give the same plan
  --budget N      token budget (default 16000)
  --task TEXT     the task (default: a feature request in the made-up tree's words)
(The engines are bundled from their sources on every run: no npm run build needed.)`;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');
const TASK =
  'Refunds of a subscription invoice are never written to the ledger when the payment gateway sends its webhook twice. ' +
  'Make validateRefund check the payout status before the ledger entry is saved.';
const LONG_MS = 50;

function parse() {
  const { values: o, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      files: { type: 'string', default: '50000' },
      runs: { type: 'string', default: '3' },
      baseline: { type: 'string' },
      budget: { type: 'string', default: '16000' },
      task: { type: 'string', default: TASK },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (o.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (v, flag) => positiveWholeNumber(v, flag, fail);
  if (positionals.length > 1) fail('Give at most one TREE folder.');
  const tree = positionals[0] && resolve(positionals[0]);
  if (tree && !statSync(tree, { throwIfNoEntry: false })?.isDirectory()) fail(`${tree} is not a folder.`);
  const baseline = o.baseline && resolve(o.baseline);
  if (baseline && !existsSync(join(baseline, 'src/core/context/engine.ts'))) fail(`${baseline} holds no src/core/context/engine.ts.`);
  return { tree, files: int(o.files, '--files'), runs: int(o.runs, '--runs'), baseline, budget: int(o.budget, '--budget'), task: o.task };
}

const fail = usageFailure('bench:event-loop', USAGE);

/** Bundles `runner` (a file of bench/) with the engine of `sourceRoot`/src (this checkout's by default). */
function buildRunner(runner, name, sourceRoot = repoRoot) {
  const fromSource = {
    name: 'engine-source',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/src\// }, (args) => ({ path: `${resolve(sourceRoot, args.path.slice(3))}.ts` }));
    },
  };
  return bundleRunner(join(here, runner), join(repoRoot, 'out/bench', `${name}.cjs`), {
    nodePaths: [join(repoRoot, 'node_modules')],
    plugins: [fromSource],
  });
}

/** `runner`: the bundled runner and the arguments it takes after the config. */
function runChild([runner, ...args], configPath) {
  const r = spawnSync(process.execPath, [runner, configPath, ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (r.status !== 0 || !line) {
    process.stderr.write(`bench:event-loop: a run failed (exit ${r.status}, signal ${r.signal}):\n${r.stderr}\n`);
    process.exit(1);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** One run's figures: the longest stretch, p99 of the probe's gaps, stretches over LONG_MS, times. */
function summarize(run) {
  return {
    maxMs: Math.max(...run.stretches),
    p99Ms: percentile(run.stretches, 99),
    longStretches: run.stretches.filter((s) => s > LONG_MS).length,
    openMs: run.openMs,
    planMs: run.planMs,
    totalMs: run.openMs + run.planMs,
  };
}

function report(label, runs) {
  const rows = runs.map(summarize);
  const m = (key) => median(rows.map((r) => r[key]));
  const worst = Math.max(...rows.map((r) => r.maxMs));
  console.log(
    `${label.padEnd(9)} longest stretch ${worst.toFixed(0)} ms (median of runs ${m('maxMs').toFixed(0)} ms), p99 ${m('p99Ms').toFixed(1)} ms, ` +
      `over ${LONG_MS} ms: ${m('longStretches')}; open ${m('openMs').toFixed(0)} ms + plan ${m('planMs').toFixed(0)} ms = ${m('totalMs').toFixed(0)} ms (medians of ${rows.length})`,
  );
  return { worst, totalMs: m('totalMs'), rows };
}

async function main() {
  const opt = parse();
  const root = opt.tree ?? syntheticTree(opt.files);
  const planWorker = await buildRunner('../src/node/planWorker.ts', 'planWorker');
  const engines = [
    { label: 'editor', runner: [await buildRunner('eventLoopWorkerRunner.ts', 'eventLoopWorkerRunner'), planWorker], runs: [] },
    { label: 'in-thread', runner: [await buildRunner('eventLoopRunner.ts', 'eventLoopRunner')], runs: [] },
  ];
  if (opt.baseline)
    engines.unshift({ label: 'baseline', runner: [await buildRunner('eventLoopRunner.ts', 'eventLoopRunnerBaseline', opt.baseline)], runs: [] });
  const configPath = join(tmpdir(), `baton-bench-event-loop-${process.pid}.json`);
  writeFileSync(configPath, JSON.stringify({ root, budget: opt.budget, task: opt.task }));
  try {
    console.log(`Workspace ${root}; ${opt.runs} runs per engine${opt.baseline ? `, baseline ${opt.baseline}` : ''}; budget ${opt.budget}.`);
    runChild(engines[0].runner, configPath); // warms the page cache, so every measured run reads from memory
    for (let i = 0; i < opt.runs; i++) for (const e of engines) e.runs.push(runChild(e.runner, configPath));
  } finally {
    rmSync(configPath, { force: true });
  }
  const first = engines[0].runs[0];
  console.log(`${first.files} files indexed.`);
  const results = Object.fromEntries(engines.map((e) => [e.label, report(e.label, e.runs)]));
  const digests = new Set(engines.flatMap((e) => e.runs.map((r) => r.digest)));
  if (digests.size !== 1) {
    console.error(`bench:event-loop: the plans differ between runs or engines (${[...digests].join(', ')}).`);
    process.exitCode = 1;
  } else console.log(`Every run gave the same plan (${[...digests][0]}).`);
  console.log(`open + plan, editor / in-thread: ${(results.editor.totalMs / results['in-thread'].totalMs).toFixed(2)}×`);
  if (results.baseline) console.log(`open + plan, in-thread / baseline: ${(results['in-thread'].totalMs / results.baseline.totalMs).toFixed(2)}×`);
  if (results.editor.worst > LONG_MS) {
    console.error(`bench:event-loop: the editor's engine held the event loop for ${results.editor.worst.toFixed(0)} ms, over the ${LONG_MS} ms target.`);
    process.exitCode = 1;
  }
}

await main();
