import { join } from 'node:path';
import * as vscode from 'vscode';
import { CONTEXT_PREFERENCES_FILE, readContextPreferences, type ContextPreferenceSet } from '../../core/context/contextPreferences';
import { NodeStateStore } from '../../node/nodeAdapters';

// Pinning and excluding files from the editor (core/context/contextPreferences.ts holds the file and
// how plans honour it): one change at a time, with an event for the views that show them.

export type ContextChoice = 'pin' | 'exclude' | 'none';

export class ContextPreferences implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with the folder whose preferences changed (through this class). */
  readonly onDidChange = this.changed.event;
  // Writes are read-modify-write of one small file: one at a time.
  private queue: Promise<unknown> = Promise.resolve();

  get(folder: vscode.Uri): Promise<ContextPreferenceSet> {
    return readContextPreferences(store(folder));
  }

  /** Pins, excludes, or clears one path; choosing one undoes the other. Resolves with the choice it replaced. */
  set(folder: vscode.Uri, path: string, choice: ContextChoice): Promise<ContextChoice> {
    const next = this.queue.then(async () => {
      const current = await this.get(folder); // a file it cannot read is never overwritten
      const previous: ContextChoice = current.pinned.includes(path) ? 'pin' : current.excluded.includes(path) ? 'exclude' : 'none';
      const pinned = current.pinned.filter((p) => p !== path);
      const excluded = current.excluded.filter((p) => p !== path);
      if (choice === 'pin') pinned.push(path);
      if (choice === 'exclude') excluded.push(path);
      const file = { schemaVersion: 1, pinned: pinned.sort(), excluded: excluded.sort() };
      await store(folder).write(CONTEXT_PREFERENCES_FILE, new TextEncoder().encode(`${JSON.stringify(file, null, 2)}\n`));
      this.changed.fire(folder);
      return previous;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function store(folder: vscode.Uri): NodeStateStore {
  return new NodeStateStore(join(folder.fsPath, '.baton'));
}
