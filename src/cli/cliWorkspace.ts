import { join, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { CheckpointStore } from '../core/checkpoints/checkpointStore';
import type { NewJournalEvent } from '../core/run/journalEvent';
import type { TaskTreeStore } from '../core/tasks/treeStore';
import type { PendingReviews } from '../core/run/pendingReview';
import { BatonWorkspace } from '../core/workspace/batonWorkspace';
import { FileSigningKey } from '../node/fileSigningKey';
import { NodeStateStore, NodeWorkspaceFiles, systemClock } from '../node/nodeAdapters';
import { defaultConfigRoot } from '../node/userConfigFolder';
import { UsageError } from './usage';

/**
 * One repository as `baton run`, `review` and `checkpoints` see it: its files through the path
 * policy (no link is approved: the command line has no one to ask), Baton's state in its `.baton/`,
 * checkpoints and pending reviews signed with this user's key for it (kept in the per-user config
 * folder, never in the repository), and the journal. One BatonWorkspace owns them for the whole
 * invocation, so a second window or another `baton` on the same folder is kept apart by its locks.
 */
export interface CliWorkspace {
  repo: string;
  workspace: BatonWorkspace;
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
  const workspace = new BatonWorkspace({ files, state, clock: systemClock, key, log: { info: () => undefined, warn, error: warn } });
  let written: Promise<void> = Promise.resolve();
  return {
    repo,
    workspace,
    state,
    store: workspace.tree,
    files,
    checkpoints: workspace.checkpoints,
    pending: workspace.pendingReviews,
    journal: (event) => {
      // The store queues appends in order; this only remembers when the last one is on disk.
      const appended = workspace.journal.append([event]).then(
        () => undefined,
        (err: unknown) => warn(`baton: could not add to .baton/journal.jsonl: ${(err as Error).message}`),
      );
      written = written.then(() => appended);
    },
    journalWritten: () => written,
    keyFile: key.file,
  };
}
