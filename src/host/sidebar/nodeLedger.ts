import * as vscode from 'vscode';
import { BudgetError } from '../../core/context/budgetError';
import type { ContextPlan } from '../../core/context/engine';
import { buildNodePrompt, nodeTaskText } from '../../core/tasks/nodePrompt';
import type { TaskTree } from '../../core/tasks/taskTree';
import { TokenCounter } from '../../core/tokens/tokenCounter';
import { MAKER_INSTRUCTIONS } from '../../core/proposals/maker';
import type { NodeLedgerView } from '../../protocol';
import type { ContextEngines } from '../contextEngines';
import { clip, toPlanView } from '../planView';
import type { KeyDestinations } from '../keyDestinations';
import { createRoleRouter } from '../roleRouter';
import type { ContextSettingsReader } from '../settings';
import type { NodeChoices } from './nodeChoices';

// The maker's own output cap when its role sets none (src/core/proposals/maker.ts), so the ledger
// reserves the same room for the answer as the real call.
const MAKER_MAX_OUTPUT = 8192;
// Asking a local server for the model's context window must not hold the sidebar up.
const MODEL_FACTS_TIMEOUT_MS = 5000;

export interface NodeLedgerDeps {
  engines: ContextEngines;
  settings: ContextSettingsReader;
  secrets: vscode.SecretStorage;
  /** Where the person said a stored key may go; a ledger never asks (it is drawn without being asked for). */
  keys: KeyDestinations;
  log: vscode.LogOutputChannel;
}

/**
 * The selected node's ledger: its prompt as the maker would get it (buildNodePrompt, when a maker
 * role is set up and its model answers), otherwise a context plan of the node's task within the
 * node's budget. Editor signals are left out, as in a real run; the person's pins and drops count.
 */
export async function planNodeLedger(
  deps: NodeLedgerDeps,
  folder: vscode.WorkspaceFolder,
  tree: TaskTree,
  nodeId: string,
  choices: NodeChoices,
): Promise<NodeLedgerView> {
  const node = tree.get(nodeId);
  const base = { nodeId, pinned: choices.pinned, dropped: choices.dropped };
  const settings = deps.settings.read(folder.uri);
  const task = nodeTaskText(tree, nodeId);
  let lease;
  try {
    lease = await deps.engines.get(folder.uri, settings.maxFileBytes);
  } catch (err) {
    return { ...base, source: 'context', note: null, plan: null, window: null, error: `Baton could not index ${folder.name}: ${messageOf(err)}` };
  }

  let note: string | null = null;
  if (makerIsSet()) {
    try {
      const binding = await createRoleRouter(deps.secrets, deps.log, (d) => deps.keys.mayGoTo(d, false)).bindingFor('maker');
      const facts = await withTimeout(binding.provider.modelFacts(binding.model), MODEL_FACTS_TIMEOUT_MS, `${binding.model} did not say its context window`);
      const prompt = await buildNodePrompt({
        engine: lease.engine,
        tree,
        nodeId,
        instructions: MAKER_INSTRUCTIONS,
        model: binding.model,
        facts,
        maxOutputTokens: binding.maxOutputTokens ?? MAKER_MAX_OUTPUT,
        counter: new TokenCounter(facts.encoding),
        signals: { pinned: choices.pinned },
        dropped: choices.dropped,
      });
      return {
        ...base,
        source: 'maker',
        error: null,
        note: `As the maker (${binding.model}) would get it, at most $${prompt.preflight.cost.toFixed(4)}.`,
        plan: toPlanView(task, folder.name, prompt.plan, lease.indexMs),
        window: {
          model: clip(binding.model, 500),
          contextWindow: facts.contextWindow,
          windowSource: clip(facts.source, 500),
          answerReserve: prompt.maxOutputTokens,
          nodeBudget: node.budget.allocated,
          promptBudget: prompt.budget,
          promptTokens: prompt.promptTokens,
          instructionTokens: Math.max(0, prompt.promptTokens - prompt.plan.ledger.used),
        },
      };
    } catch (err) {
      note = `The maker's prompt could not be built (${messageOf(err)}); this is the context plan of the node's task.`;
      deps.log.warn(`Ledger of ${tree.label(nodeId)}: ${note}`);
    }
  }

  if (node.budget.allocated <= 0) {
    return { ...base, source: 'context', note, plan: null, window: null, error: `${tree.label(nodeId)} has no budget (0 tokens): set one to see its ledger.` };
  }
  let plan: ContextPlan;
  try {
    plan = await lease.engine.plan({
      task,
      budget: node.budget.allocated,
      model: settings.model,
      signals: { pinned: choices.pinned, likely: node.likelyFiles },
      dropped: choices.dropped,
    });
  } catch (err) {
    const error = err instanceof BudgetError ? err.message : `Baton could not plan the context of ${tree.label(nodeId)}: ${messageOf(err)}`;
    return { ...base, source: 'context', note, plan: null, window: null, error };
  }
  return { ...base, source: 'context', note, error: null, window: null, plan: toPlanView(task, folder.name, plan, lease.indexMs) };
}

function makerIsSet(): boolean {
  const roles = vscode.workspace.getConfiguration('baton').get<Record<string, unknown>>('roles');
  return typeof roles === 'object' && roles !== null && roles.maker !== undefined && roles.maker !== null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
