// The measured side of bench/eventLoop.mjs for the editor's way: the engine in a worker thread
// (WorkerPlanner), the runner's thread only asking and receiving, as the extension host does.
//   node out/bench/eventLoopWorkerRunner.cjs CONFIG.json PLAN_WORKER.cjs
import { readFileSync } from 'node:fs';
import { WorkerPlanner } from '../src/node/workerPlanner';
import { planDigest, probeEventLoop, RESULT_PREFIX, runMain, type Config } from './eventLoopProbe';

runMain(async () => {
  const cfg = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Config;
  const stop = probeEventLoop();
  const t0 = performance.now();
  const planner = await WorkerPlanner.open(process.argv[3]!, { root: cfg.root });
  const t1 = performance.now();
  const plan = await planner.plan({ task: cfg.task, budget: cfg.budget });
  const t2 = performance.now();
  const stretches = stop();
  planner.dispose();
  const result = { openMs: t1 - t0, planMs: t2 - t1, files: planner.fileCount, digest: planDigest(plan), stretches };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
});
