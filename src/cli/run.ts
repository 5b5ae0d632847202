import { parseArgs } from 'node:util';
import { terminalText } from '../core/security/untrustedText';
import type { TaskNode, TaskTree } from '../core/tasks/taskTree';
import { checkRunFlags, EXIT, NODE_RUN_OPTIONS, runNodeFromCli } from './cliNodeRun';
import { openWorkspace } from './cliWorkspace';
import { exitOnKnownFailure } from './knownFailures';
import { readRunSettings, settingsFile } from './runSettings';
import { positiveInt } from './taskInput';
import { UsageError } from './usage';

const DEFAULT_BUDGET = 16_000; // baton.context.budget's default
const RUNNABLE = ['pending', 'planned', 'failed'];

/**
 * `baton run`: one node of `.baton/tree.json` (by id, the next runnable one, or a new task) through
 * maker -> breaker -> review -> checkpoint -> tests -> save state. Without --apply the proposal is
 * written as a patch and the node waits for `baton review`.
 */
export async function runRun(args: string[], out: (text: string) => void, warn: (text: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values: opt } = parseArgs({
    args,
    strict: true,
    options: {
      ...NODE_RUN_OPTIONS,
      node: { type: 'string' },
      next: { type: 'boolean' },
      task: { type: 'string' },
      budget: { type: 'string' },
      apply: { type: 'boolean' },
    },
  });
  const chosen = [opt.node !== undefined, opt.next === true, opt.task !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('Say which node to run with exactly one of --node ID, --next or --task TEXT.');
  if (opt.task !== undefined && !opt.task.trim()) throw new UsageError('The task is empty.');
  const budget = positiveInt(opt.budget, '--budget', false);
  const ws = openWorkspace(opt.repo, env, warn);
  const say = (text: string): void => out(terminalText(text));

  return exitOnKnownFailure(say, async () => {
    const settings = readRunSettings(settingsFile(opt.settings, env), opt.model, env);
    checkRunFlags(opt, settings, opt.apply === true);
    let tree = (await ws.store.load()).tree;
    let node: TaskNode | undefined;
    if (opt.task !== undefined) {
      const text = opt.task.trim();
      const title = text.split('\n', 1)[0]!.slice(0, 120);
      tree = await ws.store.update(
        (newest) =>
          newest.addChild(null, { title, goal: text, budget: budget ?? settings.budget ?? DEFAULT_BUDGET, policy: { kind: 'weighted', weights: {} } }).tree,
      );
      node = tree.roots().at(-1)!; // a new root goes last
      ws.journal({ taskId: node.id, taskTitle: title, nodeId: node.id, kind: 'node', mode: 'delegate', source: 'person' });
      say(`Added the task "${title}" as node ${node.id} of .baton/tree.json.`);
    } else {
      node = opt.next ? tree.nextRunnable() : tree.find(opt.node!);
      if (!node) {
        if (opt.next) {
          say('No subtask is ready to run (each waits for its dependencies, or the tree is empty: plan a task first with `baton plan --save`).');
          return EXIT.done;
        }
        throw new UsageError(`There is no node "${opt.node}" in ${ws.repo}/.baton/tree.json.`);
      }
      refuseUnrunnable(tree, node, ws.repo);
      const id = node.id;
      if (budget !== undefined && budget !== node.budget.allocated) tree = await ws.store.update((newest) => newest.setBudget(id, budget));
    }
    return runNodeFromCli({ ws, tree, nodeId: node.id, settings, flags: opt, apply: opt.apply === true, out, warn });
  });
}

function refuseUnrunnable(tree: TaskTree, node: TaskNode, repo: string): void {
  if (tree.childrenIds(node.id).length > 0) throw new UsageError(`Node ${node.id} has subtasks: run them (--next, or --node with a subtask's id).`);
  if (node.mode === 'keep') throw new UsageError(`Node ${node.id} is kept for you (${node.keepReason ?? 'not delegated'}): Baton does not run it.`);
  if (node.state === 'review')
    throw new UsageError(`Node ${node.id} waits for your review: baton review --repo ${repo} --accept all (or hunk numbers), or --reject.`);
  if (!RUNNABLE.includes(node.state)) throw new UsageError(`Node ${node.id} is ${node.state}; only a pending, planned or failed node runs.`);
}
