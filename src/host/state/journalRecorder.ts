import * as vscode from 'vscode';
import type { NewJournalEvent } from '../../core/run/journalEvent';
import type { JournalStore } from '../../core/run/journalStore';
import type { BatonWorkspaces } from './batonWorkspaces';

/**
 * Appends to each folder's `.baton/journal.jsonl`. Recording never gets in the way of the work it
 * records: a failure is logged, not thrown. The folder's own store, so appends are queued in order.
 */
export class JournalRecorder {
  constructor(
    private readonly workspaces: BatonWorkspaces,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  store(folder: vscode.Uri): JournalStore {
    return this.workspaces.for(folder).journal;
  }

  record(folder: vscode.Uri, ...events: NewJournalEvent[]): Promise<void> {
    return this.store(folder)
      .append(events)
      .then(
        () => undefined,
        (err: unknown) => this.log.warn(`Could not add to .baton/journal.jsonl: ${err instanceof Error ? err.message : String(err)}`),
      );
  }
}
