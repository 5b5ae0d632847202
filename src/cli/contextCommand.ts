import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BudgetError, ContextEngine } from '../core/context/engine';
import { formatLedger } from '../core/context/ledger';
import { UsageError } from './usage';

export async function runContext(args: string[], out: (text: string) => void): Promise<number> {
  const { values: opt } = parseArgs({
    args,
    strict: true,
    options: {
      repo: { type: 'string' },
      task: { type: 'string' },
      'task-file': { type: 'string' },
      budget: { type: 'string' },
      model: { type: 'string' },
      reserve: { type: 'string' },
      pin: { type: 'string', multiple: true },
      drop: { type: 'string', multiple: true },
      'max-file-bytes': { type: 'string' },
      json: { type: 'string' },
      'print-prompt': { type: 'boolean' },
    },
  });
  if (!opt.repo) throw new UsageError('--repo DIR is required.');
  if (!statSync(opt.repo, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--repo ${opt.repo} is not a folder.`);
  if (!opt.task === !opt['task-file']) throw new UsageError('Give the task with exactly one of --task TEXT or --task-file FILE.');
  let task = opt.task ?? '';
  if (opt['task-file']) {
    try {
      task = readFileSync(opt['task-file'], 'utf8');
    } catch (err) {
      throw new UsageError(`--task-file ${opt['task-file']} cannot be read (${(err as NodeJS.ErrnoException).code ?? err}).`);
    }
  }
  if (!task.trim()) throw new UsageError('The task is empty.');
  const budget = positiveInt(opt.budget, '--budget', true)!;
  const reserve = positiveInt(opt.reserve, '--reserve', false, true);
  const maxFileBytes = positiveInt(opt['max-file-bytes'], '--max-file-bytes', false);

  const engine = await ContextEngine.open(opt.repo, { maxFileBytes });
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
  out(formatLedger(plan.ledger));
  if (opt['print-prompt']) out(`\n${plan.prompt}`);
  if (opt.json) {
    const { ranking, prompt, context, ledger } = plan;
    writeFileSync(opt.json, JSON.stringify({ ranking, prompt, context, ledger }, null, 1));
  }
  return 0;
}

function positiveInt(value: string | undefined, flag: string, required: boolean, zeroOk = false): number | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(`${flag} N is required.`);
    return undefined;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1)) throw new UsageError(`${flag} must be a ${zeroOk ? 'non-negative' : 'positive'} whole number, not "${value}".`);
  return n;
}
