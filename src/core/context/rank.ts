import type { Reason } from './ledger';
import { personalizedPageRank } from './pagerank';
import type { IndexedFile, RepoIndex } from './repoIndex';
import type { TaskMentions } from './taskMentions';

/** What the editor knows beyond the task text (open, recently edited and pinned files). */
export interface EditorSignals {
  pinned?: readonly string[];
  /** Files the task's plan expects to read or change (the planner's likelyFiles): evidence, not a pin. */
  likely?: readonly string[];
  open?: readonly string[];
  recent?: readonly string[];
}

export interface RankedFile {
  file: IndexedFile;
  score: number;
  reasons: Reason[];
}

// Weights of each signal. A file named by the task outranks one that only shares its words.
const W = {
  lexical: 1.0,
  namedPath: 2.5,
  namedModule: 2.0,
  frame: 1.2,
  lastFrame: 1.3,
  defines: 1.6,
  qualified: 1.2,
  message: 2.0,
  graph: 0.2,
  planned: 1.0,
  open: 0.4,
  recent: 0.3,
};
// Source is where work usually lands; the others come first only when the task names them.
const KIND_PRIOR = { source: 1, test: 0.45, declarations: 0.5, generated: 0.2, vendored: 0.3, docs: 0.3, config: 0.3, data: 0.1 } as const;
const MAX_DEFINING_FILES = 12;
const BARE_NAME = 0.4;
const MAX_MESSAGES = 16;
const SIGNAL_CAPS = [
  ['defines', 2 * W.defines],
  ['error-message', 1.5 * W.message],
] as const;

/** Scores every file for the task; the reasons say which signals gave each file its score. */
/** `query` is buildQuery(task, mentions): built once per plan, also used to score chunks. */
export async function rankFiles(
  index: RepoIndex,
  query: Map<string, number>,
  mentions: TaskMentions,
  signals: EditorSignals = {},
  pause: () => Promise<void> = async () => {},
): Promise<RankedFile[]> {
  const n = index.files.length;
  const score = new Float64Array(n);
  const reasons = new Map<number, Reason[]>();
  const named = new Set<number>(); // files the task points at directly: no kind prior applies
  const add = (file: number, weight: number, signal: Reason['signal'], detail: string): void => {
    if (weight <= 0) return;
    score[file]! += weight;
    let list = reasons.get(file);
    if (!list) reasons.set(file, (list = []));
    const same = list.find((r) => r.signal === signal && r.detail === detail);
    if (same) same.weight += weight;
    else list.push({ signal, detail, weight });
  };

  // Lexical: BM25 over path and contents, normalised to the best file.
  const lexical = index.bm25.scoreAll(query);
  const top = lexical.reduce((a, b) => Math.max(a, b), 0);
  if (top > 0) {
    const words = [...query.keys()];
    // The 101st best score (a typed array sorts ascending and numerically without a comparator).
    const cutoff = Float64Array.from(lexical).sort()[n - 1 - Math.min(100, n - 1)] ?? 0;
    for (const [i, s] of lexical.entries()) {
      await pause();
      // Naming the shared words costs time: only for files that may be shown.
      if (s > 0)
        add(i, (W.lexical * s) / top, 'lexical', s > cutoff ? `shares words with the task (${topTerms(index, i, words)})` : 'shares words with the task');
    }
  }

  for (const p of mentions.paths) {
    // A short path (`a/b.py`, `setup.cfg`) may be the person's own file that happens to share a
    // name with one deep in this tree: it counts by how much of the file's path it spells out.
    const written = p.split('/').filter(Boolean).length;
    for (const f of index.resolvePath(p)) {
      const coverage = Math.min(1, written / f.path.split('/').length);
      add(f.id, W.namedPath * (written === 1 ? Math.min(coverage, BARE_NAME) : coverage), 'named-path', `the task names ${p}`);
      if (coverage > 0.5 && written > 1) named.add(f.id);
    }
  }
  for (const m of mentions.modules) {
    for (const f of resolveModule(index, m)) {
      add(f.id, W.namedModule, 'named-module', `the task names module ${m}`);
      named.add(f.id);
    }
  }

  // Stack frames: a file scores once however many frames it holds, and the deepest frame that
  // lies in this workspace (where the failure surfaced in the project's own code) scores most.
  const framed = mentions.frames.map((frame) => ({ frame, files: index.resolvePath(frame.path) }));
  const deepest = framed.filter((f) => f.files.length).pop();
  const frameFiles = new Map<number, number[]>();
  for (const { frame, files } of framed) {
    for (const f of files) frameFiles.set(f.id, [...(frameFiles.get(f.id) ?? []), ...(frame.line ? [frame.line] : [])]);
  }
  for (const [id, lines] of frameFiles) {
    const isDeepest = deepest?.files.some((f) => f.id === id) ?? false;
    const where = lines.length ? ` at line${lines.length > 1 ? 's' : ''} ${lines.slice(0, 4).join(', ')}` : '';
    add(id, W.frame + (isDeepest ? W.lastFrame : 0), 'stack-frame', `${isDeepest ? 'deepest project frame' : 'in the stack trace'}${where}`);
    named.add(id);
  }

  // Definitions of the names the task writes as code; a name defined in few places says more.
  // A name that is also a common word across the workspace (`array`, `value`) says little: scale
  // by its inverse document frequency relative to the rarest possible name.
  const maxIdf = Math.log(1 + (n - 0.5) / 1.5);
  for (const [name, count] of mentions.symbols) {
    const files = index.definingFiles(name);
    if (files.length === 0 || files.length > MAX_DEFINING_FILES) continue;
    const specificity = Math.min(1, index.bm25.idf(name.toLowerCase()) / maxIdf);
    const weight = (W.defines * specificity * Math.min(1, Math.log2(1 + count) / 2)) / Math.sqrt(files.length);
    for (const f of files) add(f, weight, 'defines', `defines ${name}`);
  }
  for (const [cls, method] of mentions.qualified) {
    const both = index.definingFiles(cls).filter((f) => index.definingFiles(method).includes(f));
    for (const f of both) add(f, W.qualified / Math.sqrt(both.length), 'defines', `defines ${cls}.${method}`);
  }

  // Messages the task quotes, looked up literally in the code that could print them.
  const code = index.files.filter((f) => f.kind === 'source' || f.kind === 'generated');
  for (const message of mentions.messages.slice(0, MAX_MESSAGES)) {
    const literals = messageLiterals(message);
    if (!literals.length) continue;
    const hits = code.filter((f) => literals.some((l) => f.text.includes(l)));
    if (hits.length === 0 || hits.length > 5) continue;
    for (const f of hits) add(f.id, W.message / Math.sqrt(hits.length), 'error-message', `holds the message "${truncate(message, 40)}"`);
  }

  for (const p of signals.likely ?? []) {
    const f = index.byPath.get(p);
    if (f) {
      add(f.id, W.planned, 'planned', 'the plan expects this file to change');
      named.add(f.id);
    }
  }
  for (const p of signals.open ?? []) {
    const f = index.byPath.get(p);
    if (f) add(f.id, W.open, 'open', 'open in the editor');
  }
  for (const p of signals.recent ?? []) {
    const f = index.byPath.get(p);
    if (f) add(f.id, W.recent, 'recent', 'recently edited');
  }

  // What the strongest candidates lead to: a personalised PageRank over the reference graph.
  const seeds = new Map<number, number>();
  const seedOrder = [...score.keys()]
    .filter((i) => score[i]! > 0)
    .sort((a, b) => score[b]! - score[a]!)
    .slice(0, 20);
  for (const i of seedOrder) seeds.set(i, score[i]!);
  if (seeds.size) {
    const pr = await personalizedPageRank(index.references(), seeds, pause);
    let prTop = 0;
    pr.forEach((v, i) => {
      if (!seeds.has(i)) prTop = Math.max(prTop, v);
    });
    if (prTop > 0)
      pr.forEach((v, i) => {
        if (!seeds.has(i) && v > 0) add(i, (W.graph * v) / prTop, 'graph', 'referenced by or refers to top candidates');
      });
  }

  const ranked: RankedFile[] = [];
  for (const [i, list] of reasons) {
    await pause();
    const file = index.files[i]!;
    // Many weak definitions or messages should not outweigh one strong signal: their sums are capped.
    for (const [signal, cap] of SIGNAL_CAPS) {
      const sum = list.filter((r) => r.signal === signal).reduce((t, r) => t + r.weight, 0);
      if (sum > cap) score[i]! -= sum - cap;
    }
    const prior = named.has(i) ? 1 : KIND_PRIOR[file.kind];
    list.sort((a, b) => b.weight - a.weight);
    ranked.push({ file, score: score[i]! * prior, reasons: list.map((r) => ({ ...r, weight: r.weight * prior })) });
  }
  ranked.sort((a, b) => b.score - a.score || (a.file.path < b.file.path ? -1 : 1));
  return ranked;
}

