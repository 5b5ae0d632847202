// The measured side of bench/eventLoop.mjs for an engine in the runner's own thread (as the CLI
// runs it), bundled by it with esbuild (once against the current src/, once against the
// baseline's) and run in a fresh process per run:
//   node out/bench/eventLoopRunner.cjs CONFIG.json
// CONFIG is { root, budget, task }. It opens the engine on root and plans the task once while a
// 1 ms timer probes the event loop, and prints one JSON line prefixed with RESULT_PREFIX.
import { readFileSync } from 'node:fs';
import { ContextEngine } from '../src/core/context/engine';
import { planDigest, probeEventLoop, RESULT_PREFIX, runMain, type Config } from './eventLoopProbe';

runMain(async () => {
  const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
  const stop = probeEventLoop();
  const t0 = performance.now();
  const engine = await ContextEngine.open(cfg.root);
  const t1 = performance.now();
  const plan = await engine.plan({ task: cfg.task, budget: cfg.budget });
  const t2 = performance.now();
  const stretches = stop();
  const result = { openMs: t1 - t0, planMs: t2 - t1, files: engine.index.files.length, digest: planDigest(plan), stretches };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
});
