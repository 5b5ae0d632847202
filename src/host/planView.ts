import type { ContextPlan } from '../core/context/engine';
import type { PlanView } from '../protocol';

const MAX_TASK_CHARS = 4000;
const MAX_DETAIL_CHARS = 300;
const REASONS_SHOWN = 3;
const NOTES_SHOWN = 200;
const BUDGET_CUT_SHOWN = 5;

/** The part of a plan the sidebar shows, within the sizes the protocol accepts. */
export function toPlanView(task: string, folderName: string, plan: ContextPlan, indexMs: number): PlanView {
  const { ledger } = plan;
  const omittedByReason: Record<string, number> = {};
  for (const o of ledger.omitted) omittedByReason[o.reason] = (omittedByReason[o.reason] ?? 0) + 1;
  return {
    task: clip(task, MAX_TASK_CHARS),
    folderName,
    budget: ledger.budget,
    used: ledger.used,
    encoding: ledger.encoding,
    reserved: { ...ledger.reserved },
    items: ledger.items.map((it) => ({
      path: it.path,
      tier: it.tier,
      ranges: it.ranges.map(([s, e]): [number, number] => [s, e]),
      tokens: it.tokens,
      score: it.score,
      reasons: it.reasons.slice(0, REASONS_SHOWN).map((r) => ({ signal: r.signal, detail: clip(r.detail, MAX_DETAIL_CHARS) })),
      shown: clip(it.shown, MAX_DETAIL_CHARS),
      ...(it.notes ? { notes: it.notes.slice(0, NOTES_SHOWN).map((n) => ({ range: n.range, why: clip(n.why, MAX_DETAIL_CHARS) })) } : {}),
    })),
    omittedByReason,
    budgetCut: ledger.omitted
      .filter((o) => o.reason === 'budget')
      .slice(0, BUDGET_CUT_SHOWN)
      .map((o) => ({ path: o.path, score: o.score ?? 0, detail: clip(o.detail, MAX_DETAIL_CHARS) })),
    timings: { indexMs, rankMs: plan.timings.rankMs, packMs: plan.timings.packMs },
  };
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
