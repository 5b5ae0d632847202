// Every message between the extension host and the sidebar webview, defined once.
// Both sides validate what arrives with these schemas: a webview is untrusted input, and the plan
// it shows carries workspace text (paths, reasons) that is rendered as text only.
import * as z from 'zod';

const count = z.number().int().nonnegative();
// Workspace-relative, '/'-separated; never absolute, never climbing out of the folder.
const relativePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split('/').includes('..'), 'not a workspace-relative path');
const lineRange = z.tuple([z.number().int().positive(), z.number().int().positive()]);

/** One item of the ledger as the sidebar shows it: the reasons are the strongest few. */
export const PlanItemView = z.object({
  path: relativePath,
  tier: z.enum(['whole', 'snippet', 'outline']),
  ranges: z.array(lineRange).max(1000),
  tokens: count,
  score: z.number(),
  reasons: z.array(z.object({ signal: z.string().max(40), detail: z.string().max(500) })).max(5),
  /** Why the file is shown whole, in excerpts or as an outline. */
  shown: z.string().max(500).optional(),
  /** Why each range was chosen (the evidence in it). */
  notes: z
    .array(z.object({ range: lineRange, why: z.string().max(500) }))
    .max(200)
    .optional(),
});
export type PlanItemView = z.infer<typeof PlanItemView>;

/** A context plan, summarised for the sidebar (the full prompt stays in the host). */
export const PlanView = z.object({
  task: z.string().max(20000),
  folderName: z.string().max(500),
  budget: count,
  used: count,
  encoding: z.string().max(40),
  reserved: z.object({ instructions: count, task: count, answer: count }),
  items: z.array(PlanItemView).max(500),
  /** How many paths were left out, per reason ('budget', 'ignored', 'too-large', ...). */
  omittedByReason: z.record(z.string().max(40), count),
  /** The best-ranked files cut for the budget, best first (a few). */
  budgetCut: z.array(z.object({ path: relativePath, score: z.number(), detail: z.string().max(500) })).max(20),
  timings: z.object({ indexMs: z.number(), rankMs: z.number(), packMs: z.number() }),
});
export type PlanView = z.infer<typeof PlanView>;

/** One node of the task tree as the sidebar's tree shows it; depth-first order, parents first. */
export const TaskNodeView = z.object({
  id: z.string().min(1).max(200),
  parentId: z.string().min(1).max(200).nullable(),
  title: z.string().max(2000),
  /** What the node is for, beyond its title (empty when it says no more). */
  goal: z.string().max(4000),
  state: z.enum(['pending', 'planned', 'running', 'review', 'done', 'failed', 'kept', 'cancelled']),
  mode: z.enum(['delegate', 'keep']),
  keepReason: z.string().max(2000).optional(),
  /** Input + output tokens of the node and everything below it (usageRollUp's total). */
  used: count,
  allocated: count,
  cost: z.number().nonnegative(),
  /** False when its parent splits its budget (equal or weighted): the budget comes from the parent. */
  budgetEditable: z.boolean(),
  /** How it shares its budget among its subtasks (its split policy), and how many it has. */
  split: z.enum(['equal', 'weighted', 'fixed']),
  childCount: count,
});
export type TaskNodeView = z.infer<typeof TaskNodeView>;

export const CheckpointView = z.object({
  id: z.string().min(1).max(100),
  time: z.number(),
  nodeId: z.string().max(200),
  nodeTitle: z.string().max(2000).nullable(),
  label: z.string().max(2000),
  kind: z.enum(['step', 'restore', 'undoNode']),
  files: z.array(z.object({ path: relativePath, change: z.enum(['created', 'modified', 'deleted', 'unchanged', 'pending']) })).max(500),
  tokens: z.number().nonnegative(),
  cost: z.number().nonnegative(),
  complete: z.boolean(),
  undone: z.boolean(),
  /** Why Baton does not count it as its own (not signed on this machine): listed, never restored. */
  foreign: z.string().max(500).nullable(),
});
export type CheckpointView = z.infer<typeof CheckpointView>;

