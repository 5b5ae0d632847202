// A workspace path named by someone else (an agent calling Baton's tools, a pin in a request) is
// answered only from the index: nothing is read from disk by that name, so a path that leaves the
// workspace, or a file the scan left out (ignored, secret, ...), can never come out through it.
import { workspacePathProblem } from '../security/workspacePath';
import type { IndexedFile, RepoIndex } from './repoIndex';

export type IndexedPathLookup = { file: IndexedFile } | { refused: string };

/** The indexed file at `path`, or why there is none, in the ledger's words. */
export function lookupIndexedPath(index: RepoIndex, path: string): IndexedPathLookup {
  const problem = workspacePathProblem(path);
  if (problem) return { refused: `not a workspace path: ${problem}` };
  const file = index.byPath.get(path);
  if (file) return { file };
  // A file left out by itself, or inside a folder left out as a whole ("dist/").
  const skipped = index.skipped.find((s) => s.path === path || (s.path.endsWith('/') && path.startsWith(s.path)));
  if (skipped) return { refused: `left out of the index (${skipped.reason}: ${skipped.detail})` };
  return { refused: 'no such file in the workspace index (paths are relative to the workspace folder, with / separators)' };
}
