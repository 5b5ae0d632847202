import type { TaskMentions } from './taskMentions';
import { termsOf } from './terms';

// The title says what the task is about; collapsed <details> hold logs and version dumps.
const TITLE_WEIGHT = 3;
const DETAILS_WEIGHT = 0.25;
const MAX_TERM_WEIGHT = 4;

/** The weighted search terms of a task, shared by file ranking and chunk scoring. */
export function buildQuery(task: string, mentions: TaskMentions): Map<string, number> {
  const query = new Map<string, number>();
  const add = (text: string, weight: number): void => {
    for (const t of termsOf(text)) query.set(t, Math.min(MAX_TERM_WEIGHT, (query.get(t) ?? 0) + weight));
  };
  const title = task.trimStart().split('\n', 1)[0] ?? '';
  add(title, TITLE_WEIGHT);
  const details = /<details>[\s\S]*?(?:<\/details>|$)/gi;
  for (const m of task.slice(title.length).matchAll(details)) add(m[0], DETAILS_WEIGHT);
  add(task.slice(title.length).replace(details, ' '), 1);
  for (const [name, count] of mentions.symbols) add(name, Math.min(count, 2));
  return query;
}
