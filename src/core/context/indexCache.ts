// What Baton learnt about a workspace, kept between processes: the index (per-file term counts and
// definitions, the reference graph), definition extents and token counts. Everything is keyed by
// content (a file's SHA-256, a text's), so an edit is never answered from the cache, whatever the
// file's size or time stamp. The cache lives outside the workspace (the store decides where), is
// written whole and renamed into place, and is checked on every load (cacheBlob.ts): a file that is
// damaged, truncated, edited, or written by another build of Baton is ignored and rewritten.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { IndexCacheStore } from '../ports';
import { CacheFormatError, openBlob, sealBlob } from './cacheBlob';
import type { Extent } from './chunks';
import { decodeExtents, encodeExtents } from './extentSnapshot';
import { decodeSnapshot, encodeSnapshot, type IndexSnapshot, type SnapshotFile } from './indexSnapshot';
import type { LanguageId } from './languages';
import type { SparseGraph } from './pagerank';
import { decodeTokenCounts, encodeTokenCounts, type TokenCountsByEncoding } from './tokenCountSnapshot';

/**
 * Which build of Baton is running: the size and time of the bundle (or, from sources, this file).
 * A cache written by another build is not used, so a new version or a rebuild never reads what
 * older code derived.
 */
export function engineBuild(): string {
  const stats = statSync(__filename, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}` : 'unknown';
}

export type CacheFileName = 'index' | 'extents' | 'tokens';

/** What a load found and what the engine took from it: tests and logs read these, never timings. */
export interface IndexCacheStats {
  /** Per cache file: 'used', 'absent', or why it was not used. */
  loaded: Record<CacheFileName, string>;
  filesReused: number;
  filesIndexed: number;
  graphReused: boolean;
  extentsReused: number;
  extentsParsed: number;
  /** Cache files the last save wrote. */
  written: CacheFileName[];
}

/** The key of a file's content. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class IndexCache {
  readonly stats: IndexCacheStats;
  private readonly savedByPath = new Map<string, SnapshotFile>();
  private extentsChanged = false;
  private readonly savedCountSizes = new Map<string, number>();

  private constructor(
    private readonly store: IndexCacheStore,
    private readonly build: string,
    private saved: IndexSnapshot | undefined,
    private readonly extents: Map<string, Extent[]>,
    private readonly counts: TokenCountsByEncoding,
    loaded: Record<CacheFileName, string>,
  ) {
    this.stats = { loaded, filesReused: 0, filesIndexed: 0, graphReused: false, extentsReused: 0, extentsParsed: 0, written: [] };
    for (const { path, file } of saved?.files ?? []) this.savedByPath.set(path, file);
    for (const [encoding, map] of counts) this.savedCountSizes.set(encoding, map.size);
  }

  /** Reads and checks every cache file; one that cannot be used is reported in `stats.loaded` and left to be rewritten. */
  static async load(store: IndexCacheStore, build = engineBuild()): Promise<IndexCache> {
    const loaded = {} as Record<CacheFileName, string>;
    const read = async <T>(name: CacheFileName, decode: (body: Uint8Array) => T): Promise<T | undefined> => {
      try {
        const bytes = await store.read(name);
        if (!bytes) {
          loaded[name] = 'absent';
          return undefined;
        }
        const value = decode(openBlob(bytes, name, build));
        loaded[name] = 'used';
        return value;
      } catch (err) {
        loaded[name] = err instanceof CacheFormatError ? `rejected: ${err.message}` : `unreadable: ${(err as Error).message}`;
        return undefined;
      }
    };
    const [index, extents, counts] = await Promise.all([read('index', decodeSnapshot), read('extents', decodeExtents), read('tokens', decodeTokenCounts)]);
    return new IndexCache(store, build, index, extents ?? new Map(), counts ?? new Map(), loaded);
  }

  /** The term table that saved files' term ids refer to. */
  get savedTerms(): readonly string[] {
    return this.saved?.terms ?? [];
  }

  /** What was saved for this file, if its content is still the same. */
  savedFile(path: string, hash: string): SnapshotFile | undefined {
    const saved = this.savedByPath.get(path);
    if (saved?.hash === hash) {
      this.stats.filesReused++;
      return saved;
    }
    this.stats.filesIndexed++;
    return undefined;
  }

  /** The saved reference graph, if the index holds exactly the saved files, unchanged and in the same order. */
  savedGraph(paths: readonly string[]): SparseGraph | undefined {
    const saved = this.saved;
    if (!saved?.graph || this.stats.filesIndexed > 0 || saved.files.length !== paths.length) return undefined;
    if (saved.files.some((f, i) => f.path !== paths[i])) return undefined;
    this.stats.graphReused = true;
    return saved.graph;
  }

  savedExtents(hash: string, language: LanguageId): Extent[] | undefined {
    const extents = this.extents.get(`${hash}:${language}`);
    if (extents) this.stats.extentsReused++;
    return extents;
  }

  rememberExtents(hash: string, language: LanguageId, extents: readonly Extent[]): void {
    this.stats.extentsParsed++;
    // Only what chunking reads is kept; a name holding a NUL cannot be written and is parsed again next time.
    if (extents.some((e) => e.name.includes('\0'))) return;
    this.extents.set(
      `${hash}:${language}`,
      extents.map((e) => ({ name: e.name, startLine: e.startLine, endLine: e.endLine, signatureEnd: e.signatureEnd })),
    );
    this.extentsChanged = true;
  }

  /** The counts a TokenCounter for this encoding starts from and adds to. */
  tokenCounts(encoding: string): Map<string, number> {
    let counts = this.counts.get(encoding);
    if (!counts) this.counts.set(encoding, (counts = new Map()));
    return counts;
  }

  /**
   * Writes what changed since the load (or the last save). Extents of content no file has any more
   * are dropped. Returns the problems met; a cache that cannot be written never fails a plan.
   */
  async save(snapshot: IndexSnapshot): Promise<string[]> {
    const problems: string[] = [];
    const written: CacheFileName[] = [];
    const write = async (name: CacheFileName, encode: () => Uint8Array): Promise<boolean> => {
      try {
        await this.store.write(name, sealBlob(name, this.build, encode()));
        written.push(name);
        return true;
      } catch (err) {
        problems.push(`${name}: ${(err as Error).message}`);
        return false;
      }
    };

    if (indexChanged(this.saved, snapshot) && (await write('index', () => encodeSnapshot(snapshot)))) {
      this.saved = snapshot;
      this.savedByPath.clear();
      for (const { path, file } of snapshot.files) this.savedByPath.set(path, file);
    }

    const live = new Set(snapshot.files.map((f) => f.file.hash));
    for (const key of this.extents.keys()) {
      if (!live.has(key.slice(0, key.indexOf(':')))) {
        this.extents.delete(key);
        this.extentsChanged = true;
      }
    }
    if (this.extentsChanged && (await write('extents', () => encodeExtents(this.extents)))) this.extentsChanged = false;

    const grown = [...this.counts].some(([encoding, map]) => map.size !== (this.savedCountSizes.get(encoding) ?? 0));
    if (grown && (await write('tokens', () => encodeTokenCounts(this.counts)))) {
      for (const [encoding, map] of this.counts) this.savedCountSizes.set(encoding, map.size);
    }
    this.stats.written = written;
    return problems;
  }
}

function indexChanged(saved: IndexSnapshot | undefined, now: IndexSnapshot): boolean {
  if (!saved || saved.files.length !== now.files.length || (now.graph && !saved.graph)) return true;
  return now.files.some((f, i) => f.path !== saved.files[i]!.path || f.file.hash !== saved.files[i]!.file.hash);
}
