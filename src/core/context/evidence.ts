// Where in a file the work of a task is likely to be, line by line. Each line scores what the task
// points at on it: the task's search terms (weighted by how rare they are), identifiers the task
// writes as code, a run of words from a message the task quotes, a line of one of its stack
// frames. The line scores feed the packing (relevance.ts) and the ledger's "why" for each range.
import type { Bm25Index } from './bm25';
import { forEachWord, termsOfWord } from './terms';

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
  /** The strongest evidence of each line that has any; `describe` words it for the ledger (asked for few lines). */
  strongest: Map<number, { kind: EvidenceKind; describe(): string }>;
}

// Weights of the kinds of evidence (one set for every language and repository).
const W_TERMS = 0.5;
const W_SYMBOL = 1;
const W_MESSAGE = 10;
const W_FRAME = 5;
// A run of a quoted message's words this long on one line is the message itself, not a common phrase.
const MESSAGE_RUN_CHARS = 20;
const MAX_SYMBOL_MENTIONS = 2;
const QUOTE = /["'`]/;

/**
 * Scores every line of a file for the task. `frameLines` are this file's lines in the task's stack
 * traces; `definitions` are where the file defines names (a definition the task names counts twice).
 * A word that is on many lines of this file says little about where in it the work is: term and
 * identifier weights are scaled by how rare they are among the file's lines.
 */
export function lineEvidence(
  lines: readonly string[],
  task: TaskEvidence,
  frameLines: readonly number[],
  definitions: readonly { name: string; startLine: number }[] = [],
): LineEvidence {
  const score = new Float64Array(lines.length);
  const strongest = new Map<number, { kind: EvidenceKind; describe(): string }>();
  const frames = new Set(frameLines);
  // First pass: which task terms and identifiers each line holds, and on how many lines each is.
  const termsOnLine: (string[] | undefined)[] = [];
  const namesOnLine: (string[] | undefined)[] = [];
  const lineCount = new Map<string, number>();
  const tally = (key: string): void => void lineCount.set(key, (lineCount.get(key) ?? 0) + 1);
  lines.forEach((line, i) => {
    // One pass over the line's identifiers: the names the task writes, and the terms they yield.
    // (Most lines hold neither: the lists are made only when something is found.)
    let terms: string[] | undefined;
    let names: string[] | undefined;
    forEachWord(line, (word) => {
      if (task.symbols.has(word) && !names?.includes(word)) (names ??= []).push(word);
      for (const t of termsOfWord(word)) if (task.query.has(t) && !terms?.includes(t)) (terms ??= []).push(t);
    });
    if (terms) {
      termsOnLine[i] = terms;
      for (const t of terms) tally(`t:${t}`);
    }
    if (names) {
      namesOnLine[i] = names;
      for (const n of names) tally(`s:${n}`);
    }
  });
  const rarity = (key: string): number => lineRarity(lineCount.get(key) ?? 0, lines.length);
  const definedHere = new Map<number, string>();
  for (const d of definitions) if (task.symbols.has(d.name)) definedHere.set(d.startLine, d.name);

  lines.forEach((line, i) => {
    const lineNo = i + 1;
    let best: { kind: EvidenceKind; describe(): string; weight: number } | undefined;
    const consider = (kind: EvidenceKind, weight: number, describe: () => string): void => {
      score[i]! += weight;
      if (weight > 0 && (!best || weight > best.weight)) best = { kind, weight, describe };
    };
    if (frames.has(lineNo)) consider('frame', W_FRAME, () => `line ${lineNo} of the task's stack trace`);
    // Programs print messages from string literals: a line without a quote holds none.
    const run = task.messages.length && QUOTE.test(line) ? longestMessageRun(line, task.messages) : '';
    if (run.length >= MESSAGE_RUN_CHARS) consider('message', W_MESSAGE, () => `holds the quoted message "${truncate(run, 50)}"`);
    const names = namesOnLine[i];
    if (names) {
      let weight = 0;
      for (const n of names) weight += Math.min(MAX_SYMBOL_MENTIONS, task.symbols.get(n)!) * task.bm25.idf(n.toLowerCase()) * rarity(`s:${n}`);
      const defined = definedHere.get(lineNo);
      if (defined) weight += Math.min(MAX_SYMBOL_MENTIONS, task.symbols.get(defined)!) * task.bm25.idf(defined.toLowerCase());
      consider('symbol', W_SYMBOL * weight, () => (defined ? `defines ${defined}, which the task names` : `names ${names.slice(0, 3).join(', ')}`));
    }
    const terms = termsOnLine[i];
    if (terms) {
      let weight = 0;
      for (const t of terms) weight += task.query.get(t)! * task.bm25.idf(t) * rarity(`t:${t}`);
      consider('terms', W_TERMS * weight, () => `task words ${terms.slice(0, 4).join(', ')}`);
    }
    if (best) strongest.set(lineNo, best);
  });
  return { score, strongest };
}

/** How well a word on `count` of a file's `lines` lines points at a place in it: 1 on one line, near 0 on most. */
function lineRarity(count: number, lines: number): number {
  if (count === 0) return 0;
  const idf = (n: number): number => Math.log(1 + (lines - n + 0.5) / (n + 0.5));
  return idf(count) / idf(1);
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