export const RoleView = z.object({
  role: z.enum(['planner', 'maker', 'breaker', 'summariser']),
  /** Null: the role is not set in baton.roles. */
  provider: z.string().max(200).nullable(),
  model: z.string().max(500).nullable(),
  /** Where its prompts go: baton.roles.<role>.baseURL, else the provider's default; null for VS Code's models. */
  baseURL: z.string().max(2000).nullable(),
  /** How its last call or connection test went this session; null: not tried since it was set. */
  health: z.object({ state: z.enum(['ok', 'failing']), reason: z.string().max(500) }).nullable(),
});
export type RoleView = z.infer<typeof RoleView>;

/** How many nodes, checkpoints and notes one tasks message carries at most. */
export const TASKS_VIEW_LIMITS = { nodes: 2000, checkpoints: 200, notes: 50 } as const;

/** The saved task tree, the checkpoint timeline and the role bindings, sent whole on every change. */
export const TasksView = z.object({
  /** Why .baton/tree.json could not be read (the tree is then empty). */
  treeError: z.string().max(5000).nullable(),
  nodes: z.array(TaskNodeView).max(TASKS_VIEW_LIMITS.nodes),
  selectedId: z.string().max(200).nullable(),
  checkpoints: z.array(CheckpointView).max(TASKS_VIEW_LIMITS.checkpoints),
  checkpointError: z.string().max(5000).nullable(),
  roles: z.array(RoleView).max(10),
  /** Nodes and checkpoints left out because they do not fit (an over-long id, ...), each with why. */
  notes: z.array(z.string().max(1000)).max(TASKS_VIEW_LIMITS.notes),
});
export type TasksView = z.infer<typeof TasksView>;

/**
 * How the maker's prompt budget was set: the node's budget, capped by the model's context window
 * less the room kept for its answer. The sidebar says it in words (webview/ledgerWords.ts).
 */
export const PromptWindowView = z.object({
  model: z.string().max(500),
  contextWindow: count,
  /** Where the window's size comes from ("price table: gpt-4o", "assumed 4096 (model not in the price table)"). */
  windowSource: z.string().max(500),
  /** The most tokens the answer may take: kept out of the window for it. */
  answerReserve: count,
  nodeBudget: count,
  /** min(node budget, window - answer reserve): the most the prompt may take. */
  promptBudget: count,
  /** The whole prompt, every message counted. */
  promptTokens: count,
  /** The role's own instructions and the messages' overhead, outside the context plan. */
  instructionTokens: count,
});
export type PromptWindowView = z.infer<typeof PromptWindowView>;

/** The selected node's context ledger: its prompt as the maker would get it, and the person's pins and drops. */
export const NodeLedgerView = z.object({
  nodeId: z.string().min(1).max(200),
  /** 'maker': built as the maker's prompt; 'context': a context plan of the node's task (no maker set up). */
  source: z.enum(['maker', 'context']),
  /** Why the maker's prompt could not be used, or other facts about the plan. */
  note: z.string().max(2000).nullable(),
  plan: PlanView.nullable(),
  /** Null for a context plan: no model's window applies. */
  window: PromptWindowView.nullable(),
  /** Why no plan could be made. */
  error: z.string().max(5000).nullable(),
  pinned: z.array(relativePath).max(500),
  dropped: z.array(relativePath).max(500),
});
export type NodeLedgerView = z.infer<typeof NodeLedgerView>;

const nodeId = z.string().min(1).max(200);

/** What a person can do to one node from the sidebar (its detail's buttons, its context menu). */
export const NodeAction = z.enum(['decompose', 'run', 'retry', 'stop', 'keep', 'delegate', 'edit', 'editBudget', 'editSplit', 'showLedger', 'showLog']);
export type NodeAction = z.infer<typeof NodeAction>;

/** Where the running node is: the run's own steps, 'starting' before its first, 'planning' while Decompose splits it. */
export const RunStep = z.enum(['starting', 'planning', 'context', 'maker', 'breaker', 'review', 'checkpoint', 'apply', 'tests', 'summary']);
export type RunStep = z.infer<typeof RunStep>;

/** The node being run and the step it is at (the run's progress, as the notification shows it). */
export const RunningView = z.object({
  nodeId,
  step: RunStep,
  /** The maker round the step belongs to; 0 outside the rounds. */
  round: z.number().int().nonnegative().max(1000),
  /** The run's own words for the step (workspace text in it is shown as text). */
  message: z.string().max(2000),
});
export type RunningView = z.infer<typeof RunningView>;

