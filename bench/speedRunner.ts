// The measured side of bench/speed.mjs, bundled by it with esbuild and run in child processes:
//   node out/bench/speedRunner.cjs cold CONFIG.json          one fresh scan+index+plan, no index cache, then the read-only baseline
//   node out/bench/speedRunner.cjs cached CONFIG.json DIR N  what a second `baton context` does: open with the index
//                                                            cache in DIR, plan task N, save the cache
//   node out/bench/speedRunner.cjs warm CONFIG.json          open once, then many plans with different tasks
// CONFIG is { root, budget, model?, tasks: string[], runs }. The result is one JSON line on stdout
// prefixed with RESULT_PREFIX; anything else the engine prints is left alone.
import { ContextEngine, type ContextPlan } from '../src/core/context/engine';
import { scanWorkspace } from '../src/core/context/scan';
import { SyntaxParser } from '../src/core/context/syntax';
import { NodeIndexCacheStore } from '../src/node/nodeIndexCacheStore';
import { readTree } from './readTree.mjs';
import { readFileSync } from 'node:fs';

const RESULT_PREFIX = 'BENCH_RESULT ';

interface Config {
  root: string;
  budget: number;
  model?: string;
  tasks: string[];
  runs: number;
}

interface PlanSample {
  task: number;
  ms: number;
  rankMs: number;
  packMs: number;
  used: number;
  items: number;
  top: string | undefined;
}

const gc = (globalThis as { gc?: () => void }).gc;

function memory(): { rssMB: number; heapUsedMB: number; externalMB: number; maxRssMB: number } {
  gc?.();
  const m = process.memoryUsage();
  const mb = (n: number): number => Math.round((n / 1048576) * 10) / 10;
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), externalMB: mb(m.external + m.arrayBuffers), maxRssMB: maxRssMB() };
}

function maxRssMB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10; // maxRSS is in KiB
}

async function timedPlan(engine: ContextEngine, cfg: Config, task: number): Promise<PlanSample> {
  const t = performance.now();
  const plan: ContextPlan = await engine.plan({ task: cfg.tasks[task]!, budget: cfg.budget, model: cfg.model });
  return {
    task,
    ms: performance.now() - t,
    rankMs: plan.timings.rankMs,
    packMs: plan.timings.packMs,
    used: plan.ledger.used,
    items: plan.ledger.items.length,
    top: plan.ranking[0],
  };
}

function indexStats(engine: ContextEngine): Record<string, unknown> {
  const skipped: Record<string, { files: number; folders: number }> = {};
  for (const s of engine.index.skipped) {
    const r = (skipped[s.reason] ??= { files: 0, folders: 0 });
    if (s.path.endsWith('/')) r.folders++;
    else r.files++;
  }
  let bytes = 0;
  let chars = 0;
  for (const f of engine.index.files) {
    bytes += f.size;
    chars += f.text.length;
  }
  return { files: engine.index.files.length, bytes, chars, skipped, definedNames: engine.index.definitions.size, bm25Docs: engine.index.bm25.size };
}

async function cold(cfg: Config): Promise<Record<string, unknown>> {
  const startupMs = performance.now(); // since this process started: Node boot + loading the bundle
  // The engine lives only inside this function, so the baseline below runs with it collectable.
  const measured = await (async () => {
    const t0 = performance.now();
    const engine = await ContextEngine.open(cfg.root);
    const openMs = performance.now() - t0;
    const plan = await timedPlan(engine, cfg, 0);
    const totalMs = performance.now() - t0;
    const maxRss = maxRssMB(); // the engine's peak, before the baseline runs
    return { openMs, plan, totalMs, maxRssMB: maxRss, afterPlan: memory(), stats: indexStats(engine) };
  })();
  gc?.();
  const baseline = await readTree(cfg.root);
  return { startupMs, ...measured, baseline };
}

async function cached(cfg: Config, folder: string, task: number): Promise<Record<string, unknown>> {
  const startupMs = performance.now();
  const t0 = performance.now();
  const engine = await ContextEngine.open(cfg.root, { cache: new NodeIndexCacheStore(folder) });
  const openMs = performance.now() - t0;
  const plan = await timedPlan(engine, cfg, task);
  const t1 = performance.now();
  const problems = await engine.saveCache();
  const saveMs = performance.now() - t1;
  if (problems.length) throw new Error(`the index cache was not saved: ${problems.join('; ')}`);
  return { startupMs, openMs, plan, saveMs, totalMs: performance.now() - t0, maxRssMB: maxRssMB(), cache: engine.cacheStats, stats: indexStats(engine) };
}

async function warm(cfg: Config): Promise<Record<string, unknown>> {
  // tree-sitter must really be there, or plans silently fall back to the lexical scanner.
  let treeSitter = 'ok';
  try {
    await SyntaxParser.create();
  } catch (err) {
    treeSitter = `unavailable: ${(err as Error).message}`;
  }
  const s0 = performance.now();
  const scan = await scanWorkspace(cfg.root);
  const scanMs = performance.now() - s0;
  const scanFiles = scan.files.length;
  const t0 = performance.now();
  const engine = await ContextEngine.open(cfg.root);
  const openMs = performance.now() - t0;
  const afterOpen = memory();
  const first = await timedPlan(engine, cfg, 0); // loads grammars, builds the reference graph
  const afterFirst = memory();
  const plans: PlanSample[] = [];
  for (let r = 0; r < cfg.runs; r++) for (let i = 0; i < cfg.tasks.length; i++) plans.push(await timedPlan(engine, cfg, i));
  const afterPlans = memory();
  return { treeSitter, scanMs, scanFiles, openMs, first, plans, afterOpen, afterFirst, afterPlans, maxRssMB: maxRssMB(), stats: indexStats(engine) };
}

async function main(): Promise<void> {
  const [mode, configPath, cacheFolder, task] = process.argv.slice(2);
  const cfg = JSON.parse(readFileSync(configPath!, 'utf8')) as Config;
  const result =
    mode === 'cold' ? await cold(cfg) : mode === 'cached' ? await cached(cfg, cacheFolder!, Number(task)) : mode === 'warm' ? await warm(cfg) : undefined;
  if (!result) throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
