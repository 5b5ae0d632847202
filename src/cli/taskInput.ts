import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './usage';

/** The options `context` and `plan` share, as node:util's parseArgs takes them. */
export const REPO_TASK_OPTIONS = {
  repo: { type: 'string' },
  task: { type: 'string' },
  'task-file': { type: 'string' },
  budget: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'string' },
} as const;

/** The --repo and --task / --task-file options, checked and read. */
export function readRepoAndTask(opt: { repo?: string; task?: string; 'task-file'?: string }): { repo: string; task: string } {
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
  return { repo: opt.repo, task };
}

export function positiveInt(value: string | undefined, flag: string, required: boolean, zeroOk = false): number | undefined {
  if (value === undefined) {
    if (required) throw new UsageError(`${flag} N is required.`);
    return undefined;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zeroOk ? 0 : 1))
    throw new UsageError(`${flag} must be a ${zeroOk ? 'non-negative' : 'positive'} whole number, not "${value}".`);
  return n;
}
