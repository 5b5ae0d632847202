import type { ContextPlanner } from '../context/contextPlanner';
import { BudgetError } from '../context/budgetError';
import { formatLedger } from '../context/ledger';
import { workspacePathProblem } from '../security/workspacePath';
import { ToolInputError } from './toolInputError';
import type { PlanContextInput, PlanContextOutput } from './toolSchemas';
import type { WorkspaceRoot } from './workspaceRoots';

/**
 * plan_context: the plan `baton context` makes for the same task, budget, model, pins and drops.
 * A pin that is not an indexed file (outside the workspace, ignored, secret) is refused rather
 * than silently left out: the caller asked for it and should hear why it cannot have it.
 */
export async function planContextForTool(engine: ContextPlanner, root: WorkspaceRoot, input: PlanContextInput): Promise<PlanContextOutput> {
  const pins = input.pins ?? [];
  const pinRefusals = await engine.pathRefusals(pins);
  const refusals = pins.flatMap((p, i) => (pinRefusals[i] ? [`"${p}": ${pinRefusals[i]}`] : []));
  for (const d of input.drops ?? []) {
    const problem = workspacePathProblem(d);
    if (problem) refusals.push(`drop "${d}": ${problem}`);
  }
  if (refusals.length) throw new ToolInputError(`Cannot plan with these paths: ${refusals.join('; ')}.`);
  try {
    const plan = await engine.plan({ task: input.task, budget: input.budget, model: input.model, signals: { pinned: pins }, dropped: input.drops });
    return { root: root.path, prompt: plan.prompt, ledger: plan.ledger, context: plan.context, ranking: plan.ranking };
  } catch (err) {
    if (err instanceof BudgetError) throw new ToolInputError(err.message);
    throw err;
  }
}

/** What a model reads: the ledger as a table (with why each range), then the packed context itself. */
export function planContextText(output: PlanContextOutput): string[] {
  return [`Context plan for ${output.root}:\n${formatLedger(output.ledger, { explain: true })}`, output.prompt];
}
