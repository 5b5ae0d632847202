// The planner's answer, as a model must give it, and how it becomes children in the tree. The
// schema is checked on arrival (a model's JSON is data, not trusted structure); problems come back
// as sentences naming the subtask, so they can be shown to the person or sent back to the model.
import * as z from 'zod';
import { splitByWeights } from './budgets';
import { classifyKeep } from './keepClassifier';
import { findDependencyCycle, TaskTreeError, type TaskNode, type TaskTree } from './taskTree';

const DependencyRefSchema = z.union([z.number().int().nonnegative(), z.string().min(1)]).describe('another subtask of this plan: its 0-based index or its key');

export const PlannedSubtaskSchema = z
  .object({
    key: z.string().min(1).optional().describe('a short unique name other subtasks can depend on'),
    title: z.string().trim().min(1),
    goal: z.string().trim().min(1).describe('what is true when the subtask is done'),
    acceptance: z.array(z.string().trim().min(1)).min(1).describe('checkable acceptance criteria'),
    likelyFiles: z.array(z.string().min(1)).default([]).describe('workspace-relative paths it will likely read or change'),
    budgetShare: z.number().positive().max(1_000_000).describe("relative share of the parent's token budget"),
    dependsOn: z.array(DependencyRefSchema).default([]),
    mode: z.enum(['delegate', 'keep']).describe("'keep' for security-critical work, architecture and business rules"),
    keepReason: z.string().trim().min(1).optional().describe("why the person should do it; required with mode 'keep'"),
  })
  .refine((subtask) => subtask.mode !== 'keep' || subtask.keepReason !== undefined, {
    message: "a subtask with mode 'keep' needs a keepReason",
    path: ['keepReason'],
  });

export const PlannerAnswerSchema = z
  .object({
    subtasks: z.array(PlannedSubtaskSchema).min(1),
    notes: z.string().optional().describe('anything the person should know about the plan'),
  })
  .superRefine((answer, ctx) => {
    const keys = new Map<string, number>();
    answer.subtasks.forEach((subtask, index) => {
      if (subtask.key === undefined) return;
      if (keys.has(subtask.key))
        ctx.addIssue({ code: 'custom', path: ['subtasks', index, 'key'], message: `key "${subtask.key}" is also used by subtask ${keys.get(subtask.key)}` });
      else keys.set(subtask.key, index);
    });
    answer.subtasks.forEach((subtask, index) => {
      subtask.dependsOn.forEach((ref, at) => {
        const target = resolveRef(ref, answer.subtasks.length, keys);
        if (target === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['subtasks', index, 'dependsOn', at],
            message: `${JSON.stringify(ref)} is neither an index nor a key of this plan`,
          });
        else if (target === index) ctx.addIssue({ code: 'custom', path: ['subtasks', index, 'dependsOn', at], message: 'a subtask cannot depend on itself' });
      });
    });
    const cycle = findDependencyCycle(
      answer.subtasks.map((_, i) => String(i)),
      (i) =>
        (answer.subtasks[Number(i)]?.dependsOn ?? [])
          .map((ref) => resolveRef(ref, answer.subtasks.length, keys))
          .filter((t) => t !== undefined && t !== Number(i))
          .map(String),
    );
    if (cycle) {
      const titles = cycle.map((i) => `${i} "${answer.subtasks[Number(i)]?.title}"`);
      ctx.addIssue({ code: 'custom', path: ['subtasks'], message: `the subtasks depend on each other in a cycle: ${titles.join(' -> ')}` });
    }
  });

export type PlannedSubtask = z.infer<typeof PlannedSubtaskSchema>;
export type PlannerAnswer = z.infer<typeof PlannerAnswerSchema>;

/** The JSON Schema to give a model that supports structured output. */
export function plannerAnswerJsonSchema(): unknown {
  return z.toJSONSchema(PlannerAnswerSchema, { io: 'input', unrepresentable: 'any' });
}

export type ParsedPlan = { ok: true; plan: PlannerAnswer } | { ok: false; problems: string[] };

