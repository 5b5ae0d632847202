import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BudgetError, ContextEngine } from '../core/context/engine';
import { formatLedger } from '../core/context/ledger';
import { positiveInt, readRepoAndTask, REPO_TASK_OPTIONS } from './taskInput';

export async function runContext(args: string[], out: (text: string) => void): Promise<number> {
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
    },
  });
  const { repo, task } = readRepoAndTask(opt);
  const budget = positiveInt(opt.budget, '--budget', true)!;
  const reserve = positiveInt(opt.reserve, '--reserve', false, true);
  const maxFileBytes = positiveInt(opt['max-file-bytes'], '--max-file-bytes', false);

  const engine = await ContextEngine.open(repo, { maxFileBytes });
  let plan;
  try {
    plan = await engine.plan({ task, budget, model: opt.model, reserveAnswer: reserve, signals: { pinned: opt.pin }, dropped: opt.drop });
  } catch (err) {
    if (err instanceof BudgetError) {
      out(`baton: ${err.message}`);
      return 1;
    }
    throw err;
  }
  out(formatLedger(plan.ledger, { explain: opt.explain === true }));
  if (opt['print-prompt']) out(`\n${plan.prompt}`);
  if (opt.json) {
    const { ranking, prompt, context, ledger } = plan;
    writeFileSync(opt.json, JSON.stringify({ ranking, prompt, context, ledger }, null, 1));
  }
  return 0;
}
