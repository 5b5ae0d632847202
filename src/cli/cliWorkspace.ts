import { join, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { CheckpointStore } from '../core/checkpoints/checkpointStore';
import type { NewJournalEvent } from '../core/run/journalEvent';
import { JournalStore } from '../core/run/journalStore';
import { TaskTreeStore } from '../core/tasks/treeStore';
import { PendingReviews } from '../core/run/pendingReview';
import { FileSigningKey } from '../node/fileSigningKey';
import { NodeStateStore, NodeWorkspaceFiles, systemClock } from '../node/nodeAdapters';
import { defaultConfigRoot } from '../node/userConfigFolder';
import { UsageError } from './usage';

/**
 * One repository as `baton run`, `review` and `checkpoints` see it: its files through the path
 * policy (no link is approved: the command line has no one to ask), Baton's state in its `.baton/`,
 * checkpoints and pending reviews signed with this user's key for it (kept in the per-user config
 * folder, never in the repository), and the journal.
 */
export interface CliWorkspace {
  repo: string;
  state: NodeStateStore;
  store: TaskTreeStore;
  files: NodeWorkspaceFiles;
  checkpoints: CheckpointStore;
  pending: PendingReviews;
  /** Appends in order and never throws; a failure is reported through warn. */
  journal(event: NewJournalEvent): void;
  /** Resolves when every journal append so far is on disk. */
  journalWritten(): Promise<void>;
  /** The file holding the key that signs this repository's checkpoints. */
  keyFile: string;
}

export function openWorkspace(repoOption: string | undefined, env: NodeJS.ProcessEnv, warn: (text: string) => void): CliWorkspace {
  const repo = resolve(repoOption ?? process.cwd());
  if (!statSync(repo, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--repo ${repoOption ?? repo} is not a folder.`);
  const state = new NodeStateStore(join(repo, '.baton'));
  const files = new NodeWorkspaceFiles(repo);
  const key = FileSigningKey.forWorkspace(defaultConfigRoot(env), repo);
  const journalStore = new JournalStore(state, systemClock);
  let written: Promise<void> = Promise.resolve();
  return {
    repo,
    state,
    store: new TaskTreeStore(state, systemClock),
    files,
    checkpoints: new CheckpointStore({ files, state, clock: systemClock, key, log: { info: () => undefined, warn, error: warn } }),
    pending: new PendingReviews(state, key),
    journal: (event) => {
      // The store queues appends in order; this only remembers when the last one is on disk.
      const appended = journalStore.append([event]).then(
        () => undefined,
        (err: unknown) => warn(`baton: could not add to .baton/journal.jsonl: ${(err as Error).message}`),
      );
      written = written.then(() => appended);
    },
    journalWritten: () => written,
    keyFile: key.file,
  };
}
