import { encodingForModel } from '../tokens/encodings';
import { TokenCounter } from '../tokens/tokenCounter';
import { definitionPieces, windows, type Chunk, type Extent } from './chunks';
import { lineEvidence, type LineEvidence, type TaskEvidence } from './evidence';
import type { ContextLedger, Omission } from './ledger';
import type { LanguageId } from './languages';
import { findDefinitionNames } from './lexicalDefinitions';
import { lookupIndexedPath } from './indexedPath';
import { packContext, type PackFile, type PackUnit } from './pack';
import { CONTEXT_INSTRUCTIONS, renderTask, splitLines } from './prompt';
import { rankFiles, type EditorSignals, type RankedFile } from './rank';
import { IndexCache, type IndexCacheStats } from './indexCache';
import { RepoIndex, type IndexedFile } from './repoIndex';
import { scanWorkspace, type ScanOptions } from './scan';
import { SyntaxParser } from './syntax';
import { TimeSlicer } from './timeSlicer';
import { extractMentions, type TaskMentions } from './taskMentions';
import { buildQuery } from './query';
import { lineRelevance } from './relevance';
import { redactSecrets } from '../security/redact';
import { redactPackedBlocks, verbatimRanges } from './redactPackedBlocks';
import type { IndexCacheStore } from '../ports';
import { BudgetError } from './budgetError';

export interface PlanRequest {
  task: string;
  /** Tokens of the whole prompt, answer reserve included. */
  budget: number;
  /** Picks the tokenizer (see encodings.ts); unknown or absent means cl100k_base. */
  model?: string;
  /** Tokens kept free for the model's answer; by default a tenth of the budget, at most 4096. */
  reserveAnswer?: number;
  signals?: EditorSignals;
  /** Paths the person dropped from this plan. */
  dropped?: readonly string[];
}

export interface ContextPlan {
  prompt: string;
  ledger: ContextLedger;
  /** Files by relevance, best first. */
  ranking: string[];
  /** Lines shown verbatim, per file (1-based inclusive); lines changed by secret redaction are left out. */
  context: { path: string; ranges: [number, number][] }[];
  timings: { rankMs: number; packMs: number };
}

export interface EngineOptions extends ScanOptions {
  /** Where the index, extents and token counts are kept between processes; none: built from scratch each time. */
  cache?: IndexCacheStore;
}

// How many of the best-ranked files are cut into units and weighed for depth (parsing and line
// evidence are the cost); below this rank a file is rarely where the work is (about 1%).
const CANDIDATES = 15;
// A larger budget reaches further down the ranking, for breadth: one file per this many tokens of
// room (no more than CANDIDATES at 13k with the default answer reserve), at most MAX_CANDIDATES.
// Files below CANDIDATES get at most a glimpse from the share kept for files that got nothing, so
// the model learns they exist.
const TOKENS_PER_CANDIDATE = 750;
const MAX_CANDIDATES = 40;
// The best few are parsed with tree-sitter (exact definitions, headers of methods); below them the
// lexical scanner's definitions serve, unless a parse is already at hand: parsing is the cost.
const PARSED_CANDIDATES = 8;
const RANKING_LENGTH = 50;
const OUTLINE_LINES = 40;
// The probability that the work lands in a file, from its rank, its score and its strongest line of
// evidence, the last two relative to the best candidate's: a logistic model fitted on the three
// shared dev splits (4,160 ranked files, 244 of them changed by the fix). Fitted on any two splits,
// it predicts the third about as well as that split's own fit; rank and evidence count most.
const CONFIDENCE = { bias: 0.251, logScoreShare: 0.616, logPeakShare: 1.139, logRank: -1.119 };
const ANSWER_SHARE = 0.1;
const MAX_ANSWER_RESERVE = 4096;

/** Plans what a model sees for a task: rank, chunk and pack a workspace under a token budget (a ContextPlanner). */
export class ContextEngine {
  private parser: Promise<SyntaxParser | undefined> | undefined;
  // The index never changes under an engine, so neither do a file's definitions: parse once.
  private readonly extentCache = new Map<number, Extent[]>();
  private readonly counters = new Map<string, TokenCounter>();

  private constructor(
    readonly index: RepoIndex,
    private readonly cache: IndexCache | undefined,
  ) {}