/** Files a dotted module name may live in: `a.b.c` -> a/b/c.py, a/b/c/__init__.py, a/b/c.ts, ... */
function resolveModule(index: RepoIndex, dotted: string): IndexedFile[] {
  const parts = dotted.split('.');
  // Try the full name, then without its last part (which is often a symbol: `pkg.mod.func`).
  for (const take of [parts.length, parts.length - 1]) {
    if (take < 2) break;
    const stem = parts.slice(0, take).join('/');
    const hits = index.files.filter((f) => {
      const p = f.path.replace(/\.[^./]+$/, '');
      return p === stem || p.endsWith(`/${stem}`) || p === `${stem}/__init__` || p.endsWith(`/${stem}/__init__`) || p.endsWith(`/${stem}/index`);
    });
    if (hits.length && hits.length <= 3) return hits;
  }
  return [];
}

/** The fixed parts of an error message (what code would hold literally), longest first. */
function messageLiterals(message: string): string[] {
  // "APIError: not found" is printed from code that holds "not found".
  return message
    .replace(/^[\w.]*(?:Error|Exception|Warning)\b:?\s*/, '')
    .split(/'[^']*'|"[^"]*"|\{[^}]*\}|\b\d[\w.]*\b|[<>()[\]]/)
    .map((s) => s.trim())
    .filter((s) => s.length >= 12)
    .sort((a, b) => b.length - a.length)
    .slice(0, 3);
}

function topTerms(index: RepoIndex, file: number, words: string[]): string {
  return words
    .filter((w) => index.bm25.has(file, w))
    .sort((a, b) => index.bm25.idf(b) - index.bm25.idf(a))
    .slice(0, 4)
    .join(', ');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
