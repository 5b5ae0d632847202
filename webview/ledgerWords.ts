// The ledger's numbers in words: the budget, the model's window, the answer reserve and the context
// used, and why files were left out. Pure (no DOM), so the wording is tested on its own.
import type { PlanView, PromptWindowView } from '../src/protocol';

const tokens = (n: number): string => n.toLocaleString('en-US');
const files = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;

/** What the prompt holds besides the files: the context engine's instructions, the task and (for the maker) its own instructions. */
function usedWords(plan: PlanView, extraInstructions: number): string {
  const r = plan.reserved;
  const context = Math.max(0, plan.used - r.instructions - r.task);
  return `context ${tokens(context)}, task ${tokens(r.task)}, instructions ${tokens(r.instructions + extraInstructions)}`;
}

/**
 * The budget lines of a ledger. With a model's window (the maker's prompt): the node's budget, the
 * cap the window puts on it and why, the prompt used of the effective budget, and the answer
 * reserve outside it. Without one (a context plan): the budget, what the prompt used of it and the
 * share kept inside it for the answer.
 */
export function budgetWords(plan: PlanView, window: PromptWindowView | null): string[] {
  if (!window) {
    const answer = plan.reserved.answer;
    return [
      `Budget ${tokens(plan.budget)} tokens; no model's window caps it.`,
      `Prompt: ${tokens(plan.used)} of the ${tokens(plan.budget - answer)} tokens left after the answer reserve (${usedWords(plan, 0)}).`,
      `Answer reserve: ${tokens(answer)} tokens of the budget kept for the answer.`,
    ];
  }
  const lines = [effectiveBudgetWords(window)];
  lines.push(
    `Prompt: ${tokens(window.promptTokens)} of ${tokens(window.promptBudget)} tokens (${usedWords(plan, window.instructionTokens)}).`,
    `Answer reserve: up to ${tokens(window.answerReserve)} tokens for ${window.model}'s answer, outside the prompt.`,
    `${window.model}'s window: ${tokens(window.contextWindow)} tokens (${window.windowSource}).`,
  );
  return lines;
}

/** The prompt's budget: the node's own, or the smaller one a model's window leaves, and why. */
export function effectiveBudgetWords(window: PromptWindowView): string {
  const room = `${window.model}'s ${tokens(window.contextWindow)}-token window minus the answer reserve (${tokens(window.answerReserve)})`;
  if (window.promptBudget < window.nodeBudget) return `Budget ${tokens(window.nodeBudget)}, capped to ${tokens(window.promptBudget)} by ${room}.`;
  return `Budget ${tokens(window.nodeBudget)} tokens, within ${room}.`;
}

/** Why files were left out, by reason, in a person's words. Unknown reasons are shown as they are. */
const REASON_WORDS: Record<string, string> = {
  budget: 'cut for the budget',
  dropped: 'dropped by you',
  ignored: 'ignored (an ignore file names them)',
  excluded: 'excluded (tool, dependency or build folders, generated files)',
  secret: 'secrets or credentials (never sent)',
  'too-large': 'too large (over baton.context.maxFileBytes)',
  binary: 'binary',
  'not-utf8': 'not UTF-8 text',
  unreadable: 'unreadable',
  symlink: 'links not followed',
  'file-limit': 'over the workspace file limit',
};

export function reasonWords(reason: string): string {
  return REASON_WORDS[reason] ?? reason;
}

/** "3 files cut for the budget, 1 file secrets or credentials (never sent)", most first; '' when none. */
export function leftOutWords(omittedByReason: Readonly<Record<string, number>>): string {
  return Object.entries(omittedByReason)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${files(n)} ${reasonWords(reason)}`)
    .join(', ');
}

/** Why a plan holds no file: the matching ones did not fit, or nothing in the workspace matched the task. */
export function emptyPlanWords(plan: PlanView): string {
  const cut = plan.omittedByReason.budget ?? 0;
  if (cut > 0)
    return `No file fits in the budget beside the task: ${files(cut)} matched but ${cut === 1 ? 'was' : 'were'} cut for the budget. Raise the budget to include them.`;
  return 'No file matched the task: no path, name or word of it was found in the workspace. Name the files or functions it is about.';
}
