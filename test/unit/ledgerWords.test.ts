// The ledger's numbers and omissions in a person's words: the budget, the model's window, the
// answer reserve and the context used; the effective budget when a window caps it; and why a plan
// holds nothing (nothing matched, or the matches did not fit).
import * as assert from 'node:assert/strict';
import { NodeLedgerView, PromptWindowView, type PlanView } from '../../src/protocol';
import { budgetWords, effectiveBudgetWords, emptyPlanWords, leftOutWords, reasonWords } from '../../webview/ledgerWords';

function plan(over: Partial<PlanView> = {}): PlanView {
  return {
    task: 'Parse tbsp.',
    folderName: 'pantry',
    budget: 3960,
    used: 123,
    encoding: 'o200k_base',
    reserved: { instructions: 40, task: 23, answer: 0 },
    items: [],
    omittedByReason: {},
    budgetCut: [],
    timings: { indexMs: 1, rankMs: 1, packMs: 1 },
    ...over,
  };
}

const capped: PromptWindowView = {
  model: 'gpt-x',
  contextWindow: 4096,
  windowSource: 'assumed 4096 (model not in the price table)',
  answerReserve: 0,
  nodeBudget: 16000,
  promptBudget: 3960,
  promptTokens: 259,
  instructionTokens: 136,
};

describe('ledger words', () => {
  it('says a window caps the budget, to what and why', () => {
    const window = { ...capped, answerReserve: 136 };
    assert.equal(effectiveBudgetWords(window), "Budget 16,000, capped to 3,960 by gpt-x's 4,096-token window minus the answer reserve (136).");
    assert.ok(PromptWindowView.safeParse(window).success, 'the words are built from what the protocol carries');
  });

  it('says a budget the window leaves room for is within it, not capped', () => {
    const roomy = { ...capped, contextWindow: 128000, answerReserve: 8192, nodeBudget: 3000, promptBudget: 3000 };
    assert.equal(effectiveBudgetWords(roomy), "Budget 3,000 tokens, within gpt-x's 128,000-token window minus the answer reserve (8,192).");
  });

  it("the maker's prompt: one figure for the prompt, its parts, the answer reserve and where the window came from", () => {
    const lines = budgetWords(plan(), { ...capped, answerReserve: 136 });
    assert.deepEqual(lines, [
      "Budget 16,000, capped to 3,960 by gpt-x's 4,096-token window minus the answer reserve (136).",
      // The whole prompt (259) against the effective budget, not the context plan's share (123 / 3960).
      'Prompt: 259 of 3,960 tokens (context 60, task 23, instructions 176).',
      "Answer reserve: up to 136 tokens for gpt-x's answer, outside the prompt.",
      "gpt-x's window: 4,096 tokens (assumed 4096 (model not in the price table)).",
    ]);
  });

  it('a context plan: the budget, what the prompt used of it and the answer share inside it', () => {
    const lines = budgetWords(plan({ budget: 3000, used: 1500, reserved: { instructions: 40, task: 60, answer: 450 } }), null);
    assert.deepEqual(lines, [
      "Budget 3,000 tokens; no model's window caps it.",
      'Prompt: 1,500 of the 2,550 tokens left after the answer reserve (context 1,400, task 60, instructions 40).',
      'Answer reserve: 450 tokens of the budget kept for the answer.',
    ]);
  });

  it('an empty plan says nothing matched when nothing did, not that nothing fits', () => {
    const words = emptyPlanWords(plan({ omittedByReason: { ignored: 3, secret: 1 } }));
    assert.match(words, /^No file matched the task/);
    assert.doesNotMatch(words, /budget/);
  });

  it('an empty plan whose matches were all cut says so, with how many', () => {
    assert.match(
      emptyPlanWords(plan({ omittedByReason: { budget: 4 } })),
      /^No file fits in the budget beside the task: 4 files matched but were cut for the budget/,
    );
    assert.match(emptyPlanWords(plan({ omittedByReason: { budget: 1 } })), /1 file matched but was cut/);
  });

  it('why files were left out, in words, most first; nothing left out is an empty string', () => {
    assert.equal(
      leftOutWords({ ignored: 2, budget: 5, secret: 1, 'too-large': 1 }),
      '5 files cut for the budget, 2 files ignored (an ignore file names them), 1 file secrets or credentials (never sent), 1 file too large (over baton.context.maxFileBytes)',
    );
    assert.equal(leftOutWords({}), '');
    assert.equal(leftOutWords({ budget: 0 }), '');
    assert.equal(reasonWords('something-new'), 'something-new', 'a reason without words is shown as it is');
  });

  it('the ledger message carries the window typed and checked: a negative or missing figure is refused', () => {
    const ledger = { nodeId: 'n1', source: 'maker', note: null, plan: plan(), window: capped, error: null, pinned: [], dropped: [] };
    assert.ok(NodeLedgerView.safeParse(ledger).success);
    assert.ok(NodeLedgerView.safeParse({ ...ledger, window: null }).success, 'a context plan has no window');
    assert.equal(NodeLedgerView.safeParse({ ...ledger, window: { ...capped, promptBudget: -1 } }).success, false);
    const { contextWindow: _dropped, ...withoutWindow } = capped;
    assert.equal(NodeLedgerView.safeParse({ ...ledger, window: withoutWindow }).success, false);
  });
});
