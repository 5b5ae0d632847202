import * as vscode from 'vscode';
import type { NewJournalEvent } from '../../core/run/journalEvent';
import { JournalStore } from '../../core/run/journalStore';
import { batonState, systemClock } from '../workspaceTree';

/**
 * Appends to each folder's `.baton/journal.jsonl`. Recording never gets in the way of the work it
 * records: a failure is logged, not thrown. One store per folder, so appends are queued in order.
 */
export class JournalRecorder {
  private readonly stores = new Map<string, JournalStore>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  store(folder: vscode.Uri): JournalStore {
    let store = this.stores.get(folder.toString());
    if (!store) this.stores.set(folder.toString(), (store = new JournalStore(batonState(folder), systemClock)));
    return store;
  }

  record(folder: vscode.Uri, ...events: NewJournalEvent[]): Promise<void> {
    return this.store(folder).append(events).then(
      () => undefined,
      (err: unknown) => this.log.warn(`Could not add to .baton/journal.jsonl: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}
