import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BudgetError } from '../core/context/budgetError';
import { ContextEngine } from '../core/context/engine';
import { formatLedger } from '../core/context/ledger';
import { settingsFromEnvironment } from '../core/providers/environmentSettings';
import { ProviderError } from '../core/providers/errors';
import type { PreflightEstimate } from '../core/providers/prices';
import { SettingsError } from '../core/providers/providerSettings';
import { RoleRouter } from '../core/providers/router';
import { StructuredOutputError } from '../core/providers/structured';
import { TokenCounter } from '../core/tokens/tokenCounter';
import { buildNodePrompt } from '../core/tasks/nodePrompt';
import { planTask } from '../core/tasks/planner';
import { TaskTree, TaskTreeError } from '../core/tasks/taskTree';
import { usageRollUp } from '../core/tasks/usage';
import { systemClock } from '../node/nodeAdapters';
import { openWorkspace } from './cliWorkspace';
import { positiveInt, readRepoAndTask, REPO_TASK_OPTIONS } from './taskInput';
import { UsageError } from './usage';

// The maker's instructions only shape its pre-flight estimate here; running nodes is another command.
const MAKER_ESTIMATE_INSTRUCTIONS = 'You make the change this subtask describes in the repository, and nothing else.';
const DEFAULT_BUDGET = 32_000;
const MAKER_OUTPUT = 4096;

export async function runPlan(args: string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const { values: opt } = parseArgs({
    args,
    strict: true,
    options: {
      ...REPO_TASK_OPTIONS,
      save: { type: 'boolean' },
    },
  });
  const { repo, task } = readRepoAndTask(opt);
  const budget = positiveInt(opt.budget, '--budget', false) ?? DEFAULT_BUDGET;
  const env = { ...process.env, ...(opt.model ? { OPENAI_MODEL: opt.model } : {}) };
  if (!env.OPENAI_MODEL?.trim()) {
    throw new UsageError('baton plan needs a model: give --model NAME or set OPENAI_MODEL (with OPENAI_BASE_URL and OPENAI_API_KEY for the server).');
  }

  try {
    const { settings, secrets } = settingsFromEnvironment(env);
    const router = RoleRouter.fromSettings(settings, { secrets, onStatus: (role, status) => err(`baton: ${role}: ${status.message}`) });
    const engine = await ContextEngine.open(repo);
    const title = task.trim().split('\n', 1)[0]!.slice(0, 120);
    // Weighted, so the planner's budget shares decide each subtask's part of the budget.
    const root = TaskTree.empty(systemClock).addChild(null, { title, goal: task.trim(), budget, policy: { kind: 'weighted', weights: {} } });
    const planned = await planTask({
      router,
      engine,
      tree: root.tree,
      nodeId: root.node.id,
      onPrompt: (prompt) => {
        out(`Planner prompt (context plan):\n${formatLedger(prompt.plan.ledger, { omittedRows: 5 })}`);
        out(`Pre-flight: ${formatPreflight(prompt.preflight)}\n`);
      },
    });

    // Each subtask's own pre-flight: what its maker call would take, packed to its budget.
    const maker = await router.bindingFor('maker');
    const makerFacts = await maker.provider.modelFacts(maker.model);
    const counter = new TokenCounter(makerFacts.encoding);
    const estimates = new Map<string, PreflightEstimate>();
    for (const node of planned.added) {
      if (node.mode === 'keep') continue;
      try {
        const prompt = await buildNodePrompt({
          engine,
          tree: planned.tree,
          nodeId: node.id,
          instructions: MAKER_ESTIMATE_INSTRUCTIONS,
          model: maker.model,
          facts: makerFacts,
          maxOutputTokens: maker.maxOutputTokens ?? MAKER_OUTPUT,
          counter,
        });
        estimates.set(node.id, prompt.preflight);
      } catch (e) {
        if (!(e instanceof BudgetError)) throw e;
        err(`baton: ${planned.tree.label(node.id)}: ${e.message}`);
      }
    }

    out(formatTree(planned.tree, root.node.id, estimates));
    if (planned.plan.notes) out(`\nPlanner notes: ${planned.plan.notes}`);
    const usage = usageRollUp(planned.tree).get(root.node.id)!.total;
    out(
      `\nPlanning used ${usage.inputTokens} input + ${usage.outputTokens} output tokens in ${usage.calls} call${usage.calls === 1 ? '' : 's'}, $${usage.cost.toFixed(4)}.`,
    );

    if (opt.save) {
      // A fresh plan of a new task: the saved tree becomes this one, whatever it held.
      await openWorkspace(repo, process.env, err).store.save(planned.tree);
      out(`Saved the tree to ${join(repo, '.baton', 'tree.json')}.`);
    }
    if (opt.json) {
      writeFileSync(
        opt.json,
        JSON.stringify(
          {
            tree: planned.tree.toSnapshot(),
            plannerPrompt: { ledger: planned.prompt.plan.ledger, preflight: planned.prompt.preflight, budget: planned.prompt.budget },
            estimates: Object.fromEntries(estimates),
            usage,
          },
          null,
          1,
        ),
      );
    }
    return 0;
  } catch (e) {
    if (
      e instanceof SettingsError ||
      e instanceof ProviderError ||
      e instanceof StructuredOutputError ||
      e instanceof BudgetError ||
      e instanceof TaskTreeError
    ) {
      err(`baton: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

function formatPreflight(p: PreflightEstimate): string {
  return (
    `${p.promptTokens} prompt + up to ${p.maxOutputTokens} answer tokens${p.fitsContext ? '' : ' (OVER the context window)'}, ` +
    `at most $${p.cost.toFixed(4)}, attention ${p.attention.toFixed(2)}x an 8k prompt`
  );
}

/** The tree as an indented outline: budget, delegate/keep, dependencies, and each node's pre-flight. */
function formatTree(tree: TaskTree, rootId: string, estimates: Map<string, PreflightEstimate>): string {
  const lines: string[] = [];
  const walk = (id: string, depth: number): void => {
    const node = tree.get(id);
    const mode = node.mode === 'keep' ? `KEEP (${node.keepReason ?? 'for you'})` : 'delegate';
    const deps = node.dependsOn.length ? `, after ${node.dependsOn.map((d) => tree.get(d).title).join(', ')}` : '';
    lines.push(
      `${'  '.repeat(depth)}- [${node.id}] ${node.title}: budget ${node.budget.allocated}, ${depth === 0 ? node.budget.policy.kind + ' split' : mode}${deps}`,
    );
    const estimate = estimates.get(id);
    if (estimate) lines.push(`${'  '.repeat(depth + 1)}  pre-flight: ${formatPreflight(estimate)}`);
    for (const child of tree.childrenIds(id)) walk(child, depth + 1);
  };
  walk(rootId, 0);
  return `Task tree:\n${lines.join('\n')}`;
}
