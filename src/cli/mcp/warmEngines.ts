import { watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WorkspaceRoot } from '../../core/agentTools/workspaceRoots';
import { ContextEngine } from '../../core/context/engine';
import { NodeIndexCacheStore } from '../../node/nodeIndexCacheStore';

export interface WarmEnginesOptions {
  /** Where index caches are kept; none: every engine indexes from scratch. */
  cacheRoot?: string;
  maxFileBytes?: number;
  /** For the person running the server (stderr): each indexing, and problems. */
  log(text: string): void;
}

interface Entry {
  engine: Promise<ContextEngine>;
  /** Set by a change under a folder holding indexed files: the next call indexes again. */
  stale: boolean;
  watchers: FSWatcher[];
}

// What the last calls learnt (extents, token counts) is saved once calls pause this long.
const SAVE_DELAY_MS = 2000;

/**
 * One context engine per workspace root, built on the first call and kept for the next ones. The
 * folders that hold indexed files are watched (not the ignored ones, which can be huge): a change
 * there marks the engine stale, and the next call indexes again, reusing the index cache for every
 * file that did not change. What engines learn is saved to the same cache `baton context` uses.
 */
export class WarmEngines {
  private readonly entries = new Map<string, Entry>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: WarmEnginesOptions) {}

  async get(root: WorkspaceRoot): Promise<ContextEngine> {
    let entry = this.entries.get(root.path);
    if (!entry || entry.stale) {
      for (const w of entry?.watchers ?? []) w.close();
      const why = entry ? 'files changed' : 'first call';
      const cache = this.options.cacheRoot ? NodeIndexCacheStore.forWorkspace(this.options.cacheRoot, root.path) : undefined;
      const t0 = performance.now();
      const created: Entry = { engine: ContextEngine.open(root.path, { cache, maxFileBytes: this.options.maxFileBytes }), stale: false, watchers: [] };
      this.entries.set(root.path, (entry = created));
      created.engine.then(
        (engine) => {
          const reused = engine.cacheStats ? `, ${engine.cacheStats.filesReused} from the index cache` : '';
          this.options.log(
            `baton mcp: indexed ${engine.index.files.length} files of ${root.path} (${why}${reused}) in ${(performance.now() - t0).toFixed(0)} ms`,
          );
          created.watchers = this.watchIndexedFolders(root.path, engine, created);
        },
        // A failed build is not kept: the next call tries again.
        () => this.entries.get(root.path) === created && this.entries.delete(root.path),
      );
    }
    const engine = await entry.engine;
    this.saveLater();
    return engine;
  }

  /** Saves what was learnt and stops watching. */
  async close(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    await this.save();
    for (const e of this.entries.values()) for (const w of e.watchers) w.close();
    this.entries.clear();
  }

  private watchIndexedFolders(root: string, engine: ContextEngine, entry: Entry): FSWatcher[] {
    const folders = new Set(['.']);
    for (const f of engine.index.files) for (let d = dirname(f.path); d !== '.'; d = dirname(d)) folders.add(d);
    const watchers: FSWatcher[] = [];
    for (const folder of folders) {
      try {
        const w = watch(join(root, folder), { persistent: false }, () => (entry.stale = true));
        w.on('error', () => (entry.stale = true));
        watchers.push(w);
      } catch {
        // Unwatchable (too many watches, a folder just removed): never trust this engine's index.
        entry.stale = true;
      }
    }
    return watchers;
  }

  private saveLater(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
  }

  private async save(): Promise<void> {
    this.saveTimer = undefined;
    for (const [root, entry] of this.entries) {
      const problems = await entry.engine.then((e) => e.saveCache()).catch(() => []);
      if (problems.length) this.options.log(`baton mcp: the index cache of ${root} was not updated (${problems.join('; ')}); the next start indexes again.`);
    }
  }
}