/** Checks a model's answer; each problem names the subtask (index and title) and the field. */
export function parsePlannerAnswer(json: unknown): ParsedPlan {
  const result = PlannerAnswerSchema.safeParse(json);
  if (result.success) return { ok: true, plan: result.data };
  const subtasks = typeof json === 'object' && json !== null && 'subtasks' in json && Array.isArray(json.subtasks) ? (json.subtasks as unknown[]) : [];
  const problems = result.error.issues.map((issue) => {
    const [first, index, ...rest] = issue.path;
    if (first === 'subtasks' && typeof index === 'number') {
      const raw = subtasks[index];
      const title = typeof raw === 'object' && raw !== null && 'title' in raw && typeof raw.title === 'string' ? ` "${raw.title}"` : '';
      return `subtask ${index}${title}${rest.length > 0 ? `, ${rest.map(String).join('.')}` : ''}: ${issue.message}`;
    }
    return `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'the answer'}: ${issue.message}`;
  });
  return { ok: false, problems };
}

export interface AppliedPlan {
  tree: TaskTree;
  /** The new children, in the plan's order. */
  added: TaskNode[];
}

/**
 * Adds the plan's subtasks as children of `parentId`, after any it already has. Budgets follow the
 * parent's policy: an equal split ignores the shares, a weighted one takes them as weights, a fixed
 * one hands out what the existing children leave, in proportion to the shares. Every subtask also
 * goes through the keep guard (the stricter classification wins), and the parent becomes 'planned'.
 */
export function applyPlan(tree: TaskTree, parentId: string, plan: PlannerAnswer): AppliedPlan {
  // Checked again here: a plan built in code skips parsePlannerAnswer, and links must resolve.
  const checked = parsePlannerAnswer(plan);
  if (!checked.ok) throw new TaskTreeError(`the plan for ${tree.label(parentId)} is not valid: ${checked.problems.join('; ')}`);
  const subtasks = checked.plan.subtasks;
  const parent = tree.get(parentId);
  const policy = parent.budget.policy.kind;
  const shares = subtasks.map((s) => s.budgetShare);
  const meanShare = shares.reduce((a, b) => a + b, 0) / shares.length;
  const leftOver = parent.budget.allocated - tree.children(parentId).reduce((sum, child) => sum + child.budget.allocated, 0);
  const fixedBudgets = policy === 'fixed' ? splitByWeights(Math.max(0, leftOver), shares) : [];

  let next = tree;
  const ids: string[] = [];
  subtasks.forEach((subtask, index) => {
    const keep = classifyKeep(subtask, subtask);
    const added = next.addChild(parentId, {
      title: subtask.title,
      goal: subtask.goal,
      acceptance: subtask.acceptance,
      likelyFiles: subtask.likelyFiles,
      mode: keep.mode,
      ...(keep.keepReason !== undefined ? { keepReason: keep.keepReason } : {}),
      ...(policy === 'fixed' ? { budget: fixedBudgets[index]! } : {}),
      ...(policy === 'weighted' ? { weight: subtask.budgetShare / meanShare } : {}),
    });
    next = added.tree;
    ids.push(added.node.id);
  });
  const keys = new Map(subtasks.flatMap((s, i) => (s.key === undefined ? [] : [[s.key, i] as const])));
  subtasks.forEach((subtask, index) => {
    if (subtask.dependsOn.length === 0) return;
    const dependsOn = subtask.dependsOn.map((ref) => ids[resolveRef(ref, subtasks.length, keys)!]!);
    next = next.edit(ids[index]!, { dependsOn });
  });
  if (parent.state === 'pending') next = next.edit(parentId, { state: 'planned' });
  return { tree: next, added: ids.map((id) => next.get(id)) };
}

function resolveRef(ref: number | string, count: number, keys: ReadonlyMap<string, number>): number | undefined {
  if (typeof ref === 'number') return ref < count ? ref : undefined;
  return keys.get(ref);
}