/** The longest question the sidebar shows (it scrolls); a longer one is asked beside an editor showing it whole. */
export const DECISION_TEXT_MAX = 100_000;

/** A question a run or a restore waits on, shown on its node (and as a notification); the first answer counts. */
export const DecisionView = z.object({
  id: z
    .string()
    .regex(/^[0-9a-z-]+$/)
    .max(100),
  /** The node it is about; null: not one node (a restore of a checkpoint). */
  nodeId: nodeId.nullable(),
  kind: z.enum(['testCommand', 'sensitiveChanges', 'restore']),
  text: z.string().max(DECISION_TEXT_MAX),
  /** The answers, the first the one that goes ahead; closing without one is the last's "no". */
  choices: z.array(z.string().min(1).max(100)).min(1).max(4),
});
export type DecisionView = z.infer<typeof DecisionView>;

/** What each kind of decision asks, in a few words: its heading in the sidebar. */
export const DECISION_HEADINGS: Record<DecisionView['kind'], string> = {
  testCommand: 'Run the test command?',
  sensitiveChanges: 'Write sensitive files?',
  restore: 'Restore the files?',
};

const checkpointId = z
  .string()
  .regex(/^[0-9a-z-]+$/)
  .max(100);

export const WebviewToHost = z.discriminatedUnion('type', [
  /** The webview (re)started; it names the node it had selected before a hide or reload. */
  z.object({ type: z.literal('ready'), selectedNodeId: nodeId.nullable().optional() }),
  z.object({ type: z.literal('showContextPlan') }),
  /** Open an item of the plan shown at its first line range; the host checks it is one. */
  z.object({ type: z.literal('openItem'), path: relativePath }),
  z.object({ type: z.literal('selectNode'), nodeId }),
  /** Pin, drop or return to the ranking's own choice one file of a node's ledger. */
  z.object({ type: z.literal('setItemChoice'), nodeId, path: relativePath, choice: z.enum(['pin', 'drop', 'none']) }),
  z.object({ type: z.literal('setBudget'), nodeId, tokens: z.number().int().nonnegative().max(100_000_000) }),
  z.object({ type: z.literal('restoreCheckpoint'), checkpointId }),
  /** The file as it was before the checkpoint's step, against the file now. */
  z.object({ type: z.literal('compareCheckpoint'), checkpointId, path: relativePath }),
  z.object({ type: z.literal('selectModelForRole'), role: RoleView.shape.role }),
  /** List the models at the role's address and mark the role with the result. */
  z.object({ type: z.literal('testRoleConnection'), role: RoleView.shape.role }),
  /** The empty state's (and the title bar's) New Task. */
  z.object({ type: z.literal('newTask') }),
  z.object({ type: z.literal('nodeAction'), nodeId, action: NodeAction }),
  /** The person's answer to a pending decision, one of its choices by its words. */
  z.object({ type: z.literal('answerDecision'), decisionId: DecisionView.shape.id, choice: z.string().min(1).max(100) }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

export const HostToWebview = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), workspaceName: z.string().nullable(), version: z.string() }),
  /** A plan is being made for this task (null: no longer, finished, failed or cancelled). */
  z.object({ type: z.literal('planning'), task: z.string().max(20000).nullable() }),
  z.object({ type: z.literal('plan'), plan: PlanView }),
  z.object({ type: z.literal('tasks'), tasks: TasksView }),
  /** The selected node's ledger is being planned (null: not any more). */
  z.object({ type: z.literal('ledgerPlanning'), nodeId: nodeId.nullable() }),
  z.object({ type: z.literal('ledger'), ledger: NodeLedgerView.nullable() }),
  /** The run under way (null: none) and the decisions waiting for the person, sent whole on every change. */
  z.object({ type: z.literal('activity'), running: RunningView.nullable(), decisions: z.array(DecisionView).max(20) }),
  /** A message about something the person asked for in the sidebar (a refused budget, a restore). */
  z.object({
    type: z.literal('notice'),
    level: z.enum(['info', 'error']),
    text: z.string().max(5000),
    nodeId: nodeId.nullable(),
    /** The action that resolves it (a refused budget: edit the parent's split), offered as a button on the notice. */
    fix: z.object({ label: z.string().max(200), nodeId, action: NodeAction }).optional(),
  }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;
