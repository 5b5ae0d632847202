import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BudgetError } from '../core/context/budgetError';
import { ContextEngine } from '../core/context/engine';
import { formatLedger } from '../core/context/ledger';
import { defaultCacheRoot, NodeIndexCacheStore } from '../node/nodeIndexCacheStore';
import { positiveInt, readRepoAndTask, REPO_TASK_OPTIONS } from './taskInput';
import { UsageError } from './usage';

export async function runContext(args: string[], out: (text: string) => void, warn: (text: string) => void): Promise<number> {
  const { values: opt } = parseArgs({
    args,
    strict: true,
    options: {
      ...REPO_TASK_OPTIONS,
      reserve: { type: 'string' },
      pin: { type: 'string', multiple: true },
      drop: { type: 'string', multiple: true },
      'max-file-bytes': { type: 'string' },
      'print-prompt': { type: 'boolean' },
      explain: { type: 'boolean' },
      'index-cache': { type: 'string' },
      'no-index-cache': { type: 'boolean' },
    },
  });
  const { repo, task } = readRepoAndTask(opt);
  const budget = positiveInt(opt.budget, '--budget', true)!;
  const reserve = positiveInt(opt.reserve, '--reserve', false, true);
  const maxFileBytes = positiveInt(opt['max-file-bytes'], '--max-file-bytes', false);

  if (opt['index-cache'] !== undefined && opt['no-index-cache']) throw new UsageError('Give --index-cache DIR or --no-index-cache, not both.');
  if (opt['index-cache'] === '') throw new UsageError('--index-cache needs a folder.');
  const cache = opt['no-index-cache'] ? undefined : NodeIndexCacheStore.forWorkspace(resolve(opt['index-cache'] ?? defaultCacheRoot()), repo);

  const engine = await ContextEngine.open(repo, { maxFileBytes, cache });
  let plan;
  try {
    plan = await engine.plan({ task, budget, model: opt.model, reserveAnswer: reserve, signals: { pinned: opt.pin }, dropped: opt.drop });
  } catch (err) {
    if (err instanceof BudgetError) {
      out(`baton: ${err.message}`);
      await saveCache(engine, cache, warn);
      return 1;
    }
    throw err;
  }
  await saveCache(engine, cache, warn);
  out(formatLedger(plan.ledger, { explain: opt.explain === true }));
  if (opt['print-prompt']) out(`\n${plan.prompt}`);
  if (opt.json) {
    const { ranking, prompt, context, ledger } = plan;
    writeFileSync(opt.json, JSON.stringify({ ranking, prompt, context, ledger }, null, 1));
  }
  return 0;
}

/** The index is kept for the next run; a cache that cannot be written costs speed, never the answer. */
export async function saveCache(engine: ContextEngine, cache: NodeIndexCacheStore | undefined, warn: (text: string) => void): Promise<void> {
  const problems = await engine.saveCache();
  if (cache && problems.length) {
    warn(
      `baton: the index cache in ${cache.folder} was not updated (${problems.join('; ')}); the next run indexes again. Use --index-cache DIR or --no-index-cache.`,
    );
  }
}
