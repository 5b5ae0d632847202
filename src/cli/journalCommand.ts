import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatJournalTable } from '../core/run/formatJournal';
import { summariseJournal } from '../core/run/summariseJournal';
import { openWorkspace } from './cliWorkspace';
import { UsageError } from './usage';

/** `baton journal`: what was delegated and kept, caught and spent, from DIR/.baton/journal.jsonl. */
export async function runJournal(args: string[], out: (text: string) => void): Promise<number> {
  const { values: opt } = parseArgs({ args, strict: true, options: { repo: { type: 'string' }, since: { type: 'string' }, json: { type: 'string' } } });
  const ws = openWorkspace(opt.repo, process.env, () => undefined); // a folder, or a UsageError naming it
  const since = opt.since === undefined ? undefined : parseSince(opt.since);
  const { events, unreadable } = await ws.workspace.journal.load();
  const summary = summariseJournal(events, { since });
  out(formatJournalTable(summary, unreadable.length));
  if (opt.json) writeFileSync(opt.json, `${JSON.stringify({ ...summary, unreadable }, null, 2)}\n`);
  return 0;
}

/** A date (2025-01-31, taken as UTC midnight), a full ISO time, or "7d" for the last seven days. */
function parseSince(text: string): number {
  const days = /^(\d+)d$/.exec(text.trim());
  if (days) return Date.now() - Number(days[1]) * 86_400_000;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new UsageError(`--since must be a date such as 2025-01-31 (or 7d for the last seven days), not "${text}".`);
  return time;
}
