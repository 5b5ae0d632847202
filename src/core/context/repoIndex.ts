import { Bm25Index } from './bm25';
import { fileKind, type FileKind } from './fileKind';
import { contentHash, type IndexCache } from './indexCache';
import type { IndexSnapshot, SnapshotFile } from './indexSnapshot';
import { languageForPath, type LanguageId } from './languages';
import { findDefinitionNames } from './lexicalDefinitions';
import { toSparseGraph, type SparseGraph } from './pagerank';
import type { ScanResult, SkippedEntry } from './scan';
import type { TimeSlicer } from './timeSlicer';

export interface IndexedFile {
  id: number;
  path: string;
  text: string;
  size: number;
  kind: FileKind;
  language: LanguageId | undefined;
}

export interface DefinitionSite {
  file: number;
  line: number;
}

// Only so much of a data file is worth indexing: its name and head say what it is.
const DATA_INDEX_CHARS = 4096;
const INDEX_CHARS = 256 * 1024;

/**
 * Everything about a workspace that does not depend on the task: its files, a BM25 index over
 * paths and contents, and where each name is defined. Built once; each plan reuses it.
 */
export class RepoIndex {
  readonly byPath = new Map<string, IndexedFile>();
  private readonly byBasename = new Map<string, IndexedFile[]>();

  private constructor(
    readonly root: string,
    readonly files: IndexedFile[],
    readonly skipped: SkippedEntry[],
    readonly bm25: Bm25Index,
    readonly definitions: Map<string, DefinitionSite[]>,
    /** Per file, what the index cache keeps of it; undefined when there is no cache. */
    private readonly saved: SnapshotFile[] | undefined,
    private readonly referenceGraph: SparseGraph,
  ) {
    for (const f of files) {
      this.byPath.set(f.path, f);
      const base = f.path.slice(f.path.lastIndexOf('/') + 1);
      this.byBasename.set(base, [...(this.byBasename.get(base) ?? []), f]);
    }
  }

  /**
   * Indexes a scan, in slices; with a cache, each file whose content it holds is taken from it
   * instead. Also builds what every plan needs (postings, the reference graph), so no plan has to.
   */
  static async fromScan(scan: ScanResult, cache: IndexCache | undefined, slicer: TimeSlicer): Promise<RepoIndex> {
    const bm25 = cache ? Bm25Index.withTerms(cache.savedTerms) : new Bm25Index();
    const definitions = new Map<string, DefinitionSite[]>();
    const saved: SnapshotFile[] = [];
    const files: IndexedFile[] = [];
    for (const [id, f] of scan.files.entries()) {
      slicer.progress({ stage: 'index', done: id, total: scan.files.length });
      await slicer.pause();
      const kind = fileKind(f.path, f.text);
      const language = languageForPath(f.path);
      const hash = cache ? contentHash(f.text) : '';
      let file = cache?.savedFile(f.path, hash);
      if (file) bm25.addTermCounts(file.terms);
      else {
        const indexed = kind === 'data' ? f.text.slice(0, DATA_INDEX_CHARS) : f.text.slice(0, INDEX_CHARS);
        const doc = bm25.add(`${f.path.replace(/[/._-]/g, ' ')}\n${indexed}`);
        const found = language && kind !== 'docs' && kind !== 'config' && kind !== 'data' ? findDefinitionNames(f.text, language) : [];
        file = { hash, terms: bm25.termCounts(doc), definitions: found.map((d) => ({ name: d.name, line: d.line })) };
      }
      for (const d of file.definitions) {
        let sites = definitions.get(d.name);
        if (!sites) definitions.set(d.name, (sites = []));
        sites.push({ file: id, line: d.line });
      }
      saved.push(file);
      files.push({ id, path: f.path, text: f.text, size: f.size, kind, language });
    }
    await bm25.invert(() => slicer.pause());
    const graph = cache?.savedGraph(files.map((f) => f.path)) ?? (await referenceGraph(files, definitions, bm25, slicer));
    slicer.finished({ stage: 'index', done: files.length, total: files.length });
    return new RepoIndex(scan.root, files, scan.skipped, bm25, definitions, cache ? saved : undefined, graph);
  }

  /** What the index cache keeps of this index (undefined when it was built without one). */
  snapshot(): IndexSnapshot | undefined {
    if (!this.saved) return undefined;
    return { terms: this.bm25.terms, files: this.files.map((f) => ({ path: f.path, file: this.saved![f.id]! })), graph: this.referenceGraph };
  }

  /** The SHA-256 of a file's text, when the index was built with a cache. */
  contentHash(file: number): string | undefined {
    return this.saved?.[file]?.hash;
  }

  /** Files that define `name` (deduplicated, in path order). */
  definingFiles(name: string): number[] {
    const sites = this.definitions.get(name);
    return sites ? [...new Set(sites.map((s) => s.file))] : [];
  }

  /** Who uses whose names (see referenceGraph below). */
  references(): SparseGraph {
    return this.referenceGraph;
  }

  /** Finds indexed files by a path as a person or a stack trace wrote it (absolute, partial, foreign prefix). */
  resolvePath(written: string): IndexedFile[] {
    const clean = written.replace(/\\/g, '/').replace(/^\.?\//, '');
    const exact = this.byPath.get(clean);
    if (exact) return [exact];
    // Longest suffix of the written path that names a file here, on whole segments.
    const segments = clean.split('/').filter(Boolean);
    const sameName = this.byBasename.get(segments[segments.length - 1] ?? '') ?? [];
    for (let i = 0; i < segments.length && sameName.length; i++) {
      const suffix = segments.slice(i).join('/');
      const hits = sameName.filter((f) => f.path === suffix || f.path.endsWith(`/${suffix}`));
      if (hits.length) return hits.length <= 3 ? hits : [];
    }
    return [];
  }
}

/**
 * Who uses whose names: an edge from A to B when A's text holds a name that B defines, weighted by
 * how specific the name is (a name defined in many files says little).
 */
async function referenceGraph(
  files: readonly IndexedFile[],
  definitions: Map<string, DefinitionSite[]>,
  bm25: Bm25Index,
  slicer: TimeSlicer,
): Promise<SparseGraph> {
  // By term id: a name no file holds as a term can never be matched.
  const definedBy = new Map<number, number[]>();
  for (const [name, sites] of definitions) {
    await slicer.pause();
    const definers = [...new Set(sites.map((s) => s.file))];
    if (name.length < 3 || definers.length > 8) continue;
    const key = bm25.termId(name.toLowerCase());
    if (key !== undefined) definedBy.set(key, [...(definedBy.get(key) ?? []), ...definers]);
  }
  const graph = new Map<number, Map<number, number>>();
  for (const f of files) {
    await slicer.pause();
    const out = new Map<number, number>();
    for (const term of bm25.termCounts(f.id).terms) {
      const targets = definedBy.get(term);
      if (!targets) continue;
      for (const t of targets) if (t !== f.id) out.set(t, (out.get(t) ?? 0) + 1 / targets.length);
    }
    if (out.size) graph.set(f.id, out);
  }
  return toSparseGraph(files.length, graph);
}
