import type { ContextPlanner } from '../context/contextPlanner';
import type { ContextPlan } from '../context/engine';
import type { EditorSignals } from '../context/rank';
import { preflight, type PreflightEstimate } from '../providers/prices';
import type { ChatMessage, ModelFacts } from '../providers/types';
import type { TokenCounter } from '../tokens/tokenCounter';
import { promptBudget } from './budgets';
import { dependencyContext } from './dependencyContext';
import type { TaskTree } from './taskTree';

// Chat formats spend a few tokens per message on roles and separators.
const MESSAGE_OVERHEAD = 8;

export interface NodePrompt {
  messages: ChatMessage[];
  /** The context plan that filled the user message: its ledger is what the person sees before the call. */
  plan: ContextPlan;
  /** The most tokens this prompt may take: min(node budget, context window - reserved output). */
  budget: number;
  /** Tokens of the whole prompt (all messages with their overhead), counted exactly. */
  promptTokens: number;
  maxOutputTokens: number;
  preflight: PreflightEstimate;
}

export interface NodePromptInput {
  engine: ContextPlanner;
  tree: TaskTree;
  nodeId: string;
  /** What the role is asked to do (the system message). */
  instructions: string;
  model: string;
  facts: ModelFacts;
  maxOutputTokens: number;
  counter: TokenCounter;
  signals?: EditorSignals;
  /** Paths the person dropped from this node's context (the sidebar's Drop). */
  dropped?: readonly string[];
  /** What earlier rounds left (review findings, test output): data, so it goes with the task, not the instructions. */
  notes?: string;
}

/**
 * The prompt for one node: the role's instructions, then the node's task with the save states of
 * the nodes it depends on (never their conversations), then the repository context packed by the
 * context engine into exactly what is left. Never more than the node's budget, nor more than the
 * model's window less the output it reserves.
 */
export async function buildNodePrompt(input: NodePromptInput): Promise<NodePrompt> {
  const node = input.tree.get(input.nodeId);
  const maxOutputTokens = Math.min(input.maxOutputTokens, input.facts.maxOutputTokens);
  const budget = promptBudget(node, { contextWindow: input.facts.contextWindow, maxOutputTokens });
  const system: ChatMessage = { role: 'system', content: input.instructions };
  const fixed = input.counter.count(system.content) + 2 * MESSAGE_OVERHEAD;
  const plan = await input.engine.plan({
    task: [nodeTaskText(input.tree, input.nodeId), input.notes].filter(Boolean).join('\n\n'),
    budget: budget - fixed,
    reserveAnswer: 0, // the answer's room is already outside `budget`
    model: input.model,
    signals: { ...input.signals, likely: [...(input.signals?.likely ?? []), ...node.likelyFiles] },
    ...(input.dropped ? { dropped: input.dropped } : {}),
  });
  const messages: ChatMessage[] = [system, { role: 'user', content: plan.prompt }];
  const promptTokens = fixed + input.counter.count(plan.prompt);
  return {
    messages,
    plan,
    budget,
    promptTokens,
    maxOutputTokens,
    preflight: preflight({ promptTokens, maxOutputTokens, facts: input.facts }),
  };
}

/** The node's own words: title, goal, acceptance criteria, and what its dependencies left behind. */
export function nodeTaskText(tree: TaskTree, nodeId: string): string {
  const node = tree.get(nodeId);
  const parts = [`# ${node.title}`];
  if (node.goal && node.goal !== node.title) parts.push(node.goal);
  if (node.acceptance.length) parts.push(`Acceptance criteria:\n${node.acceptance.map((a) => `- ${a}`).join('\n')}`);
  const dependencies = dependencyContext(tree, nodeId);
  if (dependencies) parts.push(`What the tasks this one depends on left behind (their save states):\n\n${dependencies}`);
  return parts.join('\n\n');
}
