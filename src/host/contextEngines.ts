import { join } from 'node:path';
import * as vscode from 'vscode';
import { SharedIndexing } from '../core/context/sharedIndexing';
import type { IndexingControl } from '../core/ports';
import { NodeIndexCacheStore } from '../node/nodeIndexCacheStore';
import { WorkerPlanner } from '../node/workerPlanner';

interface Entry {
  engine: SharedIndexing<WorkerPlanner> | undefined;
  /** The engine once indexed: if its worker stopped on its own, the next plan starts another. */
  planner: WorkerPlanner | undefined;
  maxFileBytes: number;
  /** Bumped by every file change under the folder; an engine built at an older one is stale. */
  generation: number;
  builtGeneration: number;
  watcher: vscode.FileSystemWatcher;
  /** Saves what the last plans learnt (extents, token counts) once they are done. */
  saveTimer: ReturnType<typeof setTimeout> | undefined;
}

// Plans are done well within this; a save while one still runs is harmless, the next one saves the rest.
const SAVE_DELAY_MS = 3000;

export interface EngineLease {
  engine: WorkerPlanner;
  /** Whether this call scanned and indexed the folder (false: the kept index was reused). */
  built: boolean;
  indexMs: number;
}

// Built next to extension.js (esbuild.mjs): the engine runs in it, off the extension host's thread.
const PLAN_WORKER = join(__dirname, 'planWorker.js');

/**
 * One context engine (scan + index) per workspace folder, in a worker thread (WorkerPlanner), so that
 * indexing and planning never hold the extension host's thread; built on first use and kept. A file
 * watcher marks it stale; it is rebuilt lazily, on the next plan, and also when the
 * maxFileBytes setting it was built with changes. What an engine learns is kept in the index cache
 * under the extension's storage (never in the workspace), so the first plan after a restart, and
 * every rebuild, index only the files that changed.
 */
export class ContextEngines implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[] = [];

  /** `cacheRoot`: the extension's storage folder on disk; none, no cache. */
  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly cacheRoot?: vscode.Uri,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.forget(f.uri);
      }),
    );
  }

  /**
   * The folder's engine, indexing it first if need be. `control` sees the indexing's progress, and
   * aborting it rejects with an IndexingCancelledError; the indexing itself stops once no other
   * caller waits for it.
   */
  async get(folder: vscode.Uri, maxFileBytes: number, control?: IndexingControl): Promise<EngineLease> {
    const entry = this.entry(folder);
    let built = false;
    const t0 = performance.now();
    const stale = entry.builtGeneration !== entry.generation || entry.maxFileBytes !== maxFileBytes;
    if (!entry.engine || entry.engine.cancelled || entry.planner?.stopped || stale) {
      const why = !entry.engine
        ? 'first plan'
        : entry.engine.cancelled
          ? 'the last indexing was cancelled'
          : entry.planner?.stopped
            ? "the engine's worker stopped"
            : entry.maxFileBytes !== maxFileBytes
              ? 'baton.context.maxFileBytes changed'
              : 'files changed';
      this.log.info(`Indexing ${folder.fsPath} (${why})`);
      entry.builtGeneration = entry.generation;
      entry.maxFileBytes = maxFileBytes;
      const cacheFolder = this.cacheStore(folder)?.folder;
      // The engine's code (scanner, index, tree-sitter) loads in the worker, never in the host.
      const run = new SharedIndexing((indexing) => WorkerPlanner.open(PLAN_WORKER, { root: folder.fsPath, maxFileBytes, cacheFolder }, indexing));
      // Whoever still holds the old index (a run) is answered by the new one once the old worker stops.
      const successor = async (): Promise<WorkerPlanner> => (await this.get(folder, entry.maxFileBytes)).engine;
      entry.engine?.result.then((old) => old.retire(successor)).catch(() => undefined);
      entry.engine = run;
      entry.planner = undefined;
      run.result.then(
        (planner) => {
          if (entry.engine === run) entry.planner = planner;
        },
        () => {
          // A failed or cancelled build is not kept: the next plan tries again.
          if (entry.engine === run) entry.engine = undefined;
        },
      );
      built = true;
    }
    const engine = await entry.engine.join(control);
    const indexMs = performance.now() - t0;
    if (built) {
      const stats = engine.cacheStats;
      const reused = stats ? ` (${stats.filesReused} from the index cache)` : '';
      this.log.info(`Indexed ${engine.fileCount} files of ${folder.fsPath}${reused} in ${indexMs.toFixed(0)} ms`);
    }
    this.saveLater(entry, folder);
    return { engine, built, indexMs };
  }

  private cacheStore(folder: vscode.Uri): NodeIndexCacheStore | undefined {
    if (!this.cacheRoot || this.cacheRoot.scheme !== 'file' || folder.scheme !== 'file') return undefined;
    try {
      return NodeIndexCacheStore.forWorkspace(this.cacheRoot.fsPath, folder.fsPath);
    } catch (err) {
      this.log.warn(`No index cache for ${folder.fsPath}: ${(err as Error).message}`);
      return undefined;
    }
  }

  private saveLater(entry: Entry, folder: vscode.Uri): void {
    if (entry.saveTimer) clearTimeout(entry.saveTimer);
    entry.saveTimer = setTimeout(() => {
      entry.saveTimer = undefined;
      void entry.engine?.result
        .then((engine) => engine.saveCache())
        .then((problems) => {
          if (problems.length) this.log.warn(`The index cache of ${folder.fsPath} was not updated: ${problems.join('; ')}`);
        })
        // A failed build was reported by its plan; a save that fails is only logged.
        .catch((err: unknown) => this.log.warn(`The index cache of ${folder.fsPath} was not updated: ${(err as Error).message}`));
    }, SAVE_DELAY_MS);
  }

  private entry(folder: vscode.Uri): Entry {
    const key = folder.toString();
    let entry = this.entries.get(key);
    if (!entry) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
      const created: Entry = { engine: undefined, planner: undefined, maxFileBytes: 0, generation: 0, builtGeneration: 0, watcher, saveTimer: undefined };
      const changed = (uri: vscode.Uri): void => {
        // Git's own bookkeeping never reaches the index; everything else may.
        if (/[\\/]\.git([\\/]|$)/.test(uri.fsPath)) return;
        created.generation++;
      };
      watcher.onDidCreate(changed);
      watcher.onDidChange(changed);
      watcher.onDidDelete(changed);
      this.entries.set(key, (entry = created));
    }
    return entry;
  }

  private forget(folder: vscode.Uri): void {
    const key = folder.toString();
    const entry = this.entries.get(key);
    entry?.watcher.dispose();
    if (entry?.saveTimer) clearTimeout(entry.saveTimer);
    close(entry?.engine);
    this.entries.delete(key);
  }

  dispose(): void {
    for (const e of this.entries.values()) {
      e.watcher.dispose();
      if (e.saveTimer) clearTimeout(e.saveTimer);
      close(e.engine);
    }
    this.entries.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Stops a folder's indexing or its worker now: the folder, or Baton, was closed. */
function close(engine: SharedIndexing<WorkerPlanner> | undefined): void {
  engine?.abort();
  engine?.result.then((planner) => planner.dispose()).catch(() => undefined);
}
