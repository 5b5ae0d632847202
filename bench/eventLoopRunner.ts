// The measured side of bench/eventLoop.mjs, bundled by it with esbuild (once against the current
// src/, once against the baseline's) and run in a fresh process per run:
//   node out/bench/eventLoopRunner.cjs CONFIG.json
// CONFIG is { root, budget, task }. It opens the engine on root and plans the task once while a
// 1 ms timer probes the event loop, and prints one JSON line prefixed with RESULT_PREFIX.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ContextEngine } from '../src/core/context/engine';

const RESULT_PREFIX = 'BENCH_RESULT ';
const PROBE_MS = 1;

interface Config {
  root: string;
  budget: number;
  task: string;
}

/**
 * Measures how long the event loop goes without running a timer: a 1 ms timeout re-armed on every
 * tick, each gap beyond its due time being a stretch the thread was held by something else.
 */
function probeEventLoop(): () => number[] {
  const stretches: number[] = [];
  let last = performance.now();
  let timer: ReturnType<typeof setTimeout>;
  const tick = (): void => {
    const now = performance.now();
    stretches.push(Math.max(0, now - last - PROBE_MS));
    last = now;
    timer = setTimeout(tick, PROBE_MS);
  };
  timer = setTimeout(tick, PROBE_MS);
  return () => {
    clearTimeout(timer);
    stretches.push(Math.max(0, performance.now() - last - PROBE_MS));
    return stretches;
  };
}

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
  const stop = probeEventLoop();
  const t0 = performance.now();
  const engine = await ContextEngine.open(cfg.root);
  const t1 = performance.now();
  const plan = await engine.plan({ task: cfg.task, budget: cfg.budget });
  const t2 = performance.now();
  const stretches = stop();
  // What the plan says, reduced to one hash: the baseline and the change must agree on it.
  const digest = createHash('sha256')
    .update(JSON.stringify({ prompt: plan.prompt, ranking: plan.ranking, items: plan.ledger.items, omitted: plan.ledger.omitted, context: plan.context }))
    .digest('hex')
    .slice(0, 16);
  const result = { openMs: t1 - t0, planMs: t2 - t1, files: engine.index.files.length, skipped: engine.index.skipped.length, digest, stretches };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
