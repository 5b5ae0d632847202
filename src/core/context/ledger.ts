// The ledger: what a prompt will show a model and why, and what was left out and why.
// It is what the person sees before any call, in the sidebar and from `baton context`.
import type { SkipReason } from './scan';

export type Tier = 'whole' | 'snippet' | 'outline';

/** One reason a file scored, with its share of the score. */
export interface Reason {
  signal: 'pinned' | 'planned' | 'named-path' | 'named-module' | 'stack-frame' | 'defines' | 'error-message' | 'lexical' | 'graph' | 'open' | 'recent';
  detail: string;
  weight: number;
}

/** Why one shown range was chosen: the evidence inside it. */
export interface RangeNote {
  range: [number, number];
  why: string;
}

export interface LedgerItem {
  path: string;
  tier: Tier;
  ranges: [number, number][]; // 1-based inclusive line ranges, shown verbatim
  tokens: number;
  score: number;
  reasons: Reason[];
  /** Why the file is shown whole, in excerpts or as an outline. */
  shown: string;
  /** Why each range was chosen, where evidence chose it. */
  notes?: RangeNote[];
  /** Secrets replaced by placeholders in the shown lines (src/core/security/redact.ts); absent when none. */
  redacted?: number;
}

export type OmissionReason = SkipReason | 'budget' | 'dropped';

export interface Omission {
  path: string;
  reason: OmissionReason;
  detail: string;
  score?: number;
}

export interface ContextLedger {
  budget: number;
  encoding: string;
  reserved: { instructions: number; task: number; answer: number };
  used: number; // tokens of the whole prompt, exactly
  items: LedgerItem[];
  omitted: Omission[];
  /** Secrets replaced by placeholders in the task text; absent when none. */
  redactedInTask?: number;
}

/** The ledger as a plain-text table for a terminal. */
/** `explain`: under each item, why it is shown whole, in excerpts or as an outline, and why each range. */
export function formatLedger(ledger: ContextLedger, options: { omittedRows?: number; explain?: boolean } = {}): string {
  const rows = ledger.items.map((it) => [
    it.tier,
    String(it.tokens),
    it.score.toFixed(2),
    `${it.path}${it.tier === 'whole' ? '' : ` ${formatRanges(it.ranges)}`}`,
    it.reasons
      .slice(0, 3)
      .map((r) => r.detail)
      .join('; '),
  ]);
  const header = ['tier', 'tokens', 'score', 'item', 'why'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i]!.length, i === 3 ? 70 : 200))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : i === 4 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header)];
  rows.forEach((row, i) => {
    out.push(line(row));
    if (!options.explain) return;
    const it = ledger.items[i]!;
    out.push(`    ${it.shown}`);
    for (const n of it.notes ?? []) out.push(`    lines ${formatRanges([n.range])}: ${n.why}`);
  });
  const r = ledger.reserved;
  out.push(
    '',
    `context ${ledger.used - r.instructions - r.task} + instructions ${r.instructions} + task ${r.task} = ${ledger.used} of ${ledger.budget} tokens ` +
      `(${r.answer} more kept for the answer; ${ledger.encoding})`,
  );
  const redacted = ledger.items.filter((it) => it.redacted);
  if (redacted.length || ledger.redactedInTask) {
    const where = [...(ledger.redactedInTask ? [`the task (${ledger.redactedInTask})`] : []), ...redacted.map((it) => `${it.path} (${it.redacted})`)];
    out.push(`secrets redacted before sending: ${where.join(', ')}`);
  }
  const shown = options.omittedRows ?? 10;
  const budgetCut = ledger.omitted.filter((o) => o.reason === 'budget');
  const others = ledger.omitted.filter((o) => o.reason !== 'budget');
  if (budgetCut.length) {
    out.push(`left out for the budget: ${budgetCut.length} ranked files, best first:`);
    for (const o of budgetCut.slice(0, shown)) out.push(`  ${o.path} (score ${o.score?.toFixed(2) ?? '-'}) ${o.detail}`);
  }
  if (others.length) {
    const byReason = new Map<string, number>();
    for (const o of others) byReason.set(o.reason, (byReason.get(o.reason) ?? 0) + 1);
    out.push(`left out of the scan: ${[...byReason].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  }
  return out.join('\n');
}

export function formatRanges(ranges: [number, number][]): string {
  return ranges.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(',');
}
