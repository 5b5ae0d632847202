// Where in a file the work of a task is likely to be, line by line. Each line scores what the task
// points at on it: the task's search terms (weighted by how rare they are), identifiers the task
// writes as code, a run of words from a message the task quotes, a line of one of its stack
// frames. The line scores feed the packing (relevance.ts) and the ledger's "why" for each range.
import type { Bm25Index } from './bm25';
import { collectTerms } from './terms';

export interface TaskEvidence {
  /** Weighted search terms of the task (query.ts). */
  query: ReadonlyMap<string, number>;
  /** Identifiers the task writes as code, with how often. */
  symbols: ReadonlyMap<string, number>;
  /** Messages the task quotes, as word lists. */
  messages: readonly (readonly string[])[];
  bm25: Bm25Index;
}

/** The strongest kind of evidence on a line, for the ledger. */
export type EvidenceKind = 'frame' | 'message' | 'symbol' | 'terms';

export interface LineEvidence {
  /** Score per line (index 0 is line 1). */
  score: Float64Array;
  /** The strongest evidence of each line that has any, with a short detail. */
  strongest: Map<number, { kind: EvidenceKind; detail: string }>;
}

// Weights of the kinds of evidence (one set for every language and repository).
const W_TERMS = 0.5;
const W_SYMBOL = 1;
const W_MESSAGE = 10;
const W_FRAME = 5;
// A run of a quoted message's words this long on one line is the message itself, not a common phrase.
const MESSAGE_RUN_CHARS = 20;
const MAX_SYMBOL_MENTIONS = 2;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
const QUOTE = /["'`]/;

/** Scores every line of a file for the task. `frameLines` are this file's lines in the task's stack traces. */
export function lineEvidence(lines: readonly string[], task: TaskEvidence, frameLines: readonly number[]): LineEvidence {
  const score = new Float64Array(lines.length);
  const strongest = new Map<number, { kind: EvidenceKind; detail: string }>();
  const frames = new Set(frameLines);
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    let best: { kind: EvidenceKind; detail: string; weight: number } | undefined;
    const consider = (kind: EvidenceKind, weight: number, detail: () => string): void => {
      score[i]! += weight;
      if (weight > 0 && (!best || weight > best.weight)) best = { kind, weight, detail: detail() };
    };
    if (frames.has(lineNo)) consider('frame', W_FRAME, () => `line ${lineNo} of the task's stack trace`);
    // Programs print messages from string literals: a line without a quote holds none.
    const run = task.messages.length && QUOTE.test(line) ? longestMessageRun(line, task.messages) : '';
    if (run.length >= MESSAGE_RUN_CHARS) consider('message', W_MESSAGE, () => `holds the quoted message "${truncate(run, 50)}"`);
    let symbolWeight = 0;
    const named: string[] = [];
    for (const m of line.matchAll(IDENTIFIER)) {
      const count = task.symbols.get(m[0]);
      if (!count) continue;
      symbolWeight += Math.min(MAX_SYMBOL_MENTIONS, count) * task.bm25.idf(m[0].toLowerCase());
      if (!named.includes(m[0])) named.push(m[0]);
    }
    if (symbolWeight > 0) consider('symbol', W_SYMBOL * symbolWeight, () => `names ${named.slice(0, 3).join(', ')}`);
    const terms = new Set<string>();
    collectTerms(line, (t) => {
      if (task.query.has(t)) terms.add(t);
    });
    let termWeight = 0;
    for (const t of terms) termWeight += task.query.get(t)! * task.bm25.idf(t);
    if (termWeight > 0) consider('terms', W_TERMS * termWeight, () => `task words ${[...terms].slice(0, 4).join(', ')}`);
    if (best) strongest.set(lineNo, { kind: best.kind, detail: best.detail });
  });
  return { score, strongest };
}

/** The longest run of consecutive words of one quoted message that the line holds verbatim. */
function longestMessageRun(line: string, messages: readonly (readonly string[])[]): string {
  let best = '';
  for (const words of messages) {
    for (let i = 0; i < words.length; i++) {
      if (!line.includes(words[i]!)) continue;
      let text = words[i]!;
      for (let j = i + 1; j < words.length; j++) {
        const longer = `${text} ${words[j]}`;
        if (!line.includes(longer)) break;
        text = longer;
      }
      if (text.length > best.length) best = text;
    }
  }
  return best;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