  /**
   * Scans and indexes `root` in slices that leave the event loop free (timeSlicer.ts), reporting
   * progress; cancelled through `options.signal`, it rejects with an IndexingCancelledError.
   */
  static async open(root: string, options: EngineOptions = {}): Promise<ContextEngine> {
    const { cache: store, ...scanOptions } = options;
    const slicer = new TimeSlicer(options);
    // The cache is read while the workspace is scanned.
    const loading = store && IndexCache.load(store);
    const scan = await scanWorkspace(root, scanOptions, slicer);
    const cache = await loading;
    return new ContextEngine(await RepoIndex.fromScan(scan, cache, slicer), cache);
  }

  get root(): string {
    return this.index.root;
  }

  get fileCount(): number {
    return this.index.files.length;
  }

  async pathRefusals(paths: readonly string[]): Promise<(string | undefined)[]> {
    return paths.map((p) => {
      const found = lookupIndexedPath(this.index, p);
      return 'refused' in found ? found.refused : undefined;
    });
  }

  /** What this engine took from the index cache, and what it wrote (undefined without a cache). */
  get cacheStats(): IndexCacheStats | undefined {
    return this.cache?.stats;
  }

  /**
   * Writes what the cache lacks (new files' index entries, extents parsed, tokens counted), for the
   * next process or editor session. Returns the problems met: a cache that cannot be written
   * never fails a plan.
   */
  async saveCache(): Promise<string[]> {
    const snapshot = this.index.snapshot();
    return this.cache && snapshot ? this.cache.save(snapshot) : [];
  }

  async plan(request: PlanRequest): Promise<ContextPlan> {
    const t0 = performance.now();
    const counter = this.counter(request.model);
    const mentions = extractMentions(request.task);
    const dropped = new Set(request.dropped ?? []);
    const pinned = new Set((request.signals?.pinned ?? []).filter((p) => this.index.byPath.has(p) && !dropped.has(p)));
    const query = buildQuery(request.task, mentions);
    // Ranking walks every file: in slices, like the scan, so a plan never holds the event loop long.
    const slicer = new TimeSlicer();
    let ranked = (await rankFiles(this.index, query, mentions, request.signals, () => slicer.pause())).filter((r) => !dropped.has(r.file.path));
    // Pinned files come first whatever they scored.
    ranked = [...ranked.filter((r) => pinned.has(r.file.path)), ...ranked.filter((r) => !pinned.has(r.file.path))];
    for (const p of pinned) {
      if (!ranked.some((r) => r.file.path === p)) ranked.unshift({ file: this.index.byPath.get(p)!, score: 0, reasons: [] });
    }
    for (const r of ranked) if (pinned.has(r.file.path)) r.reasons.unshift({ signal: 'pinned', detail: 'pinned by you', weight: 0 });
    const rankMs = performance.now() - t0;

    const t1 = performance.now();
    // Secrets never leave the machine: the task and every packed block are redacted here, where the
    // prompt is assembled, so counts, the ledger and the verbatim claims describe what is sent.
    const task = await redactSecrets(request.task);
    const reserved = {
      instructions: counter.count(`${CONTEXT_INSTRUCTIONS}\n\n`),
      task: counter.count(renderTask(task.text)),
      answer: request.reserveAnswer ?? Math.min(MAX_ANSWER_RESERVE, Math.floor(request.budget * ANSWER_SHARE)),
    };
    const promptBudget = request.budget - reserved.answer;
    let available = promptBudget - reserved.instructions - reserved.task;
    if (available < 0) {
      throw new BudgetError(
        `The task text and instructions take ${reserved.instructions + reserved.task} tokens, over the ${promptBudget} left of the ` +
          `${request.budget}-token budget after ${reserved.answer} for the answer: raise the budget or shorten the task.`,
      );
    }
    const breadth = Math.min(MAX_CANDIDATES, Math.max(CANDIDATES, Math.floor(available / TOKENS_PER_CANDIDATE)));
    const candidates = await this.prepare(ranked.slice(0, breadth + pinned.size), CANDIDATES + pinned.size, mentions, query, pinned);
    const head = `${CONTEXT_INSTRUCTIONS}\n\n${renderTask(task.text)}`;
    const byPath = new Map(candidates.map((c) => [c.path, c]));
    let redacted = await redactPackedBlocks(packContext(candidates, available, counter), byPath, counter);
    let blocks = redacted.map((r) => r.block);
    let prompt = head + blocks.map((b) => b.text).join('');
    // Token merges across block joins (or a placeholder longer than its secret) can add a few
    // tokens: shrink and pack again until it fits.
    for (let used = counter.count(prompt); used > promptBudget; used = counter.count(prompt)) {
      available -= used - promptBudget;
      redacted = await redactPackedBlocks(packContext(candidates, available, counter), byPath, counter);
      blocks = redacted.map((r) => r.block);
      prompt = head + blocks.map((b) => b.text).join('');
    }
    const packMs = performance.now() - t1;

    const shown = new Set(blocks.map((b) => b.item.path));
    const omitted: Omission[] = [
      ...ranked
        .slice(0, RANKING_LENGTH)
        .filter((r) => !shown.has(r.file.path))
        .map((r): Omission => ({ path: r.file.path, reason: 'budget', detail: r.reasons[0]?.detail ?? '', score: r.score })),
      ...[...dropped].map((p): Omission => ({ path: p, reason: 'dropped', detail: 'dropped by you' })),
      ...this.index.skipped.map((s): Omission => ({ path: s.path, reason: s.reason, detail: s.detail })),
    ];
    return {
      prompt,
      ledger: {
        budget: request.budget,
        encoding: counter.encoding,
        reserved,
        used: counter.count(prompt),
        items: blocks.map((b) => b.item),
        omitted,
        ...(task.findings.length ? { redactedInTask: task.findings.length } : {}),
      },
      ranking: ranked.slice(0, RANKING_LENGTH).map((r) => r.file.path),
      // Only lines shown exactly as the file has them: lines a redaction changed are not claimed.
      context: redacted.map((r) => ({ path: r.block.item.path, ranges: verbatimRanges(r.block.item.ranges, r.redactedLines) })),
      timings: { rankMs, packMs },
    };
  }

