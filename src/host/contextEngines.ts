import * as vscode from 'vscode';
import { ContextEngine } from '../core/context/engine';

interface Entry {
  engine: Promise<ContextEngine> | undefined;
  maxFileBytes: number;
  /** Bumped by every file change under the folder; an engine built at an older one is stale. */
  generation: number;
  builtGeneration: number;
  watcher: vscode.FileSystemWatcher;
}

export interface EngineLease {
  engine: ContextEngine;
  /** Whether this call scanned and indexed the folder (false: the kept index was reused). */
  built: boolean;
  indexMs: number;
}

/**
 * One context engine (scan + index) per workspace folder, built on first use and kept. A file
 * watcher marks it stale; it is rebuilt lazily, on the next plan, and also when the
 * maxFileBytes setting it was built with changes.
 */
export class ContextEngines implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) this.forget(f.uri);
      }),
    );
  }

  async get(folder: vscode.Uri, maxFileBytes: number): Promise<EngineLease> {
    const entry = this.entry(folder);
    let built = false;
    const t0 = performance.now();
    if (!entry.engine || entry.builtGeneration !== entry.generation || entry.maxFileBytes !== maxFileBytes) {
      const why = !entry.engine ? 'first plan' : entry.maxFileBytes !== maxFileBytes ? 'baton.context.maxFileBytes changed' : 'files changed';
      this.log.info(`Indexing ${folder.fsPath} (${why})`);
      entry.builtGeneration = entry.generation;
      entry.maxFileBytes = maxFileBytes;
      const engine = ContextEngine.open(folder.fsPath, { maxFileBytes });
      entry.engine = engine;
      // A failed build is not kept: the next plan tries again.
      engine.catch(() => {
        if (entry.engine === engine) entry.engine = undefined;
      });
      built = true;
    }
    const engine = await entry.engine!;
    const indexMs = performance.now() - t0;
    if (built) this.log.info(`Indexed ${engine.index.files.length} files of ${folder.fsPath} in ${indexMs.toFixed(0)} ms`);
    return { engine, built, indexMs };
  }

  private entry(folder: vscode.Uri): Entry {
    const key = folder.toString();
    let entry = this.entries.get(key);
    if (!entry) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
      const created: Entry = { engine: undefined, maxFileBytes: 0, generation: 0, builtGeneration: 0, watcher };
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
    this.entries.get(key)?.watcher.dispose();
    this.entries.delete(key);
  }

  dispose(): void {
    for (const e of this.entries.values()) e.watcher.dispose();
    this.entries.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