  /** The tokenizer a plan for `model` counts with (cl100k_base when unknown), its counts cached. */
  counter(model: string | undefined): TokenCounter {
    const encoding = encodingForModel(model);
    let c = this.counters.get(encoding);
    if (!c) this.counters.set(encoding, (c = new TokenCounter(encoding, this.cache?.tokenCounts(encoding))));
    return c;
  }

  /**
   * Cuts the candidates into units (definitions, windows of long ones), scores every line for the
   * task, and weighs each file by how sure the evidence is that the work lies in it. Files from
   * `depth` on are for glimpses only, and weigh against the best of those above them.
   */
  private async prepare(ranked: RankedFile[], depth: number, mentions: TaskMentions, query: Map<string, number>, pinned: Set<string>): Promise<PackFile[]> {
    const task: TaskEvidence = {
      query,
      symbols: mentions.symbols,
      messages: mentions.messages.map((m) => m.split(/\s+/).filter(Boolean)),
      bm25: this.index.bm25,
    };
    const frameLinesByFile = new Map<number, number[]>();
    for (const f of mentions.frames) {
      if (!f.line) continue;
      for (const file of this.index.resolvePath(f.path)) frameLinesByFile.set(file.id, [...(frameLinesByFile.get(file.id) ?? []), f.line]);
    }
    const prepared: { r: RankedFile; lines: string[]; extents: Extent[]; pieces: Chunk[]; evidence: LineEvidence; peak: number }[] = [];
    for (const [rank, r] of ranked.entries()) {
      const lines = splitLines(r.file.text);
      const extents = rank < PARSED_CANDIDATES || pinned.has(r.file.path) ? await this.definitionExtents(r.file) : this.knownOrLexicalExtents(r.file);
      const evidence = lineEvidence(lines, task, frameLinesByFile.get(r.file.id) ?? [], extents);
      prepared.push({ r, lines, extents, pieces: definitionPieces(lines, extents), evidence, peak: Math.max(0, ...evidence.score) });
    }
    const topScore = Math.max(1e-9, ...ranked.map((r) => r.score));
    const topPeak = Math.max(1e-9, ...prepared.slice(0, depth).map((p) => p.peak));
    return prepared.map(({ r, lines, extents, pieces, evidence, peak }, rank): PackFile => {
      const relevance = lineRelevance(evidence.score, pieces);
      const units = windows(pieces, lines).map((c): PackUnit => {
        let mass = 0;
        for (let l = c.start; l <= c.end; l++) mass += relevance[l - 1]!;
        return { start: c.start, end: c.end, relevance: mass, why: unitReason(c, evidence), headers: headerLines(extents, c) };
      });
      return {
        path: r.file.path,
        lines,
        fenceLang: r.file.language ?? '',
        score: r.score,
        reasons: r.reasons,
        confidence: fileConfidence(rank, r.score / topScore, Math.min(1, peak / topPeak)),
        units,
        outline: outlineOf(extents, relevance),
        pinned: pinned.has(r.file.path),
        glimpseOnly: rank >= depth,
      };
    });
  }

  /** Where each definition of a file starts, ends and has its signature: parsed once, then kept (and cached). */
  async definitionExtents(file: IndexedFile): Promise<Extent[]> {
    let extents = this.extentCache.get(file.id);
    if (!extents) {
      const hash = this.index.contentHash(file.id);
      const saved = hash && file.language ? this.cache?.savedExtents(hash, file.language) : undefined;
      extents = saved ?? (await this.parseExtents(file));
      // Lexical stand-ins for a missing tree-sitter are not kept: a later process may have it.
      if (!saved && hash && file.language && (await this.syntaxParser())) this.cache?.rememberExtents(hash, file.language, extents);
      this.extentCache.set(file.id, extents);
    }
    return extents;
  }

  /** Definitions already parsed (in this process or the index cache), else the lexical scanner's: no parse. */
  private knownOrLexicalExtents(file: IndexedFile): Extent[] {
    const known = this.extentCache.get(file.id);
    if (known) return known;
    const hash = this.index.contentHash(file.id);
    const saved = hash && file.language ? this.cache?.savedExtents(hash, file.language) : undefined;
    return saved ?? (file.language ? lexicalExtents(file.text, file.language) : []);
  }

  private async parseExtents(file: IndexedFile): Promise<Extent[]> {
    if (!file.language) return [];
    const parser = await this.syntaxParser();
    if (parser) {
      const syntax = await parser.parse(file.text, file.language);
      if (syntax.definitions.length) return syntax.definitions;
    }
    return lexicalExtents(file.text, file.language);
  }

  private syntaxParser(): Promise<SyntaxParser | undefined> {
    // Without the WASM files (an unusual install), plans fall back to the lexical scanner.
    this.parser ??= SyntaxParser.create().catch(() => undefined);
    return this.parser;
  }
}

/** Extents from the lexical scanner: each definition runs until the next one starts. */
function lexicalExtents(text: string, language: LanguageId): Extent[] {
  const defs = findDefinitionNames(text, language).sort((a, b) => a.line - b.line);
  const lineCount = splitLines(text).length;
  return defs.map((d, i) => ({ name: d.name, startLine: d.line, endLine: (defs[i + 1]?.line ?? lineCount + 1) - 1, signatureEnd: d.line }));
}

/** Probability that the work is in the file at 0-based `rank`, given its score and evidence shares (0 to 1). */
function fileConfidence(rank: number, scoreShare: number, peakShare: number): number {
  const c = CONFIDENCE;
  const z = c.bias + c.logScoreShare * Math.log(Math.max(scoreShare, 1e-6)) + c.logPeakShare * Math.log(peakShare + 1e-3) + c.logRank * Math.log(1 + rank);
  return 1 / (1 + Math.exp(-z));
}

/** Why a unit is worth showing: the strongest evidence on its lines, or its owner. */
function unitReason(c: Chunk, evidence: LineEvidence): string {
  let best = -1;
  for (let l = c.start; l <= c.end; l++) if (evidence.strongest.has(l) && (best < 0 || evidence.score[l - 1]! > evidence.score[best - 1]!)) best = l;
  if (best > 0) return `line ${best}: ${evidence.strongest.get(best)!.describe()}`;
  return c.owner ? `part of ${c.owner.name}` : 'module code';
}

/** Signature lines of the definitions holding a unit that start before it (outermost first, at most 3 lines each). */
function headerLines(extents: readonly Extent[], c: Chunk): [number, number][] {
  return extents
    .filter((e) => e.startLine < c.start && e.endLine >= c.end)
    .sort((a, b) => a.startLine - b.startLine)
    .slice(-2)
    .map((e): [number, number] => [e.startLine, Math.min(e.signatureEnd, e.startLine + 2, c.start - 1)]);
}

/** Signature lines of the most relevant definitions, in line order, up to OUTLINE_LINES lines. */
function outlineOf(extents: readonly Extent[], relevance: Float64Array): [number, number][] {
  const mass = (e: Extent): number => {
    let m = 0;
    for (let l = e.startLine; l <= e.endLine && l <= relevance.length; l++) m += relevance[l - 1]!;
    return m / Math.sqrt(e.endLine - e.startLine + 1);
  };
  const chosen: [number, number][] = [];
  let lines = 0;
  for (const e of [...extents].sort((a, b) => mass(b) - mass(a) || a.startLine - b.startLine)) {
    if (lines >= OUTLINE_LINES) break;
    const end = Math.min(e.signatureEnd, e.startLine + 3);
    chosen.push([e.startLine, end]);
    lines += end - e.startLine + 1;
  }
  return chosen.sort((a, b) => a[0] - b[0]);
}
